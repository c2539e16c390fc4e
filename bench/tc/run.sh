#!/bin/bash
# bench/tc: the rate a lab's `impair: {rate: R}` gives (nslab's tbf) against tc's own
# tbf with the same bucket and queue, at 1, 10 and 100 mbit: iperf3's goodput over
# a veth (receiver side), and nslab verify's own rate probe on the lab.
# Runs inside a throwaway network + mount namespace: nothing touches this machine.
# iperf3 is the load generator only; if it is missing this script installs it with apt-get.
#   bench/tc/run.sh [SECONDS]      (default 8)
set -e
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
install() { apt-get install -y -qq "$1" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$1" >/dev/null; }; }
command -v iperf3 >/dev/null || { echo "installing iperf3 with apt-get (the load generator of this benchmark only)"; install iperf3; }
./nslab --version >/dev/null        # builds the jar and its start-up cache outside the timing
. bench/lib.sh
echo "load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, kernel $(uname -r)"
idle_wait
STATE=$(mktemp -d)
unshare --net --mount --propagation private bash -c "mount -t tmpfs bench /run/netns && NSLAB_RUN=$STATE bash bench/tc/inner.sh ${1:-8}"
rm -rf "$STATE"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
