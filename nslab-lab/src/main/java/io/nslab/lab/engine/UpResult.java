package io.nslab.lab.engine;

import io.nslab.lab.plan.Step;

import java.time.Duration;
import java.util.List;

/** What {@code up} did: steps run (in order), steps the kernel already satisfied, objects removed, time taken. */
public record UpResult(String lab, List<Step> applied, int satisfied, List<Step> removed, Duration took) {
    public UpResult {
        applied = List.copyOf(applied);
        removed = List.copyOf(removed);
    }

    public boolean changed() { return !applied.isEmpty() || !removed.isEmpty(); }
}
