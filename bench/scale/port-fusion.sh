#!/bin/bash
# bench/scale/port-fusion.sh [N]: what issue 16's next step would save, measured with iproute2 alone:
# N bridge ports (veth pairs into N namespaces, 1,000 ports per bridge) built as nslab builds them today,
# `link add pK type veth peer name eth0 netns nK` then `link set pK master brB up` (two RTM_NEWLINK),
# against one RTM_NEWLINK per port, `link add pK master brB up type veth peer name eth0 netns nK`.
# Each mode twice, alternating, in a throwaway network + mount namespace; times the ports only.
set -e
N=${1:-3000}
one() {
  unshare --net --mount --propagation private bash -c '
    set -e; N=$1; MODE=$2; T=$(mktemp -d)
    mount -t tmpfs fusion /run/netns 2>/dev/null || { mkdir -p /run/netns; mount -t tmpfs fusion /run/netns; }
    for ((i = 0; i < N; i++)); do echo "netns add n$i"; done > $T/ns.batch
    ip -batch $T/ns.batch
    for ((b = 0; b <= (N - 1) / 1000; b++)); do ip link add br$b type bridge; ip link set br$b up; done
    for ((i = 0; i < N; i++)); do
      if [ "$MODE" = one ]; then echo "link add p$i master br$((i / 1000)) up type veth peer name eth0 netns n$i"
      else echo "link add p$i type veth peer name eth0 netns n$i"; echo "link set p$i master br$((i / 1000)) up"; fi
    done > $T/ports.batch
    s=$(date +%s%N); ip -batch $T/ports.batch; e=$(date +%s%N)
    echo "$MODE message(s) per port, N=$N: $(( (e - s) / 1000000 )) ms, $(ip -o link show up | grep -c "@") ports up"
    for ((i = 0; i < N; i++)); do echo "netns del n$i"; done > $T/del.batch
    ip -batch $T/del.batch; rm -rf $T' sh "$N" "$1"
}
echo "load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, kernel $(uname -r)"
for m in ${MODES:-two one two one}; do one $m; done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
