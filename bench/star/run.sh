#!/usr/bin/env bash
# The "star" benchmark: nslab -batch (one file, -n per line) against iproute2 at
# its fastest (one ip -batch for the host side, one ip -n cI -batch per
# namespace), for N = 100 300 1000 (or the Ns given), setup and teardown,
# whole process including JVM start. Teardown deletes the namespaces and waits
# until the kernel has really removed every veth.
# Runs itself inside a throwaway network + mount namespace (unshare), so the
# machine's interfaces and /run/netns are never touched.
# Usage: [TOOLS="ip nslab"] bench/star/run.sh [-r ROUNDS] [N...]
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
if [ -z "${NSLAB_BENCH_INNER:-}" ]; then
  "$repo/nslab" --version >/dev/null 2>&1 || true   # build the jar outside the timing
  export NSLAB_BENCH_INNER=1
  exec unshare --net --mount --propagation private "$0" "$@"
fi
mount -t tmpfs bench-netns /run/netns
mount -t sysfs sysfs /sys
ip link set lo up

rounds=3
if [ "${1:-}" = "-r" ]; then rounds="$2"; shift 2; fi
ns=("$@"); [ ${#ns[@]} -gt 0 ] || ns=(100 300 1000)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

. "$repo/bench/lib.sh"
now() { date +%s.%N; }
veths() { ip -o link show type veth 2>/dev/null | wc -l; }
wait_gone() {   # until the kernel has removed every veth and the bridge
  while [ "$(veths)" != 0 ] || ip link show br0 >/dev/null 2>&1; do sleep 0.005; done
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }

# nslab exactly as a user runs it: the launcher (JDK discovery, a staleness
# check, the ahead-of-time cache), built and trained above, outside the timing.
nslab_cmd() { NSLAB_NO_BUILD=1 "${NSLAB:-$repo/nslab}" "$@"; }
nslab_up()   { nslab_cmd -batch "$1/nslab.batch"; }
nslab_down() { nslab_cmd -batch "$1/nslab-down.batch"; wait_gone; }
ip_up() {
  ip -batch "$1/ip-host.batch"
  for f in "$1"/ip-ns/*.batch; do b="${f##*/}"; ip -n "${b%.batch}" -batch "$f"; done
}
ip_down() { ip -batch "$1/ip-down.batch"; wait_gone; }

check() {   # the workload really is there: N namespaces, each with its default route
  local n="$1" got
  got="$(ip netns list | wc -l)"
  [ "$got" = "$n" ] || { echo "expected $n namespaces, found $got" >&2; exit 1; }
  ip -n "c$n" route show default | grep -q 'via 10.200.0.1' || { echo "c$n has no default route" >&2; exit 1; }
}

printf '%-6s %-8s %10s %10s %10s\n' N tool setup_s teardown_s total_s
for n in "${ns[@]}"; do
  "$here/gen.sh" "$n" "$work/$n"
  for tool in ${TOOLS:-ip nslab}; do
    ups=(); downs=(); tots=()
    for ((r = 0; r < rounds; r++)); do
      idle_wait
      t0=$(now); "${tool}_up" "$work/$n"; t1=$(now)
      check "$n"
      "${tool}_down" "$work/$n"; t2=$(now)
      ups+=("$(echo "$t1 - $t0" | bc)"); downs+=("$(echo "$t2 - $t1" | bc)"); tots+=("$(echo "$t2 - $t0" | bc)")
    done
    printf '%-6s %-8s %10s %10s %10s\n' "$n" "$tool" "$(median "${ups[@]}")" "$(median "${downs[@]}")" "$(median "${tots[@]}")"
  done
done
