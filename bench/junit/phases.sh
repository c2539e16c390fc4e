#!/usr/bin/env bash
# bench/junit/phases.sh: where a warm 2-node lab's up + down goes, phase by phase, in one JVM in the test
# sandbox (as root). Usage: bench/junit/phases.sh [ROUNDS=200]
set -euo pipefail
ROUNDS="${1:-200}"
HERE=$(cd "$(dirname "$0")" && pwd); REPO=$(cd "$HERE/../.." && pwd)
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
OUT="$HERE/target/phases"; rm -rf "$OUT"; mkdir -p "$OUT/classes"
. "$HERE/classpath.sh"
"$JAVA_HOME/bin/javac" -d "$OUT/classes" -cp "$CP" "$HERE/Phases.java"
echo "nslab-junit phases: $ROUNDS rounds (the first quarter warms up), $(nproc) cores, $(uname -r)"
NSLAB_JAVA="$JAVA_HOME/bin/java" "$REPO/test/sandbox/bin/java" \
  --enable-native-access=ALL-UNNAMED -cp "$OUT/classes:$CP" Phases "$ROUNDS" "$REPO/nslab-junit/src/test/resources/two.yaml"
