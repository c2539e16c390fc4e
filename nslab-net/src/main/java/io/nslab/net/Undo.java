package io.nslab.net;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The in-memory undo log of one engine call: each kernel step registers how
 * to undo it; on failure they run newest first. (What survives the process is
 * {@link NetJournal}.) A failing undo step does not stop the
 * others; its error is attached to the original one as suppressed.
 */
final class Undo {
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private final Deque<Step> steps = new ArrayDeque<>();

    void push(Step s) {
        steps.push(s);
    }

    /** Runs the undo steps newest first; true if every one of them succeeded. */
    boolean rollback(Throwable cause) {
        boolean clean = true;
        while (!steps.isEmpty()) {
            try {
                steps.pop().run();
            } catch (Exception e) {
                cause.addSuppressed(e);
                clean = false;
            }
        }
        return clean;
    }
}
