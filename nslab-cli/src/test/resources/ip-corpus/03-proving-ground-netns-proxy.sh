#!/bin/bash
# source: jschwinger233/proving-ground, container_network/netns-proxy.bash
# kept: the ip command sequence with its variables set (it is written with ip's abbreviations: net a, l a, l s, net e, a a, r a).
# Run by IpCorpusTest twice, with iproute2's ip and with nslab as ip, in throwaway namespaces.

ping_check() { # added for the comparison: does $1 reach $2 (a deadline: a veth passes nothing until the kernel's link watcher has run, seconds under load)
  if ip netns exec "$1" ping -c1 -w10 "$2" >/dev/null 2>&1; then echo "ping $1 -> $2: ok"; else echo "ping $1 -> $2: lost"; fi
}

ns=proxyns
ip=10.10.0.2
veth=vproxy
ip net a $ns
ip l a $veth type veth peer name $veth-peer
ip l s $veth-peer up
ip l s $veth netns $ns
ip net e $ns ip l s $veth up
ip net e $ns ip a a $ip dev $veth
ip net e $ns ip r a 169.254.0.1 dev $veth
ip net e $ns ip r a default via 169.254.0.1 dev $veth
ip r a $ip dev $veth-peer

# --- added for the comparison
ip net e $ns ip r
ip r show dev $veth-peer
