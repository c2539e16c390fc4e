#!/bin/bash
# source: iproute2, testsuite/tests/ip/netns/set_nsid_batch.t
# kept: its batch file and commands with their output.
# Run by IpCorpusTest twice, with iproute2's ip and with nslab as ip, in throwaway namespaces.

ping_check() { # added for the comparison: does $1 reach $2 (a deadline: a veth passes nothing until the kernel's link watcher has run, seconds under load)
  if ip netns exec "$1" ping -c1 -w10 "$2" >/dev/null 2>&1; then echo "ping $1 -> $2: ok"; else echo "ping $1 -> $2: lost"; fi
}

NS=testnsid
NSID=99
BATCHFILE=$(mktemp)
echo "netns add $NS" >> $BATCHFILE
echo "netns set $NS $NSID" >> $BATCHFILE
echo "netns list-id" >> $BATCHFILE
ip -b $BATCHFILE
rm -f $BATCHFILE
ip netns del $NS
