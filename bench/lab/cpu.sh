#!/bin/bash
# Where the CPU goes during `nslab up` of the N-node lab (gen.sh) and during
# iproute2's fastest script for the same lab (iproute2.sh, up and its
# namespace deletion): wall time, the whole machine's busy CPU time
# (/proc/stat, both cores), and the tool's own user and system time.
# busy - tool user is the kernel's work; spread over every core it is the
# floor on this machine (bench/lib.sh). Waits for an idle machine before each run.
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
. "$repo/bench/lib.sh"
cpu_header
cpu_measure "$N" "nslab up" env NSLAB_NO_BUILD=1 "$repo/nslab" up "$T/big.yaml"
NSLAB_NO_BUILD=1 "$repo/nslab" down "$T/big.yaml" > /dev/null 2>&1; gone_veths
cpu_measure "$N" "iproute2 up+del" bash "$repo/bench/lab/iproute2.sh" "$N"
gone_veths
