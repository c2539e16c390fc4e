#!/bin/bash
# The same lab as nslab's BigLab (N nodes on one bridge br0 in node "sw",
# 10.1.0.0/16) built and removed with iproute2 at its fastest: every command
# that can share a process does (ip -batch), one `ip -n NODE -batch` per
# node for what must happen inside it. Run inside a throwaway network and
# mount namespace (see run.sh); prints "up MS" and "down MS".
set -e
N=${1:-1000}
T=$(mktemp -d)
{
  echo "netns add big.sw"
  for i in $(seq 0 $((N-1))); do echo "netns add big.n$i"; done
} > $T/ns.batch
{
  echo "link add br0 type bridge"
  for i in $(seq 0 $((N-1))); do echo "link add p$i type veth peer name eth0 netns big.n$i"; done
  for i in $(seq 0 $((N-1))); do echo "link set p$i master br0 up"; done
  echo "addr add 10.1.255.254/16 dev br0"
  echo "link set br0 up"
  echo "link set lo up"
} > $T/sw.batch
for i in $(seq 0 $((N-1))); do
  printf 'link set lo up\naddr add 10.1.%d.%d/16 dev eth0\nlink set eth0 up\n' $((i/250)) $((i%250+1)) > $T/n$i.batch
done
{
  echo "netns del big.sw"
  for i in $(seq 0 $((N-1))); do echo "netns del big.n$i"; done
} > $T/del.batch

ms() { date +%s%N | cut -c1-13; }
t0=$(ms)
ip -batch $T/ns.batch
ip -n big.sw -batch $T/sw.batch
for i in $(seq 0 $((N-1))); do ip -n big.n$i -batch $T/n$i.batch; done
t1=$(ms)
ip -batch $T/del.batch
t2=$(ms)
echo "iproute2 N=$N: up $((t1-t0)) ms, down $((t2-t1)) ms"
rm -rf $T
