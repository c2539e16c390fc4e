#!/bin/bash
# source: iproute2 6.1 man pages, ip-address(8) and ip-route(8) EXAMPLES
# kept: the examples on veths named as in the pages (eth0, eth1, eth4); the encap examples are left out (MPLS/SRv6/IOAM are not in this kernel).
# Run by IpCorpusTest twice, with iproute2's ip and with nslab as ip, in throwaway namespaces.

ping_check() { # added for the comparison: does $1 reach $2 (a deadline: a veth passes nothing until the kernel's link watcher has run, seconds under load)
  if ip netns exec "$1" ping -c1 -w10 "$2" >/dev/null 2>&1; then echo "ping $1 -> $2: ok"; else echo "ping $1 -> $2: lost"; fi
}

ip netns add t
ip -n t link add eth0 type veth peer name p0
ip -n t link add eth1 type veth peer name p1
ip -n t link add eth4 type veth peer name p4
ip -n t link set eth0 up
ip -n t link set p0 up
ip -n t link set eth4 up
ip -n t link set p4 up
ip -n t addr add 192.168.1.2/24 dev eth0
ip -n t addr add 10.4.0.1/24 dev eth4
ip -n t -6 addr add fd04::1/64 dev eth4 nodad
ip -n t address show up | grep -c inet
ip -n t address add 2001:0db8:85a3::0370:7334/64 dev eth1
ip -n t address delete 2001:0db8:85a3::0370:7334/64 dev eth1
ip -n t address flush dev eth4 scope global
ip -n t -6 address show dev eth4 | grep -c 'scope link'
ip -n t ro
ip -n t route add default via 192.168.1.1 dev eth0
ip -n t route add 10.1.1.0/30 nhid 10
ip -n t ro
