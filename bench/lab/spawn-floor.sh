#!/bin/bash
# bench/lab/spawn-floor.sh [N]: what starting N processes costs on this machine, however it is done
# (the floor under issue 13's "processes add at most 1 s to up"): N fork + exec + exit of /bin/true,
# nc -h and static busybox two at a time (xargs -P2), N `nc -lk` listeners from a shell loop until all
# listen, and the JDK's ProcessBuilder with two threads (default launch mechanism and VFORK).
# Runs in a throwaway network namespace; nothing is sent. Needs root (unshare), nc.openbsd, busybox.
set -e
N=${1:-1000}
J=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
echo "load: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, kernel $(uname -r)"
for p in /bin/true "nc.openbsd -h" "busybox true"; do
  /usr/bin/time -f "xargs -P2 $N x $p: %e s wall, %U user + %S system" sh -c "seq 1 $N | xargs -P2 -n1 $p >/dev/null 2>&1"
done
unshare -n bash -c '
  ip link set lo up
  s=$(date +%s%N)
  for i in $(seq 1 '"$N"'); do nc.openbsd -lk 127.0.0.1 $((10000+i)) </dev/null >/dev/null 2>&1 & done
  while [ "$(ss -Hltn | wc -l)" -lt '"$N"' ]; do sleep 0.01; done
  echo "shell loop: '"$N"' nc -lk listening in $(( ($(date +%s%N) - s) / 1000000 )) ms"
  kill $(jobs -p); wait 2>/dev/null || true'
cat > "$W/Spawn.java" <<'JAVA'
import java.util.*;
import java.util.concurrent.*;
public class Spawn {
    public static void main(String[] a) throws Exception {
        int n = Integer.parseInt(a[0]);
        ExecutorService ex = Executors.newFixedThreadPool(2);
        long t = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) fs.add(ex.submit(() -> new ProcessBuilder("/bin/true").start().waitFor()));
        for (Future<?> f : fs) f.get();
        System.out.printf("JDK ProcessBuilder (%s), 2 threads: %d x /bin/true started and reaped in %d ms%n",
                System.getProperty("jdk.lang.Process.launchMechanism", "default"), n, (System.nanoTime() - t) / 1_000_000);
        ex.shutdown();
    }
}
JAVA
"$J" "$W/Spawn.java" "$N"
"$J" -Djdk.lang.Process.launchMechanism=VFORK "$W/Spawn.java" "$N" 2>/dev/null
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
