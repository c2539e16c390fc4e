#!/bin/bash
# source: seantywork/seantywork, net-firewall/setup.sh
# kept: the ip command sequence without sudo; the ping check is added.
# Run by IpCorpusTest twice, with iproute2's ip and with nslab as ip, in throwaway namespaces.

ping_check() { # added for the comparison: does $1 reach $2 (a deadline: a veth passes nothing until the kernel's link watcher has run, seconds under load)
  if ip netns exec "$1" ping -c1 -w10 "$2" >/dev/null 2>&1; then echo "ping $1 -> $2: ok"; else echo "ping $1 -> $2: lost"; fi
}

ip netns add vnet0

ip link add dev veth01 type veth peer name veth02 netns vnet0

ip link set up veth01

ip netns exec vnet0 ip link set up veth02

ip addr add 11.168.0.1/24 dev veth01

ip netns exec vnet0 ip addr add 11.168.0.2/24 dev veth02

# --- added for the comparison
ping_check vnet0 11.168.0.1
