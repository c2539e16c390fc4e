#!/bin/bash
# source: shared/seeds/netns-nat-gateway.md (Net Namespace practice, Breezy Frost)
# kept: its ip commands (note 'ip netns ls'); the sysctl, iptables and outside pings are left out.
# Run by IpCorpusTest twice, with iproute2's ip and with nslab as ip, in throwaway namespaces.

ping_check() { # added for the comparison: does $1 reach $2 (a deadline: a veth passes nothing until the kernel's link watcher has run, seconds under load)
  if ip netns exec "$1" ping -c1 -w10 "$2" >/dev/null 2>&1; then echo "ping $1 -> $2: ok"; else echo "ping $1 -> $2: lost"; fi
}

ip netns add breezyfrost
ip netns ls
ip netns exec breezyfrost ip addr
ip link add veth1 type veth peer name veth1_p
ip link set veth1 netns breezyfrost
ip netns exec breezyfrost ip addr add 192.168.50.2/24 dev veth1
ip addr add 192.168.50.3/24 dev veth1_p
ip netns exec breezyfrost ip link set veth1 up
ip netns exec breezyfrost ip link set lo up
ip link set veth1_p up
ip netns exec breezyfrost ip route add default via 192.168.50.3

# --- added for the comparison
ping_check breezyfrost 192.168.50.3
ip netns exec breezyfrost ip route
