#!/usr/bin/env bash
# bench/junit: the cost of a lab per test class with nslab-junit.
# N generated classes with @NetLab("two.yaml") (2 nodes on a veth pair; the test runs code in a node)
# against the same N classes without a lab, through the JUnit launcher in one JVM, in the test sandbox
# (own network + mount namespace, as root). Usage: bench/junit/run.sh [N=100] [ROUNDS=3] [THREADS=dynamic|16]
set -euo pipefail
N="${1:-100}"; ROUNDS="${2:-3}"; THREADS="${3:-dynamic}"
HERE=$(cd "$(dirname "$0")" && pwd); REPO=$(cd "$HERE/../.." && pwd)
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
OUT="$HERE/target"; rm -rf "$OUT"; mkdir -p "$OUT/src/gen" "$OUT/classes"
. "$HERE/classpath.sh"
for i in $(seq 0 $((N - 1))); do
  c=$(printf '%03d' "$i")
  cat > "$OUT/src/gen/L$c.java" <<JAVA
package gen;
import io.nslab.junit.Lab;
import io.nslab.junit.NetLab;
import org.junit.jupiter.api.Test;
@NetLab("two.yaml")
public class L$c {
    @Test void t(Lab lab) throws Exception { if (lab.node("a").call(() -> 1) != 1) throw new AssertionError(); }
}
JAVA
  cat > "$OUT/src/gen/P$c.java" <<JAVA
package gen;
import org.junit.jupiter.api.Test;
public class P$c {
    @Test void t() throws Exception { if (((java.util.concurrent.Callable<Integer>) () -> 1).call() != 1) throw new AssertionError(); }
}
JAVA
done
cp "$REPO/nslab-junit/src/test/resources/two.yaml" "$OUT/classes/"
"$JAVA_HOME/bin/javac" -q -d "$OUT/classes" -cp "$CP" "$HERE/Bench.java" "$OUT"/src/gen/*.java 2>/dev/null \
  || "$JAVA_HOME/bin/javac" -d "$OUT/classes" -cp "$CP" "$HERE/Bench.java" "$OUT"/src/gen/*.java
echo "nslab-junit bench: $N classes, $ROUNDS warm rounds, $(nproc) cores, $(uname -r)"
NSLAB_REPO="$REPO" NSLAB_JAVA="$JAVA_HOME/bin/java" "$REPO/test/sandbox/bin/java" \
  --enable-native-access=ALL-UNNAMED -cp "$OUT/classes:$CP" Bench "$N" "$ROUNDS" "$THREADS"
