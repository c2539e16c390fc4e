#!/bin/bash
# source: shared/seeds/advanced-networking.md (Advanced Networking, VLAN 100 between ns1 and ns2)
# kept: its ip commands, the interactive shells replaced by ip netns exec; this kernel lacks 802.1Q, so both ip and nslab must refuse the VLAN and go on alike.
# Run by IpCorpusTest twice, with iproute2's ip and with nslab as ip, in throwaway namespaces.

ping_check() { # added for the comparison: does $1 reach $2 (a deadline: a veth passes nothing until the kernel's link watcher has run, seconds under load)
  if ip netns exec "$1" ping -c1 -w10 "$2" >/dev/null 2>&1; then echo "ping $1 -> $2: ok"; else echo "ping $1 -> $2: lost"; fi
}

ip netns add ns1
ip netns add ns2
ip netns exec ns1 ip link set lo up
ip netns exec ns2 ip link set lo up
ip link add veth-ns1 type veth peer name veth-ns2
ip link set veth-ns1 netns ns1
ip link set veth-ns2 netns ns2
ip netns exec ns1 ip address add 172.16.0.1/24 dev veth-ns1
ip netns exec ns1 ip link set veth-ns1 up
ip netns exec ns2 ip address add 172.16.0.2/24 dev veth-ns2
ip netns exec ns2 ip link set veth-ns2 up
ip netns exec ns1 ip link add link veth-ns1 name veth-ns1.100 type vlan id 100
ip netns exec ns1 ip address add 10.10.10.1/24 dev veth-ns1.100
ip netns exec ns1 ip link set veth-ns1.100 up

# --- added for the comparison
ping_check ns1 172.16.0.2
