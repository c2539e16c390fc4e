#!/bin/sh
# nftables cost per transaction: N ports published on one network (NetTables'
# table, maps pub-addr/pub-port), one transaction each, then removed one each,
# through nslab's Nft, libnftables' JSON API (FFM) and `nft -f -` per change,
# side by side in one JVM. It runs in a throwaway network namespace: this
# machine's ruleset is never touched.
#   bench/nft/run.sh [N [ROUNDS]]     (root; N=1000, ROUNDS=2; needs nftables, libnftables1)
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
N=${1:-1000}
ROUNDS=${2:-2}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
if [ -z "$NSLAB_BENCH_INSIDE" ]; then
  cd "$REPO"
  # package only (nothing installed into ~/.m2): the shaded nslab-cli/target/nslab.jar holds
  # nslab-netlink, nslab-net and Jackson, all the bench needs besides its own two source files
  log=$(mktemp)
  JAVA_HOME=$JAVA_HOME mvn -B -q -o package -DskipTests -pl nslab-cli -am >"$log" 2>&1 || { cat "$log"; exit 1; }
  rm -f "$log"
  export NSLAB_BENCH_INSIDE=1 JAVA_HOME
  exec unshare --net "$0" "$N" "$ROUNDS"
fi
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
  "kernel $(uname -r), $(nft --version), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
# Java's source launcher (JEP 458) compiles NftBench.java and the LibNftablesJson.java beside it;
# SerialGC: no concurrent GC threads competing for the 2 cores with what is timed
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC \
  -cp "$REPO/nslab-cli/target/nslab.jar" "$HERE/NftBench.java" "$N" "$ROUNDS"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
