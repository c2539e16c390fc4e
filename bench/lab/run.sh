#!/bin/bash
# bench/lab: up and down of an N-node lab on one bridge, nslab vs iproute2.
# Everything runs inside throwaway network + mount namespaces (the test
# sandbox for nslab, unshare for iproute2): nothing touches this machine.
#   bench/lab/run.sh [N]      (default 1000)
set -e
N=${1:-1000}
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
unshare --net --mount --propagation private bash -c \
  "mount -t tmpfs bench /run/netns && bash bench/lab/iproute2.sh $N"
NSLAB_BIG_N=$N mvn -B -q -o test -pl nslab-cli -am -Dtest=BigLabTest -Dsurefire.failIfNoSpecifiedTests=false 2>&1 | grep 'big lab'
