#!/usr/bin/env bash
# Generates the "star" workload for N namespaces into DIR:
#   DIR/nslab.batch        one nslab batch file (-n NS per line)
#   DIR/nslab-down.batch   teardown: delete every namespace and the bridge
#   DIR/ip-host.batch      iproute2 host-side batch (bridge, netns add, veths)
#   DIR/ip-ns/cI.batch     one iproute2 batch per namespace (run as ip -n cI -batch)
#   DIR/ip-down.batch      iproute2 teardown (netns del ..., link del br0)
# Host namespace: bridge br0 10.200.0.1/16. Namespace cI: lo up, veth vI (host,
# on br0, up) <-> eth0 (in cI), 10.200.x.y/16 on eth0, default route via 10.200.0.1.
# Both tools get the same commands: "link add vI up master br0 type veth peer
# name eth0 netns cI" on the host side, then cI's four lines together.
# ADDRGENMODE=none adds "link set eth0 addrgenmode none" before eth0 goes up
# (for both tools): no IPv6 link-local address, so no DAD/MLD/RS flood.
set -euo pipefail
n="${1:?usage: gen.sh N DIR}"
dir="${2:?usage: gen.sh N DIR}"
mkdir -p "$dir/ip-ns"
rm -f "$dir"/ip-ns/*.batch
{
  echo "link add br0 type bridge"
  echo "link set br0 up"
  echo "addr add 10.200.0.1/16 dev br0"
} | tee "$dir/ip-host.batch" > "$dir/nslab.batch"
: > "$dir/nslab-down.batch"
: > "$dir/ip-down.batch"
for ((i = 1; i <= n; i++)); do
  a="10.200.$(( (i + 1) / 250 )).$(( (i + 1) % 250 + 1 ))/16"
  agm=""; [ -n "${ADDRGENMODE:-}" ] && agm="link set eth0 addrgenmode $ADDRGENMODE"
  # host side: one command per namespace (ip's own syntax: up and master on link add)
  cat >> "$dir/nslab.batch" <<EOB
netns add c$i
link add v$i up master br0 type veth peer name eth0 netns c$i
-n c$i link set lo up
-n c$i addr add $a dev eth0${agm:+
-n c$i $agm}
-n c$i link set eth0 up
-n c$i route add default via 10.200.0.1
EOB
  cat >> "$dir/ip-host.batch" <<EOB
netns add c$i
link add v$i up master br0 type veth peer name eth0 netns c$i
EOB
  cat > "$dir/ip-ns/c$i.batch" <<EOB
link set lo up
addr add $a dev eth0${agm:+
$agm}
link set eth0 up
route add default via 10.200.0.1
EOB
  echo "netns del c$i" >> "$dir/nslab-down.batch"
  echo "netns del c$i" >> "$dir/ip-down.batch"
done
echo "link del br0" >> "$dir/nslab-down.batch"
echo "link del br0" >> "$dir/ip-down.batch"
