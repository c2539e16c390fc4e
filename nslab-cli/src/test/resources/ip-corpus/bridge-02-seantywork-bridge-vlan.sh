#!/bin/bash
# source: seantywork/seantywork, ip/bridgevlan-construct.sh (a VLAN-aware bridge: vlan_filtering set on an existing
# bridge, ports given VLANs with bridge vlan add)
# kept: the ip and bridge command sequence without sudo; the checks at the end are added.
# On a kernel without CONFIG_BRIDGE_VLAN_FILTERING (and CONFIG_VLAN_8021Q) those steps fail with ip and bridge too,
# and must fail the same way with nslab.
# Run by IpCorpusTest twice, with iproute2's ip and bridge and with nslab as both, in throwaway namespaces.

ip netns add net1
ip link add dev veth1 type veth peer name veth2 netns net1
ip link set up veth1
ip netns exec net1 ip link set up lo
ip addr add 192.168.64.1/24 dev veth1
ip route add 192.168.64.0/24 dev veth1
ip netns add net2
ip link add dev veth3 type veth peer name veth4 netns net2
ip link set veth3 netns net1
ip netns exec net2 ip link set up veth4
ip netns exec net2 ip addr add 192.168.64.6/24 dev veth4
ip netns exec net2 ip route add default via 192.168.64.1 dev veth4
ip netns exec net1 sysctl -w net.ipv4.ip_forward=1

ip netns exec net1 ip link add br0 type bridge stp_state 0
ip netns exec net1 ip link set br0 address 12:34:56:78:9a:bc
ip netns exec net1 ip link set veth2 master br0
ip netns exec net1 ip link set veth3 master br0
ip netns exec net1 ip addr add 192.168.64.2/24 dev br0
ip netns exec net1 ip link set br0 up
ip netns exec net1 ip link set veth2 up
ip netns exec net1 ip link set veth3 up
ip netns exec net1 ip route add default dev br0
ip netns exec net1 ip route add 192.168.64.0/24 dev br0 proto static

ip netns exec net1 ip link set br0 type bridge vlan_filtering 1
ip netns add net3
ip link add dev veth5 type veth peer name veth6 netns net3
ip link set veth5 netns net1
ip netns exec net1 ip link set veth5 master br0
ip netns exec net1 ip link set veth5 up
ip netns exec net3 ip link set up veth6
ip netns exec net3 ip addr add 192.168.66.6/24 dev veth6
ip netns exec net3 ip link set dev veth6 up
ip netns exec net3 ip route add default via 192.168.66.1 dev veth6
ip netns exec net1 bridge vlan add dev veth5 vid 5 pvid untagged master
ip netns exec net1 bridge vlan add dev veth2 vid 5 master
ip netns exec net1 ip route add 192.168.66.0/24 dev br0 proto static

ip link add link veth1 name veth1.5 type vlan id 5
ip addr add 192.168.66.1/24 dev veth1.5
ip link set veth1.5 up

# --- added for the comparison: the bridge's VLAN state and ports as bridge lists them
echo "vlan_filtering $(ip netns exec net1 cat /sys/class/net/br0/bridge/vlan_filtering)"   # read from sysfs: nslab's ip -d does not print a bridge's options
bridge -n net1 vlan show
bridge -n net1 -j vlan show
bridge -n net1 link show | sed 's/^[0-9]*: //; s/ state [a-z]*//' | cut -d' ' -f1,3- | sort   # the port state follows the carrier, which comes in its own time
