#!/bin/bash
# Where the CPU goes during `nslab up` of the N-node lab (gen.sh) and during
# iproute2's fastest script for the same lab (iproute2.sh, up and its
# namespace deletion): wall time, the whole machine's busy CPU time
# (/proc/stat, both cores), and the tool's own user and system time.
# busy - tool user is the kernel's work; half of it is what two cores need at
# least: the floor on this machine. Waits for an idle machine before each run.
# Runs inside a throwaway network + mount namespace.
#   bench/lab/cpu.sh [N]   (default 1000)
set -euo pipefail
repo="$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)"
if [ -z "${NSLAB_BENCH_INNER:-}" ]; then
  "$repo/nslab" --version >/dev/null 2>&1 || true
  export NSLAB_BENCH_INNER=1
  exec unshare --net --mount --propagation private "$0" "$@"
fi
mount -t tmpfs bench /run/netns
N=${1:-1000}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
export NSLAB_RUN="$T/state"
bash "$repo/bench/lab/gen.sh" "$N" > "$T/big.yaml"
hz=$(getconf CLK_TCK)
. "$repo/bench/idle.sh"
gone() { while [ "$(ip -o link show type veth | wc -l)" != 0 ]; do sleep 0.01; done; }
nslab_up() { NSLAB_NO_BUILD=1 "$repo/nslab" up "$T/big.yaml"; }
ip_updown() { bash "$repo/bench/lab/iproute2.sh" "$N"; }
measure() {   # NAME COMMAND
  idle_wait
  local b0 b1 t0 t1 usr sys wall cpu kern
  b0=$(busy); t0=$(date +%s.%N)
  TIMEFORMAT='%U %S'; { time "$2" > "$T/out"; } 2> "$T/times"
  t1=$(date +%s.%N); b1=$(busy)
  read -r usr sys < <(tail -1 "$T/times")
  wall=$(echo "$t1 - $t0" | bc); cpu=$(echo "scale=3; ($b1 - $b0) / $hz" | bc)
  kern=$(echo "scale=3; $cpu - $usr" | bc)
  printf '%-6s %-14s %8.3f %10.3f %10.3f %10.3f %12.3f %9.3f\n' "$N" "$1" "$wall" "$cpu" "$usr" "$sys" "$kern" "$(echo "scale=3; $kern / 2" | bc)"
}
printf '%-6s %-14s %8s %10s %10s %10s %12s %9s\n' N run wall_s busy_cpu_s tool_usr_s tool_sys_s kernel_cpu_s floor_s
measure "nslab up" nslab_up
NSLAB_NO_BUILD=1 "$repo/nslab" down "$T/big.yaml" > /dev/null 2>&1; gone
measure "iproute2 up+del" ip_updown
gone
