package io.nslab.cli.lab;

import io.nslab.testing.KernelTest;
import io.nslab.lab.apply.Applier;
import io.nslab.lab.engine.LabEngine;
import io.nslab.lab.validate.Validator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Time per step kind of a big lab's up (a tool: NSLAB_PROFILE=1 NSLAB_BIG_N=1000). */
@KernelTest
@org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable(named = "NSLAB_PROFILE", matches = ".+")
class ProfileBigTest {
    @TempDir Path tmp;

    @Test void profile() throws Exception {
        int n = Integer.parseInt(System.getenv().getOrDefault("NSLAB_BIG_N", "200"));
        var lab = Validator.require(BigLab.write(tmp, "big", n));
        // time between progress reports: batches report at their start and end, so each line is one batch or step
        List<String> lines = new ArrayList<>();
        long[] last = {System.nanoTime()};
        String[] prev = {"read + plan"};
        long s0 = System.nanoTime();
        LabEngine.system().up(lab, Optional.empty(), (phase, done, total, s) -> {
            long now = System.nanoTime();
            lines.add(String.format("%8.1f ms  until %s", (now - last[0]) / 1e6, prev[0]));
            last[0] = now;
            prev[0] = done + " " + s.getClass().getSimpleName();
        }, Applier.FaultHook.NONE);
        long s1 = System.nanoTime();
        lines.add(String.format("%8.1f ms  until %s (settle)", (s1 - last[0]) / 1e6, prev[0]));
        lines.stream().filter(l -> !l.startsWith("     0.")).forEach(System.out::println);
        System.out.printf("total up %.1f ms%n", (s1 - s0) / 1e6);
        LabEngine.system().down("big");
        System.out.printf("down %.1f ms%n", (System.nanoTime() - s1) / 1e6);
    }
}
