package io.nslab.lab.engine;

import io.nslab.lab.apply.KernelExecutor;
import io.nslab.lab.apply.LabDirs;
import io.nslab.lab.load.LabLoader;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link LabStateKernelTest} (under {@code umask 000}):
 * {@code up} of the two-node lab {@link LabStateKernelTest#TWO} with state in
 * RUNDIR. Arguments: RUNDIR.
 */
public final class UpWorker {
    public static void main(String[] args) throws Exception {
        new LabEngine(new LabDirs(Path.of(args[0])), KernelExecutor::new)
                .up(LabLoader.parse(LabStateKernelTest.TWO, "two.yaml").lab().orElseThrow());
        System.out.println("UP");
    }
}
