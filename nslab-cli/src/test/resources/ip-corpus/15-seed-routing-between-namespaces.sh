#!/bin/bash
# source: shared/seeds/netns-routing-tcp.md (network namespace routing walkthrough)
# kept: its ip commands without the tcpdump/nc parts; route get before and after the routes, as the walkthrough shows them.
# Run by IpCorpusTest twice, with iproute2's ip and with nslab as ip, in throwaway namespaces.

ping_check() { # added for the comparison: does $1 reach $2 (a deadline: a veth passes nothing until the kernel's link watcher has run, seconds under load)
  if ip netns exec "$1" ping -c1 -w10 "$2" >/dev/null 2>&1; then echo "ping $1 -> $2: ok"; else echo "ping $1 -> $2: lost"; fi
}

ip link add veth0 type veth peer name veth1
ip netns add ns1
ip link set veth0 netns ns1
ip -n ns1 addr add 10.0.1.0/24 dev veth0
ip -n ns1 link set veth0 up
ip -n ns1 link set lo up
ip netns add ns2
ip link set veth1 netns ns2
ip -n ns2 addr add 10.0.2.0/24 dev veth1
ip -n ns2 link set veth1 up
ip -n ns2 link set lo up
ip -n ns1 route get 10.0.2.0
ip -n ns2 route get 10.0.1.0
ip -n ns1 route
ip -n ns2 route
ip -n ns1 route add 10.0.2.0/24 dev veth0
ip -n ns1 route get 10.0.2.0
ip -n ns2 route add 10.0.1.0/24 dev veth1
ip -n ns2 route get 10.0.1.0

# --- added for the comparison
ping_check ns1 10.0.2.0
ping_check ns2 10.0.1.0
