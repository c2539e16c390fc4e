#!/bin/bash
# gen.sh star N built and removed with iproute2 at its fastest (ip -batch; one `ip -n NODE -batch` per node), as
# bench/lab/iproute2.sh, but above 1,023 ports with the same tree of bridges nslab builds (the kernel refuses the
# 1,024th port of a bridge): leaf bridges of at most 1,022 ports joined to br0 by veth pairs. Run it in a private
# mount namespace with its own /run/netns (run.sh does); prints "up MS" and "down MS".
set -e
N=${1:-1000}
T=$(mktemp -d)
if [ "$N" -le 1023 ]; then LEAVES=0; else LEAVES=$(( (N + 1021) / 1022 )); fi
SIZE=$(( LEAVES > 0 ? (N + LEAVES - 1) / LEAVES : N ))
{
  echo "netns add big.sw"
  for ((i = 0; i < N; i++)); do echo "netns add big.n$i"; done
} > $T/ns.batch
{
  echo "link add br0 type bridge"
  for ((k = 0; k < LEAVES; k++)); do
    echo "link add lb$k type bridge"
    echo "link add up$k type veth peer name dn$k"
    echo "link set up$k master br0 up"
    echo "link set dn$k master lb$k up"
    echo "link set lb$k up"
  done
  for ((i = 0; i < N; i++)); do echo "link add p$i type veth peer name eth0 netns big.n$i"; done
  for ((i = 0; i < N; i++)); do
    if [ $LEAVES -gt 0 ]; then echo "link set p$i master lb$((i / SIZE)) up"; else echo "link set p$i master br0 up"; fi
  done
  echo "addr add 10.1.255.254/16 dev br0"
  echo "link set br0 up"
  echo "link set lo up"
} > $T/sw.batch
for ((i = 0; i < N; i++)); do
  printf 'link set lo up\naddr add 10.1.%d.%d/16 dev eth0\nlink set eth0 up\n' $((i / 250)) $((i % 250 + 1)) > $T/n$i.batch
done
{
  echo "netns del big.sw"
  for ((i = 0; i < N; i++)); do echo "netns del big.n$i"; done
} > $T/del.batch

ms() { date +%s%N | cut -c1-13; }
t0=$(ms)
ip -batch $T/ns.batch
ip -n big.sw -batch $T/sw.batch
for ((i = 0; i < N; i++)); do ip -n big.n$i -batch $T/n$i.batch; done
t1=$(ms)
ip -batch $T/del.batch
t2=$(ms)
echo "iproute2 N=$N: up $((t1 - t0)) ms, down $((t2 - t1)) ms"
rm -rf $T
