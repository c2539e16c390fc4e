#!/bin/bash
# bench/scale/up-trace.sh CHECKOUT N...: `nslab up` and `down` of the star of N nodes (bench/scale/gen.sh)
# with the nslab of CHECKOUT (a git worktree of another commit, to compare two builds in the same minutes),
# in a throwaway network + mount namespace (nothing reaches this machine's network; the host's neighbour
# limits are not tuned, so nothing is sent). Prints per run: the namespaces phase (the first step to the
# last namespace's sysctl, from NSLAB_TRACE), up's wall, user and system time and peak RSS, the load.
# Needs root. Example: git worktree add --detach /tmp/old HEAD~1; bench/scale/up-trace.sh /tmp/old 3000
set -e
here=$(cd "$(dirname "$0")/../.." && pwd)
co=$(cd "$1" && pwd); shift
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
(cd "$co" && ./nslab --version > /dev/null)
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
for n in "$@"; do
  "$here/bench/scale/gen.sh" star "$n" > "$W/star.yaml"
  unshare --net --mount --propagation private bash -c '
    set -e
    mount -t tmpfs bench /run/netns 2>/dev/null || { mkdir -p /run/netns; mount -t tmpfs bench /run/netns; }
    mkdir -p /run/nslab; mount -t tmpfs bench /run/nslab
    cd "$1"
    NSLAB_TRACE=1 NSLAB_NO_BUILD=1 /usr/bin/time -f "%e %U %S %M" ./nslab up "$2/star.yaml" > "$2/up.out" 2>&1 || { tail -3 "$2/up.out" >&2; exit 1; }
    NSLAB_NO_BUILD=1 ./nslab down big > /dev/null 2>&1' sh "$co" "$W"
  first=$(grep -m1 -o "trace: [0-9]* ms up 0/" "$W/up.out" | grep -o "[0-9]*" | head -1)
  last=$(grep "disable_ipv6=1 (netns big.n" "$W/up.out" | tail -1 | grep -o "trace: [0-9]* ms" | grep -o "[0-9]*")
  read -r wall usr sys kb < <(tail -1 "$W/up.out")
  printf '%s star %s: namespaces %s ms, up %s s (user %s s, system %s s), RSS %d MB, load %s\n' \
    "$(git -C "$co" rev-parse --short HEAD)" "$n" "$((last - first))" "$wall" "$usr" "$sys" "$((kb / 1024))" "$(cut -d' ' -f1 /proc/loadavg)"
done
