#!/bin/bash
# source: iproute2, testsuite/tests/ip/neigh/basic.t
# kept: its ip commands; a veth for the dummy (no CONFIG_DUMMY here); the JSON answer of neigh get is checked by its lladdr, since iproute2 6.1 answers -j neigh get in text.
# Run by IpCorpusTest twice, with iproute2's ip and with nslab as ip, in throwaway namespaces.

ping_check() { # added for the comparison: does $1 reach $2 (a deadline: a veth passes nothing until the kernel's link watcher has run, seconds under load)
  if ip netns exec "$1" ping -c1 -w10 "$2" >/dev/null 2>&1; then echo "ping $1 -> $2: ok"; else echo "ping $1 -> $2: lost"; fi
}

ip netns add t
NEW_DEV=dev-neigh
ip -n t link add dev $NEW_DEV type veth peer name $NEW_DEV-p
ip -n t neigh add 192.0.2.2 lladdr 02:00:00:00:00:01 dev $NEW_DEV
ip -n t neigh list
ip -n t --json neigh get 192.0.2.2 dev $NEW_DEV | grep -c '02:00:00:00:00:01'
ip -n t neigh get 192.0.2.2 dev $NEW_DEV
