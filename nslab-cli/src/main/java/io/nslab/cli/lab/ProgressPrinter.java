package io.nslab.cli.lab;

import io.nslab.lab.apply.Progress;
import io.nslab.lab.plan.Step;

import java.io.PrintWriter;

/** Progress for large labs on stderr: a line per tenth of the work once a phase has 100 steps or more. */
final class ProgressPrinter implements Progress {
    private final PrintWriter err;
    private String phase = "";
    private int lastTenth = -1;

    ProgressPrinter(PrintWriter err) {
        this.err = err;
    }

    @Override public void step(String phase, int done, int total, Step s) {
        if (total < 100) return;
        if (!phase.equals(this.phase)) {
            this.phase = phase;
            lastTenth = -1;
        }
        int tenth = done * 10 / total;
        if (tenth != lastTenth) {
            lastTenth = tenth;
            err.printf("%s: %d/%d steps (%d%%)%n", phase, done, total, tenth * 10);
            err.flush();
        }
    }
}
