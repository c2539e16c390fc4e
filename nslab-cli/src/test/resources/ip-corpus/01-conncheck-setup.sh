#!/bin/bash
# source: cheina97/conncheck, examples/setup.sh (Apache-2.0, Copyright 2022 Google LLC)
# kept: verbatim command lines; the ping check is added.
# Run by IpCorpusTest twice, with iproute2's ip and with nslab as ip, in throwaway namespaces.

ping_check() { # added for the comparison: does $1 reach $2 (a deadline: a veth passes nothing until the kernel's link watcher has run, seconds under load)
  if ip netns exec "$1" ping -c1 -w10 "$2" >/dev/null 2>&1; then echo "ping $1 -> $2: ok"; else echo "ping $1 -> $2: lost"; fi
}

ip netns add ns1
ip netns add ns2

ip link add veth-ns1 type veth peer name veth-ns2
ip link set veth-ns1 netns ns1
ip link set veth-ns2 netns ns2
ip netns exec ns1 ip a add 10.0.0.1/24 dev veth-ns1
ip netns exec ns2 ip a add 10.0.0.2/24 dev veth-ns2
ip netns exec ns1 ip link set veth-ns1 up
ip netns exec ns2 ip link set veth-ns2 up

# --- added for the comparison
ping_check ns1 10.0.0.2
ping_check ns2 10.0.0.1
