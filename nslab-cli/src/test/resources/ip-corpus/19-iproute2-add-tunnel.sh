#!/bin/bash
# source: iproute2, testsuite/tests/ip/tunnel/add_tunnel.t
# kept: its ip tunnel commands (the module juggling left out); ip tunnel is not an nslab object and GRE is not in this kernel: both refuse, and the state stays the same.
# Run by IpCorpusTest twice, with iproute2's ip and with nslab as ip, in throwaway namespaces.

ping_check() { # added for the comparison: does $1 reach $2 (a deadline: a veth passes nothing until the kernel's link watcher has run, seconds under load)
  if ip netns exec "$1" ping -c1 -w10 "$2" >/dev/null 2>&1; then echo "ping $1 -> $2: ok"; else echo "ping $1 -> $2: lost"; fi
}

TUNNEL_NAME=tunnel_test_ip
ip tunnel add name $TUNNEL_NAME mode gre local 1.1.1.1 remote 2.2.2.2
ip tunnel del $TUNNEL_NAME
ip link show | grep -c mtu
