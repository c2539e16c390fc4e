#!/bin/bash
# source: https://www.admin-magazine.com/Articles/The-practical-benefits-of-network-namespaces/ (listings 7 and 8)
# kept: the veth and bridge steps in a namespace of their own; brctl addbr/addif become their ip equivalents (no brctl here), no real eth0.
# Run by IpCorpusTest twice, with iproute2's ip and with nslab as ip, in throwaway namespaces.

ping_check() { # added for the comparison: does $1 reach $2 (a deadline: a veth passes nothing until the kernel's link watcher has run, seconds under load)
  if ip netns exec "$1" ping -c1 -w10 "$2" >/dev/null 2>&1; then echo "ping $1 -> $2: ok"; else echo "ping $1 -> $2: lost"; fi
}

ip netns add ns1
ip link add veth1 type veth peer name veth2
ip link set veth1 netns ns1
ip netns exec ns1 ip addr add 10.0.50.2/24 dev veth1
ip netns exec ns1 ip link set veth1 up
ip netns exec ns1 ip link delete veth1
ip link add name veth1 type veth peer name veth2
ip link add br0 type bridge
ip addr add 10.0.50.1/24 dev br0
ip link set br0 up
ip -f inet addr show br0
ip link set veth2 master br0
ip link set veth1 netns ns1
ip netns exec ns1 ip addr add 10.0.50.2/24 dev veth1
ip netns exec ns1 ip link set veth1 up
ip link set veth2 up

# --- added for the comparison
ping_check ns1 10.0.50.1
