#!/bin/bash
# bench/scale: time and memory per node of big labs, nslab against iproute2 in the same run.
#   bench/scale/run.sh                 everything (star 1000 3000 10000, fabric 100x100, chain 1000, iproute2 1000 3000)
#   bench/scale/run.sh star 3000       one lab (star N | fabric L H | chain N | iproute2 N)
# verify runs with --timeout ${VERIFY_TIMEOUT:-3000} ms (probes wait for CPU on a loaded machine); VERIFY=0 skips it;
# PRIME=0 runs it with --no-prime (labelled LAB-noprime): without unicast ARP priming a 10,000-member segment's
# verify floods every ARP request to 10,000 ports, more than ten minutes here.
# Each lab runs in a private mount namespace with its own /run/netns and /run/nslab (so every namespace it makes
# dies with it), but in this machine's initial network namespace: only there can `up --tune-host` raise the host's
# limits (neighbour tables, netdev_max_backlog) that big segments need. nslab restores them at `down`; this script
# also puts back the values it found at its start on exit, whatever happens. Needs root.
set -e
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
. bench/lib.sh
SYSCTLS="net/ipv4/neigh/default/gc_thresh1 net/ipv4/neigh/default/gc_thresh2 net/ipv4/neigh/default/gc_thresh3
  net/ipv6/neigh/default/gc_thresh1 net/ipv6/neigh/default/gc_thresh2 net/ipv6/neigh/default/gc_thresh3 net/core/netdev_max_backlog"
SAVED=$(for s in $SYSCTLS; do echo "$s=$(cat /proc/sys/$s)"; done)
restore() { for kv in $SAVED; do echo "${kv#*=}" > "/proc/sys/${kv%%=*}"; done; }
trap restore EXIT
./nslab --version > /dev/null       # builds the jar and its start-up cache outside the timing
export NSLAB_NO_BUILD=1             # and never inside it (an edited source would rebuild)
W=$(mktemp -d)
trap 'restore; rm -rf "$W"' EXIT

header() {
  printf '%-14s %6s %7s %7s %8s %7s %7s %8s %8s %8s %9s %9s %s\n' lab nodes up_s ver_s checks down_s \
    up_ms/n ver_ms/n down_ms/n rss_MB heap_MB kmem_MB/n "load(1m)"
}

# one LABEL FILE NAME NODES: up --tune-host, verify, down, each timed with its peak RSS; kernel memory from MemAvailable
one() {
  local label=$1 file=$2 name=$3 nodes=$4
  [ "${PRIME:-1}" = 0 ] && label=$label-noprime
  idle_wait
  unshare --mount --propagation private bash -c '
    set -e
    mount -t tmpfs bench /run/netns; mkdir -p /run/nslab; mount -t tmpfs bench /run/nslab
    trap "./nslab down '"$name"' > /dev/null 2>&1 || true" EXIT
    mem() { awk "/MemAvailable/{print \$2}" /proc/meminfo; }
    m0=$(mem)
    JAVA_TOOL_OPTIONS="-Xlog:gc:file='"$W"'/gc.log" /usr/bin/time -f "%e %M" -o '"$W"'/up.t ./nslab up --tune-host '"$file"' > '"$W"'/up.out 2>&1 \
      || { cat '"$W"'/up.out >&2; exit 1; }
    m1=$(mem)
    if [ "${VERIFY:-1}" = 1 ]; then
      /usr/bin/time -f "%e %M" -o '"$W"'/ver.t ./nslab verify --timeout ${VERIFY_TIMEOUT:-3000} $([ "${PRIME:-1}" = 0 ] && echo --no-prime) -o json '"$file"' > '"$W"'/ver.json 2> '"$W"'/ver.err || true
    else echo "0 0" > '"$W"'/ver.t; echo "{}" > '"$W"'/ver.json; : > '"$W"'/ver.err; fi
    /usr/bin/time -f "%e %M" -o '"$W"'/down.t ./nslab down '"$name"' > '"$W"'/down.out 2>&1
    trap - EXIT
    echo "$m0 $m1" > '"$W"'/mem
  '
  read -r up_s up_kb < <(tail -1 "$W/up.t"); read -r ver_s ver_kb < <(tail -1 "$W/ver.t"); read -r down_s down_kb < <(tail -1 "$W/down.t")
  read -r m0 m1 < "$W/mem"
  local checks heap rss
  checks=$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print("%d/%d" % (len(j["checks"]) - j["failures"], len(j["checks"])))' "$W/ver.json" 2>/dev/null || echo "?")
  [ "${VERIFY:-1}" = 1 ] || checks=skipped
  # the heap's high-water mark: the most in use when a collection started (serial GC: "Pause ... 45M->12M(100M)")
  heap=$(grep -o '[0-9]*M->' "$W/gc.log" 2>/dev/null | sed 's/M->//' | sort -n | tail -1)
  rss=$(( (up_kb > ver_kb ? (up_kb > down_kb ? up_kb : down_kb) : (ver_kb > down_kb ? ver_kb : down_kb)) / 1024 ))
  awk -v l="$label" -v n="$nodes" -v u="$up_s" -v v="$ver_s" -v c="$checks" -v d="$down_s" -v r="$rss" -v h="${heap:-n/a}" \
      -v m0="$m0" -v m1="$m1" -v load="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
    printf "%-14s %6d %7.1f %7.1f %8s %7.1f %7.2f %7.2f %8.2f %8d %9s %9.3f %s\n", l, n, u, v, c, d, u*1000/n, v*1000/n, d*1000/n, r, h, (m0-m1)/1024/n, load }'
  # what each command said, for a look afterwards
  mkdir -p "${OUT:-/tmp/nslab-bench-scale}"
  for f in up.out ver.json ver.err down.out; do cp "$W/$f" "${OUT:-/tmp/nslab-bench-scale}/$label.$f"; done
  rm -f "$W/gc.log"
}

iproute2() {
  idle_wait
  unshare --mount --propagation private bash -c 'mount -t tmpfs bench /run/netns; bash bench/scale/iproute2.sh '"$1"
}

run() {
  case "$1" in
  star) bench/scale/gen.sh star "$2" > "$W/star$2.yaml"; one "star-$2" "$W/star$2.yaml" big "$(( $2 + 1 ))" ;;
  fabric) bench/scale/gen.sh fabric "$2" "$3" > "$W/fabric.yaml"; one "fabric-$2x$3" "$W/fabric.yaml" fabric "$(( $2 * $3 + $2 + 1 ))" ;;
  chain) bench/scale/gen.sh chain "$2" > "$W/chain.yaml"; one "chain-$2" "$W/chain.yaml" chain "$2" ;;
  iproute2) iproute2 "$2" ;;
  esac
}

echo "# $(date -u '+%F %T') UTC, $(nproc) cores, kernel $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
header
if [ $# -gt 0 ]; then run "$@"; exit; fi
run star 1000; run iproute2 1000
run star 3000; run iproute2 3000
run star 10000
run fabric 100 100
run chain 1000
echo "# load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
