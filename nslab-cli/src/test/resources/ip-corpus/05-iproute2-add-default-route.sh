#!/bin/bash
# source: iproute2, testsuite/tests/ip/route/add_default_route.t
# kept: its ip commands and line counts, in a namespace of its own; dummy0 is a veth here (this kernel lacks CONFIG_DUMMY).
# Run by IpCorpusTest twice, with iproute2's ip and with nslab as ip, in throwaway namespaces.

ping_check() { # added for the comparison: does $1 reach $2 (a deadline: a veth passes nothing until the kernel's link watcher has run, seconds under load)
  if ip netns exec "$1" ping -c1 -w10 "$2" >/dev/null 2>&1; then echo "ping $1 -> $2: ok"; else echo "ping $1 -> $2: lost"; fi
}

ip netns add t
DEV=dummy0
ip -n t link add $DEV type veth peer name dummy1
ip -n t link set up dev $DEV
ip -n t addr add 1.1.1.1/24 dev $DEV
ip -n t route add default via 1.1.1.2
ip -n t -4 route show default
ip -n t -4 route show default | wc -l
ip -n t -4 route add 2.2.2.0/24 dev $DEV
ip -n t -4 route show default | wc -l
ip -n t -6 addr add dead:beef::1/64 dev $DEV
ip -n t route add default via dead:beef::2
ip -n t -6 route show default | wc -l
ip -n t -6 route add cafe:babe::/64 dev $DEV
ip -n t -6 route show default | wc -l
ip -n t link del dev $DEV
