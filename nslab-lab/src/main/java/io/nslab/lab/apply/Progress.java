package io.nslab.lab.apply;

import io.nslab.lab.plan.Step;

/** Hears each step as it runs (for progress bars on large labs). */
@FunctionalInterface
public interface Progress {
    Progress NONE = (phase, done, total, s) -> { };

    /** {@code phase} is "up", "rollback" or "down"; {@code done} counts steps finished before {@code s}. */
    void step(String phase, int done, int total, Step s);
}
