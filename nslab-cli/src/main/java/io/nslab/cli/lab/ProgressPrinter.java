package io.nslab.cli.lab;

import io.nslab.lab.apply.Progress;
import io.nslab.lab.plan.Step;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;

/**
 * Progress for large labs on stderr: a line per tenth of the work once a
 * phase has 100 steps or more. With NSLAB_TRACE set (for benchmarking), a
 * line per call instead, with the JVM's uptime: where a run's time goes.
 */
final class ProgressPrinter implements Progress {
    private final PrintWriter err;
    private String phase = "";
    private int lastTenth = -1;
    private final boolean trace = System.getenv("NSLAB_TRACE") != null;

    ProgressPrinter(PrintWriter err) {
        this.err = err;
    }

    /** With NSLAB_TRACE set: a line with the JVM's uptime. */
    void trace(String what) {
        if (!trace) return;
        err.printf("nslab trace: %d ms %s%n", ManagementFactory.getRuntimeMXBean().getUptime(), what);
        err.flush();
    }

    @Override public void step(String phase, int done, int total, Step s) {
        if (trace) {
            trace(phase + " " + done + "/" + total + " " + s.describe());
            return;
        }
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
