package io.nslab.lab.engine;

import io.nslab.lab.apply.Applier;
import io.nslab.lab.apply.ApplyException;
import io.nslab.lab.model.Lab;
import io.nslab.lab.plan.Step;
import io.nslab.lab.run.LabRuntime;
import io.nslab.lab.run.RunException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;

/** The last part of {@code up}: hosts files and {@code run:} processes; their failure rolls the whole run back. */
final class Runs {
    private Runs() {}

    static LabRuntime.Started start(Lab lab, Path dir, List<Step> applied, Applier applier, Applier.FaultHook fault,
            boolean hostsAhead) throws ApplyException, IOException {
        long t0 = System.nanoTime();
        try {
            LabRuntime.Started r = LabRuntime.start(lab, dir, () -> cancelled(fault), hostsAhead);
            // the benchmarks' trace (bench/lab/procs.sh): what the processes add to up
            if (System.getenv("NSLAB_TRACE") != null)
                System.err.printf("nslab trace: run phase %d ms, %d process(es) started, %d kept%n", (System.nanoTime() - t0) / 1_000_000, r.started(), r.kept());
            return r;
        } catch (RunException e) {
            List<String> left = applier.remove(applied.reversed());
            throw new ApplyException(e.getMessage() + "; rolled back " + (applied.size() - left.size()) + " step(s) of this run"
                    + (left.isEmpty() ? "" : "; could not undo " + left.size() + " (run `nslab down` again): " + String.join("; ", left)), e);
        }
    }

    /** The fault hook doubles as the interrupt check between steps (Ctrl-C of `up`); asked here with no step. */
    private static boolean cancelled(Applier.FaultHook fault) {
        try {
            fault.before(-1, null);
            return false;
        } catch (CancellationException e) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
