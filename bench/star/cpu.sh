#!/usr/bin/env bash
# Where the CPU goes during the star workload's setup (bench/star/gen.sh), per
# tool: wall time, the whole machine's busy CPU time (/proc/stat: user, system,
# irq and softirq of both cores), and the tool's own user and system time
# (its processes and their children). busy - tool user is the kernel's work,
# including what it does in its own threads and softirqs (namespace cleanup,
# the link watcher, IPv6 DAD/MLD/router solicitations flooded by br0 to every
# port); half of it is what two cores need at least: the floor on this machine.
# Waits for the machine to be idle before each setup, and deletes the
# namespaces after it. Runs inside a throwaway network + mount namespace.
# Usage: bench/star/cpu.sh [N]   (default 1000)
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
if [ -z "${NSLAB_BENCH_INNER:-}" ]; then
  "$repo/nslab" --version >/dev/null 2>&1 || true
  export NSLAB_BENCH_INNER=1
  exec unshare --net --mount --propagation private "$0" "$@"
fi
mount -t tmpfs bench-netns /run/netns
mount -t sysfs sysfs /sys
ip link set lo up
n="${1:-1000}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
"$here/gen.sh" "$n" "$work"
hz=$(getconf CLK_TCK)
. "$repo/bench/idle.sh"
gone() { while [ "$(ip -o link show type veth | wc -l)" != 0 ]; do sleep 0.01; done; }
ip_up() {
  ip -batch "$work/ip-host.batch"
  for f in "$work"/ip-ns/*.batch; do b="${f##*/}"; ip -n "${b%.batch}" -batch "$f"; done
}
nslab_up() { NSLAB_NO_BUILD=1 "$repo/nslab" -batch "$work/nslab.batch"; }
printf '%-6s %-6s %8s %10s %10s %10s %12s %9s\n' N tool wall_s busy_cpu_s tool_usr_s tool_sys_s kernel_cpu_s floor_s
for tool in ${TOOLS:-ip nslab}; do
  idle_wait
  b0=$(busy); t0=$(date +%s.%N)
  TIMEFORMAT='%U %S'; { time "${tool}_up" >/dev/null; } 2> "$work/times"
  t1=$(date +%s.%N); b1=$(busy)
  read -r usr sys < <(tail -1 "$work/times")
  wall=$(echo "$t1 - $t0" | bc); cpu=$(echo "scale=3; ($b1 - $b0) / $hz" | bc)
  kern=$(echo "scale=3; $cpu - $usr" | bc); floor=$(echo "scale=3; $kern / 2" | bc)
  printf '%-6s %-6s %8.3f %10.3f %10.3f %10.3f %12.3f %9.3f\n' "$n" "$tool" "$wall" "$cpu" "$usr" "$sys" "$kern" "$floor"
  ip -batch "$work/ip-down.batch" >/dev/null; gone
done
