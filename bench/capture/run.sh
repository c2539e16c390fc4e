#!/bin/bash
# bench/capture: nslab capture -w and tcpdump -w on the same veth end, at the same
# time, while iperf3 sends one full-speed TCP stream between two namespaces for
# 10 s: packets written, packets the kernel dropped, CPU seconds of each.
# Runs inside a throwaway network + mount namespace: nothing touches this machine.
# iperf3 is the load generator only; if it is missing this script installs it
# with apt-get (the project's tests never need it).
#   bench/capture/run.sh [SECONDS [RATE]]   (default 10 s, full speed; RATE: iperf3 -b, e.g. 1G;
#                                            TCPDUMP_B=KIB: tcpdump's ring, default 8192 = nslab's)
set -e
cd "$(dirname "$0")/../.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
install() { apt-get install -y -qq "$1" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$1" >/dev/null; }; }
command -v iperf3 >/dev/null || { echo "installing iperf3 with apt-get (the load generator of this benchmark only)"; install iperf3; }
command -v tcpdump >/dev/null || install tcpdump
./nslab --version >/dev/null        # builds the jar and its start-up cache outside the timing
. bench/lib.sh
echo "load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, kernel $(uname -r)"
idle_wait
unshare --net --mount --propagation private bash bench/capture/inner.sh "${1:-10}" "${2:-}"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
