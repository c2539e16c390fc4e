#!/bin/bash
# bench/lab: up and down of an N-node lab on one bridge, nslab vs iproute2.
# Everything runs inside throwaway network + mount namespaces (the test
# sandbox for nslab, unshare for iproute2 and the nslab CLI): nothing touches
# this machine.
#   bench/lab/run.sh [N]      (default 1000)
set -e
N=${1:-1000}
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
. bench/lib.sh
./nslab --version > /dev/null    # builds the jar and its start-up cache outside the timing
idle_wait
# 1. iproute2 at its fastest (wall time, then the CPU time of all its processes)
unshare --net --mount --propagation private bash -c \
  "mount -t tmpfs bench /run/netns && time bash bench/lab/iproute2.sh $N" 2>&1 | grep -v '^$'
idle_wait
# 2. nslab's engine in process (BigLabTest: the CLI commands run in the test JVM)
NSLAB_BIG_N=$N mvn -B -q -o test -pl nslab-cli -Dtest=BigLabTest -Dsurefire.failIfNoSpecifiedTests=false 2>&1 | grep 'big lab'
# 3. `nslab up FILE` / `nslab down FILE` as processes, JVM start included

STATE=$(mktemp -d)
unshare --net --mount --propagation private bash -c \
  "mount -t tmpfs bench /run/netns && NSLAB_RUN=$STATE bash bench/lab/cli.sh $N"
rm -rf "$STATE"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
