#!/bin/bash
# source: JohanOnPc/isis-labs, 20-multi-vxlan/r2/vxlan.sh (two VXLAN segments on one router, peers added with bridge fdb append)
# kept: the ip and bridge command sequence of r2; added: the router's namespace, its underlay and the ports eth3/eth4
# (in the lab they are containerlab links), the far VTEP r1 for one segment, and the checks.
# Run by IpCorpusTest twice, with iproute2's ip and bridge and with nslab as both, in throwaway namespaces.

# --- added: r2 and r1 joined by an underlay, hosts on eth3/eth4
ip netns add r1
ip netns add r2
ip link add eth1 netns r2 type veth peer name eth1 netns r1
ip -n r2 addr add 10.0.0.2/24 dev eth1
ip -n r1 addr add 10.0.0.1/24 dev eth1
ip -n r2 link set eth1 up
ip -n r1 link set eth1 up
ip netns add h3
ip netns add h4
ip link add eth3 netns r2 type veth peer name eth0 netns h3
ip link add eth4 netns r2 type veth peer name eth0 netns h4
ip -n h3 addr add 192.168.10.3/24 dev eth0
ip -n h3 link set eth0 up
ip -n h4 addr add 192.168.20.4/24 dev eth0
ip -n h4 link set eth0 up
ip -n r2 link set eth3 up
ip -n r2 link set eth4 up

# --- r2, as the lab configures it (run inside r2)
ip netns exec r2 bash -s <<'R2'
ip link add br-red type bridge
ip link add vxlan1000 type vxlan id 1000 local 10.0.0.2 dstport 4789
ip link set vxlan1000 master br-red
ip link set eth3 master br-red
ip link set br-red up
ip link set vxlan1000 up

ip link add br-blue type bridge
ip link add vxlan1001 type vxlan id 1001 local 10.0.0.2 dstport 4789
ip link set vxlan1001 master br-blue
ip link set eth4 master br-blue
ip link set br-blue up
ip link set vxlan1001 up

bridge fdb append 00:00:00:00:00:00 dev vxlan1000 dst 10.0.0.1
bridge fdb append 00:00:00:00:00:00 dev vxlan1000 dst 10.0.0.3
bridge fdb append 00:00:00:00:00:00 dev vxlan1001 dst 10.0.0.1
R2

# --- added: r1's end of the red segment, with a host of its own
ip netns add h1
ip link add eth3 netns r1 type veth peer name eth0 netns h1
ip -n h1 addr add 192.168.10.1/24 dev eth0
ip -n h1 link set eth0 up
ip -n r1 link add br-red type bridge
ip -n r1 link add vxlan1000 type vxlan id 1000 local 10.0.0.1 dstport 4789
ip -n r1 link set vxlan1000 master br-red
ip -n r1 link set eth3 master br-red
ip -n r1 link set eth3 up
ip -n r1 link set br-red up
ip -n r1 link set vxlan1000 up
bridge -n r1 fdb append 00:00:00:00:00:00 dev vxlan1000 dst 10.0.0.2

# --- added for the comparison: the peers as bridge lists them, the ports, and a ping across the red segment
ip netns exec r2 bridge fdb show dev vxlan1000 | grep 'dst.*permanent'
bridge -n r2 -j fdb show brport vxlan1001 | grep -o '"dst":"[0-9.]*"'
bridge -n r2 link show | sed 's/^[0-9]*: //' | cut -d' ' -f1,3-6 | sort   # flags and port state follow the carrier: left out
bridge -n r1 fdb show br br-red | grep -c 'dst.*permanent'
if ip netns exec h3 ping -c1 -w10 192.168.10.1 >/dev/null 2>&1; then echo "ping h3 -> h1 over vxlan: ok"; else echo "ping h3 -> h1 over vxlan: lost"; fi
