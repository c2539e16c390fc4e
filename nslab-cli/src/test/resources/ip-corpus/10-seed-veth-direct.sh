#!/bin/bash
# source: shared/seeds/veth-and-bridge.md (AI_Linux002), part 1: two namespaces, one veth
# kept: the ip commands of the walkthrough without sudo.
# Run by IpCorpusTest twice, with iproute2's ip and with nslab as ip, in throwaway namespaces.

ping_check() { # added for the comparison: does $1 reach $2 (a deadline: a veth passes nothing until the kernel's link watcher has run, seconds under load)
  if ip netns exec "$1" ping -c1 -w10 "$2" >/dev/null 2>&1; then echo "ping $1 -> $2: ok"; else echo "ping $1 -> $2: lost"; fi
}

ip netns add ns1
ip netns add ns2
ip netns list
ip link add veth1 type veth peer name veth2
ip link set veth1 netns ns1
ip link set veth2 netns ns2
ip netns exec ns1 ip addr add 192.168.100.1/24 dev veth1
ip netns exec ns2 ip addr add 192.168.100.2/24 dev veth2
ip netns exec ns1 ip link set veth1 up
ip netns exec ns1 ip link set lo up
ip netns exec ns2 ip link set veth2 up
ip netns exec ns2 ip link set lo up

# --- added for the comparison
ping_check ns1 192.168.100.2
