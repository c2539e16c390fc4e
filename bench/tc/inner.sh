#!/bin/bash
# The body of bench/tc/run.sh, inside its private namespaces.
set -e
T=$1
lab=$(mktemp --suffix=.yaml)
goodput() {     # NS_FROM NS_TO ADDR: iperf3 receiver Mbit/s
  ip netns exec "$2" iperf3 -s -1 -D -p 5202 -B "$3"; sleep 0.3
  ip netns exec "$1" iperf3 -c "$3" -p 5202 -t "$T" -f m | grep -E 'receiver$' | grep -oE '[0-9.]+ Mbits/sec' | cut -d' ' -f1
}
printf '%-8s %18s %20s %24s\n' rate "tc tbf (iperf3)" "nslab impair (iperf3)" "nslab verify rate probe"
for r in 1 10 100; do
  bytes=$(( r * 1000000 / 8 ))
  burst=$(( bytes / 100 > 4096 ? bytes / 100 : 4096 ))
  queue=$(( bytes / 10 > 65536 ? bytes / 10 : 65536 ))
  # 1. tc's tbf with nslab's bucket and queue, on a plain veth pair
  ip netns add ta; ip netns add tb
  ip link add va netns ta type veth peer name vb netns tb
  ip -n ta addr add 10.78.0.1/24 dev va; ip -n tb addr add 10.78.0.2/24 dev vb
  ip -n ta link set va up; ip -n tb link set vb up
  tc -n ta qdisc add dev va root tbf rate ${r}mbit burst $burst limit $(( burst + queue ))
  tc_rate=$(goodput ta tb 10.78.0.2)
  ip netns del ta; ip netns del tb
  # 2. a lab with impair: {rate: R} (tbf on both ends), measured by iperf3 and by nslab verify
  cat > "$lab" <<LAB
name: bt
nodes:
  a:
  b:
    serve: [tcp 5201]
links:
  - ends: [{at: a:eth0, addresses: [10.79.0.1/24]}, {at: b:eth0, addresses: [10.79.0.2/24]}]
    impair: {rate: ${r}mbit}
expect:
  - a reaches b tcp 5201 rate >= 0mbit
LAB
  sed -i 's/rate >= 0mbit/rate >= 8bit/' "$lab"
  ./nslab up "$lab" >/dev/null
  lab_rate=$(goodput bt.a bt.b 10.79.0.2)
  probe=$(./nslab verify "$lab" | grep -oE 'rate [0-9.]+ Mbit/s' | head -1)
  ./nslab down "$lab" >/dev/null
  printf '%-8s %13s Mbit %15s Mbit %24s\n' "${r}mbit" "$tc_rate" "$lab_rate" "$probe"
done
rm -f "$lab"
echo "(goodput: TCP payload, so ~95% of the rate at most: Ethernet, IP and TCP headers take ~4.5% of 1514-byte frames)"
