#!/bin/bash
# The body of bench/capture/run.sh, inside its private namespaces.
set -e
T=$1
mount -t tmpfs bench /run/netns
out=$(mktemp -d)
ip netns add ca; ip netns add cb
ip link add va netns ca type veth peer name vb netns cb
ip -n ca addr add 10.77.0.1/24 dev va; ip -n cb addr add 10.77.0.2/24 dev vb
ip -n ca link set va up; ip -n cb link set vb up; ip -n ca link set lo up; ip -n cb link set lo up
ip netns exec cb iperf3 -s -1 -D -B 10.77.0.2 --logfile "$out/server.log"
sleep 0.5
# both capture the whole stream on va, full packets (snaplen 262144 each), from before the stream to after it,
# with rings of the same size: nslab's 8 x 1 MiB blocks, tcpdump -B 8192 (KiB; its default is 2 MiB)
/usr/bin/time -f "%U %S" -o "$out/nslab.time" ./nslab -n ca capture va -w "$out/nslab.pcapng" --timeout $((T + 6)) 2> "$out/nslab.err" &
ip netns exec ca /usr/bin/time -f "%U %S" -o "$out/tcpdump.time" tcpdump -i va -s 262144 -B "${TCPDUMP_B:-8192}" -w "$out/tcpdump.pcap" 2> "$out/tcpdump.err" &
tpid=$!
sleep 2
ip netns exec ca iperf3 -c 10.77.0.2 -t "$T" ${2:+-b "$2"} -f m > "$out/client.log"
sleep 1
pkill -INT -P "$tpid" -x tcpdump || true      # tcpdump is the child of /usr/bin/time
wait
sender=$(grep -E 'sender$' "$out/client.log" | grep -oE '[0-9.]+ [MG]bits/sec')
echo "iperf3 $T s over veth: $sender (sender)"
read -r nu ns < "$out/nslab.time"; read -r tu ts < "$out/tcpdump.time"
n_written=$(grep -E '^[0-9]+ packets? captured' "$out/nslab.err" | awk '{print $1}')
n_recv=$(grep -E 'received by filter' "$out/nslab.err" | awk '{print $1}')
n_drop=$(grep -E 'dropped by kernel' "$out/nslab.err" | awk '{print $1}')
t_written=$(grep -E 'packets? captured' "$out/tcpdump.err" | awk '{print $1}')
t_recv=$(grep -E 'received by filter' "$out/tcpdump.err" | awk '{print $1}')
t_drop=$(grep -E 'dropped by kernel' "$out/tcpdump.err" | awk '{print $1}')
n_read=$(tcpdump -r "$out/nslab.pcapng" 2>/dev/null | wc -l)
t_read=$(tcpdump -r "$out/tcpdump.pcap" 2>/dev/null | wc -l)
printf '%-8s %10s %10s %10s %14s %8s %8s %8s %10s\n' tool written received dropped "read back" usr_s sys_s cpu_s file_MB
printf '%-8s %10s %10s %10s %14s %8s %8s %8s %10s\n' nslab "$n_written" "$n_recv" "$n_drop" "$n_read" "$nu" "$ns" \
  "$(echo "$nu + $ns" | bc)" "$(( $(stat -c %s "$out/nslab.pcapng") / 1000000 ))"
printf '%-8s %10s %10s %10s %14s %8s %8s %8s %10s\n' tcpdump "$t_written" "$t_recv" "$t_drop" "$t_read" "$tu" "$ts" \
  "$(echo "$tu + $ts" | bc)" "$(( $(stat -c %s "$out/tcpdump.pcap") / 1000000 ))"
/usr/bin/time -f "%U %S" -o "$out/idle.time" ./nslab -n ca capture va -w "$out/idle.pcapng" --timeout 0.5 2>/dev/null
read -r iu is < "$out/idle.time"
idle=$(echo "$iu + $is" | bc)
echo "(nslab's cpu includes its JVM: the same command capturing an idle va for 0.5 s takes $idle s;"
echo " the stream alone: nslab $(echo "$nu + $ns - $idle" | bc) s;" \
     "per 1000 packets written: nslab $(echo "scale=3; ($nu + $ns) * 1000 / $n_written" | bc) s, tcpdump $(echo "scale=3; ($tu + $ts) * 1000 / $t_written" | bc) s;"
echo " read back = lines tcpdump -r prints for the file; received = the kernel's count, dropped included)"
ip netns del ca; ip netns del cb
rm -rf "$out"
