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

    static LabRuntime.Started start(Lab lab, Path dir, List<Step> applied, Applier applier, Applier.FaultHook fault)
            throws ApplyException, IOException {
        try {
            return LabRuntime.start(lab, dir, () -> cancelled(fault));
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
