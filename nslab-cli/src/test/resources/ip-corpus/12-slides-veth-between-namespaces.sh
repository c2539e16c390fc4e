#!/bin/bash
# source: https://slides.com/erfanara/net_in_linux (veth made directly between two namespaces)
# kept: its three ip commands; addresses, up and the ping check are added.
# Run by IpCorpusTest twice, with iproute2's ip and with nslab as ip, in throwaway namespaces.

ping_check() { # added for the comparison: does $1 reach $2 (a deadline: a veth passes nothing until the kernel's link watcher has run, seconds under load)
  if ip netns exec "$1" ping -c1 -w10 "$2" >/dev/null 2>&1; then echo "ping $1 -> $2: ok"; else echo "ping $1 -> $2: lost"; fi
}

ip netns add netns1
ip netns add netns2
ip link add veth1 netns netns1 type veth peer name veth2 netns netns2

# --- added for the comparison
ip -n netns1 addr add 10.50.0.1/24 dev veth1
ip -n netns2 addr add 10.50.0.2/24 dev veth2
ip -n netns1 link set veth1 up
ip -n netns2 link set veth2 up
ping_check netns1 10.50.0.2
