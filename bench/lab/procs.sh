#!/bin/bash
# bench/lab (issue 13): what run: processes add to `nslab up` and `nslab down`
# on the N-node lab of gen.sh when every node n0..nN-1 runs one small process,
# `nc -lk 7000` (netcat-openbsd), with `ready: tcp 7000`. The same lab without
# run: is timed right before, in the same namespace and state directory, so the
# difference is the processes' share. Nothing sends packets: the ready probe
# reads the namespaces' socket tables, so the shared ARP table is not touched.
# Everything runs in a throwaway network + mount namespace.
#   bench/lab/procs.sh [N] [ROUNDS]       (defaults 1000, 3)
set -e
N=${1:-1000}
ROUNDS=${2:-3}
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
command -v nc > /dev/null || { echo "procs.sh: needs nc (apt-get install netcat-openbsd)" >&2; exit 3; }
./nslab --version > /dev/null    # builds the jar and its start-up cache outside the timing
T=$(mktemp -d)
bash bench/lab/gen.sh "$N" > $T/plain.yaml
# the same lab, each node n<i> running nc
awk '/^  n[0-9]+:$/ { print; print "    run:"; print "      - {cmd: [nc, -lk, \"7000\"], ready: tcp 7000}"; next } { print }' \
  $T/plain.yaml > $T/procs.yaml
cat > $T/inner.sh <<'INNER'
set -e
mount -t tmpfs bench /run/netns
LAUNCHER="$PWD/nslab"
nslab() { NSLAB_NO_BUILD=1 "$LAUNCHER" "$@"; }
ms() { date +%s%N | cut -c1-13; }
. bench/lib.sh
for f in plain procs; do
  idle_wait
  # the CPU time of up's own JVM (its user and system time; the started processes are not its waited children)
  TIMEFORMAT='%U %S'
  t0=$(ms); { time NSLAB_TRACE=1 nslab up $T/$f.yaml > $T/up.out 2> $T/up.err; } 2> $T/up.time
  t1=$(ms)
  [ $f = procs ] && echo "  processes running in lab namespaces: $(grep -l NSLAB_PROC=big: /proc/[0-9]*/environ 2>/dev/null | wc -l)"
  nslab down $T/$f.yaml > $T/down.out 2>/dev/null
  t2=$(ms)
  echo "$f N=$N: up $((t1-t0)) ms, down $((t2-t1)) ms   ($(cat $T/up.out)) up cpu $(awk '{printf "%.2f s (user %s, sys %s)", $1+$2, $1, $2}' $T/up.time) $(grep -o 'run phase.*\|launcher .*' $T/up.err | tr '\n' ' ')"
  [ $f = procs ] && echo "  processes left after down: $(grep -l NSLAB_PROC=big: /proc/[0-9]*/environ 2>/dev/null | wc -l)"
done
INNER
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$ROUNDS"); do
  STATE=$(mktemp -d -p /run)
  T=$T N=$N NSLAB_RUN=$STATE unshare --net --mount --propagation private bash $T/inner.sh
  rm -rf "$STATE"
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf $T
