#!/bin/sh
# nslab net connect+disconnect vs the CNI reference plugins (bridge + host-local
# + portmap), N namespaces with one published port each, every attachment a
# separate process (the whole process is what is timed, on both sides).
# Everything happens in a private network + mount namespace: this machine's
# interfaces, ruleset, /run/netns and /var/lib/cni are never touched.
#   bench/net/run.sh [N]        (root; needs containernetworking-plugins, iptables)
#   NSLAB_BENCH_ONLY=inprocess bench/net/run.sh [N]   only nslab batch: in-process ms per connect/disconnect
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
N=${1:-100}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
if [ -z "$NSLAB_BENCH_INSIDE" ]; then
  cd "$REPO"
  # package only (nothing installed into ~/.m2): the shaded nslab-cli/target/nslab.jar
  JAVA_HOME=$JAVA_HOME mvn -B -q -o package -DskipTests -pl nslab-cli -am >/dev/null
  CP="$REPO/nslab-cli/target/nslab.jar"
  export NSLAB_BENCH_INSIDE=1 NSLAB_BENCH_CP="$CP" JAVA_HOME
  exec unshare --net --mount --propagation private "$0" "$N"
fi
mount -t tmpfs bench-netns /run/netns 2>/dev/null || { mkdir -p /run/netns; mount -t tmpfs bench-netns /run/netns; }
mkdir -p /var/lib/cni /var/lib/nslab /tmp/nslab-bench
mount -t tmpfs bench-cni /var/lib/cni
mount -t tmpfs bench-nslab /var/lib/nslab
mount -t sysfs sysfs /sys 2>/dev/null || true
ip link set lo up
exec python3 "$HERE/bench.py" "$N"
