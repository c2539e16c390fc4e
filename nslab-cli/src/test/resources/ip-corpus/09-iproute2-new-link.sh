#!/bin/bash
# source: iproute2, testsuite/tests/ip/link/new_link.t
# kept: its ip commands and line count; a veth for the dummy (no CONFIG_DUMMY here).
# Run by IpCorpusTest twice, with iproute2's ip and with nslab as ip, in throwaway namespaces.

ping_check() { # added for the comparison: does $1 reach $2 (a deadline: a veth passes nothing until the kernel's link watcher has run, seconds under load)
  if ip netns exec "$1" ping -c1 -w10 "$2" >/dev/null 2>&1; then echo "ping $1 -> $2: ok"; else echo "ping $1 -> $2: lost"; fi
}

ip netns add t
NEW_DEV=dev-new
ip -n t link add dev $NEW_DEV type veth peer name $NEW_DEV-p
ip -n t link show dev $NEW_DEV | wc -l
ip -n t link del dev $NEW_DEV
ip -n t link show dev $NEW_DEV
