#!/bin/bash
# source: slankdev/petorun, misc/netns_prep.sh
# kept: the ip command sequence; the checks are added.
# Run by IpCorpusTest twice, with iproute2's ip and with nslab as ip, in throwaway namespaces.

ping_check() { # added for the comparison: does $1 reach $2 (a deadline: a veth passes nothing until the kernel's link watcher has run, seconds under load)
  if ip netns exec "$1" ping -c1 -w10 "$2" >/dev/null 2>&1; then echo "ping $1 -> $2: ok"; else echo "ping $1 -> $2: lost"; fi
}

ip netns add ns0
ip netns add ns1

ip link add veth0 type veth peer name ns0eth0
ip link add veth1 type veth peer name ns1eth0
ip link set ns0eth0 netns ns0
ip link set ns1eth0 netns ns1

ip netns exec ns0 ip link set lo up
ip netns exec ns0 ip link set ns0eth0 up
ip netns exec ns1 ip link set lo up
ip netns exec ns1 ip link set ns1eth0 up

ip link set veth0 up
ip link set veth1 up

# --- added for the comparison
ip netns exec ns0 ip link show | grep -c mtu
ping_check ns0 127.0.0.1
