package io.nslab.cli.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** up and down of a large lab on one bridge (N from NSLAB_BIG_N, default 200), timed. */
class BigLabTest {
    @TempDir Path tmp;

    @Test void upAndDownOfManyNodesOnOneBridge() throws Exception {
        int n = Integer.parseInt(System.getenv().getOrDefault("NSLAB_BIG_N", "200"));
        Path file = BigLab.write(tmp, "big", n);
        long v0 = System.nanoTime();
        assertThat(io.nslab.lab.validate.Validator.check(file).problems()).isEmpty();
        System.out.printf("big lab N=%d: validate %.0f ms%n", n, (System.nanoTime() - v0) / 1e6);
        long t0 = System.nanoTime();
        LabCommandsTest.Run up = LabCommandsTest.run("up", file.toString());
        long t1 = System.nanoTime();
        assertThat(up.code()).as(up.err()).isZero();
        LabCommandsTest.Run again = LabCommandsTest.run("up", file.toString());
        long t2 = System.nanoTime();
        assertThat(again.out()).contains("nothing to do");
        LabCommandsTest.Run down = LabCommandsTest.run("down", file.toString());
        long t3 = System.nanoTime();
        assertThat(down.code()).as(down.err()).isZero();
        System.out.printf("big lab N=%d: up %.0f ms, up again %.0f ms, down %.0f ms%n", n, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6);
    }
}
