#!/bin/bash
# source: https://www.besthub.dev/articles/master-linux-network-namespaces-from-creation-to-inter-namespace-communication-e556d9f6a0ae
# kept: its ip netns steps with their output (ip addr inside the namespace before and after lo up).
# Run by IpCorpusTest twice, with iproute2's ip and with nslab as ip, in throwaway namespaces.

ping_check() { # added for the comparison: does $1 reach $2 (a deadline: a veth passes nothing until the kernel's link watcher has run, seconds under load)
  if ip netns exec "$1" ping -c1 -w10 "$2" >/dev/null 2>&1; then echo "ping $1 -> $2: ok"; else echo "ping $1 -> $2: lost"; fi
}

ip netns add ns0
ip netns list
ls /var/run/netns/
ip netns exec ns0 ip addr
ip netns exec ns0 ip link set lo up
ip netns exec ns0 ip addr

# --- added for the comparison
ping_check ns0 127.0.0.1
