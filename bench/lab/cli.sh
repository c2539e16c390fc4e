#!/bin/bash
# `nslab up FILE`, `up` again and `down FILE` as separate processes (JVM start
# included, the JVM flags of ./nslab), on the N-node lab of gen.sh. Run inside
# a throwaway network + mount namespace (see run.sh); prints the times.
#   bench/lab/cli.sh N JAR
set -e
N=${1:-1000}
JAR=$2
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
CDS=$(dirname "$JAR")/nslab.jsa
T=$(mktemp -d)
bash "$(dirname "$0")/gen.sh" "$N" > $T/big.yaml
nslab() {
  "$JAVA" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto \
    -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile="$CDS" -Xlog:cds=off -Xlog:cds+dynamic=off -jar "$JAR" "$@"
}
ms() { date +%s%N | cut -c1-13; }
# warm the class-data archive once with a tiny lab (./nslab does the same on its first call)
bash "$(dirname "$0")/gen.sh" 2 | sed 's/^name: big/name: warm/' > $T/warm.yaml
nslab up $T/warm.yaml > /dev/null && nslab down $T/warm.yaml > /dev/null
t0=$(ms); nslab up $T/big.yaml > $T/up.out
t1=$(ms); nslab up $T/big.yaml > $T/again.out
t2=$(ms); nslab down $T/big.yaml > $T/down.out
t3=$(ms)
echo "nslab CLI N=$N (whole process): up $((t1-t0)) ms, up again $((t2-t1)) ms, down $((t3-t2)) ms"
grep -h "" $T/up.out $T/again.out | sed 's/^/  /'
rm -rf $T
