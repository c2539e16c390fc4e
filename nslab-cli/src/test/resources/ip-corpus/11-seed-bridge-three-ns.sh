#!/bin/bash
# source: shared/seeds/veth-and-bridge.md (AI_Linux002), part 2: three namespaces on a bridge
# kept: the ip commands of the walkthrough without sudo (note 'peer br-veth1' without 'name').
# Run by IpCorpusTest twice, with iproute2's ip and with nslab as ip, in throwaway namespaces.

ping_check() { # added for the comparison: does $1 reach $2 (a deadline: a veth passes nothing until the kernel's link watcher has run, seconds under load)
  if ip netns exec "$1" ping -c1 -w10 "$2" >/dev/null 2>&1; then echo "ping $1 -> $2: ok"; else echo "ping $1 -> $2: lost"; fi
}

ip netns add ns1
ip netns add ns2
ip netns add ns3
ip link add br0 type bridge
ip link set br0 up
ip link add veth1 type veth peer br-veth1
ip link add veth2 type veth peer br-veth2
ip link add veth3 type veth peer br-veth3
ip link set veth1 netns ns1
ip link set veth2 netns ns2
ip link set veth3 netns ns3
ip netns exec ns1 ip addr add 10.0.0.1/24 dev veth1
ip netns exec ns2 ip addr add 10.0.0.2/24 dev veth2
ip netns exec ns3 ip addr add 10.0.0.3/24 dev veth3
ip netns exec ns1 ip link set veth1 up
ip netns exec ns2 ip link set veth2 up
ip netns exec ns3 ip link set veth3 up
ip netns exec ns3 ip link set lo up
ip netns exec ns2 ip link set lo up
ip netns exec ns1 ip link set lo up
ip link set br-veth1 master br0
ip link set br-veth2 master br0
ip link set br-veth3 master br0
ip link set br-veth1 up
ip link set br-veth2 up
ip link set br-veth3 up
ip addr add 10.0.0.100/24 dev br0

# --- added for the comparison
ping_check ns1 10.0.0.3
ping_check ns2 10.0.0.3
ping_check ns1 10.0.0.2
ip netns exec ns1 ip route
ip netns exec ns2 ip route
