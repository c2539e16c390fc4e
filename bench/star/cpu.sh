#!/usr/bin/env bash
# Where the CPU goes during the star workload's setup (bench/star/gen.sh), per
# tool: wall time, the whole machine's busy CPU time (/proc/stat: user, system,
# irq and softirq of both cores), and the tool's own user and system time
# (its processes and their children). busy - tool user is the kernel's work,
# including what it does in its own threads and softirqs (namespace cleanup,
# the link watcher, IPv6 DAD/MLD/router solicitations flooded by br0 to every
# port); spread over every core it is the floor on this machine (bench/lib.sh).
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
. "$repo/bench/lib.sh"
ip_up() {
  ip -batch "$work/ip-host.batch"
  for f in "$work"/ip-ns/*.batch; do b="${f##*/}"; ip -n "${b%.batch}" -batch "$f"; done
}
nslab_up() { NSLAB_NO_BUILD=1 "$repo/nslab" -batch "$work/nslab.batch"; }
cpu_header
for tool in ${TOOLS:-ip nslab}; do
  cpu_measure "$n" "$tool setup" "${tool}_up"
  ip -batch "$work/ip-down.batch" >/dev/null; gone_veths
done
