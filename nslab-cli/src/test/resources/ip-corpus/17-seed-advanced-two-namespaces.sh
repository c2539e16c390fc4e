#!/bin/bash
# source: shared/seeds/advanced-networking.md (Advanced Networking, namespaces n1 and n2)
# kept: its ip commands (ip address add, the long form).
# Run by IpCorpusTest twice, with iproute2's ip and with nslab as ip, in throwaway namespaces.

ping_check() { # added for the comparison: does $1 reach $2 (a deadline: a veth passes nothing until the kernel's link watcher has run, seconds under load)
  if ip netns exec "$1" ping -c1 -w10 "$2" >/dev/null 2>&1; then echo "ping $1 -> $2: ok"; else echo "ping $1 -> $2: lost"; fi
}

ip netns add n1
ip netns exec n1 ip link
ip netns add n2
ip link add veth-n1 type veth peer name veth-n2
ip link set veth-n1 netns n1
ip link set veth-n2 netns n2
ip netns exec n1 ip address add 10.10.10.1/24 dev veth-n1
ip netns exec n1 ip link set veth-n1 up
ip netns exec n2 ip address add 10.10.10.2/24 dev veth-n2
ip netns exec n2 ip link set veth-n2 up

# --- added for the comparison
ping_check n1 10.10.10.2
