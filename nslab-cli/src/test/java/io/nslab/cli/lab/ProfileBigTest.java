package io.nslab.cli.lab;

import io.nslab.lab.apply.Applier;
import io.nslab.lab.engine.LabEngine;
import io.nslab.lab.validate.Validator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Time per step kind of a big lab's up (a tool: NSLAB_PROFILE=1 NSLAB_BIG_N=1000). */
@org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable(named = "NSLAB_PROFILE", matches = ".+")
class ProfileBigTest {
    @TempDir Path tmp;

    @Test void profile() throws Exception {
        int n = Integer.parseInt(System.getenv().getOrDefault("NSLAB_BIG_N", "200"));
        var lab = Validator.require(BigLab.write(tmp, "big", n));
        Map<String, long[]> t = new TreeMap<>();
        long[] last = {System.nanoTime()};
        String[] prev = {"start"};
        long s0 = System.nanoTime();
        LabEngine.system().up(lab, Optional.empty(), (phase, done, total, s) -> {
            long now = System.nanoTime();
            t.computeIfAbsent(prev[0], k -> new long[2])[0] += now - last[0];
            t.get(prev[0])[1]++;
            last[0] = now;
            prev[0] = s.getClass().getSimpleName();
        }, Applier.FaultHook.NONE);
        long s1 = System.nanoTime();
        t.forEach((k, v) -> System.out.printf("%-12s %6d steps %8.1f ms%n", k, v[1], v[0] / 1e6));
        System.out.printf("total up %.1f ms%n", (s1 - s0) / 1e6);
        LabEngine.system().down("big");
        System.out.printf("down %.1f ms%n", (System.nanoTime() - s1) / 1e6);
    }
}
