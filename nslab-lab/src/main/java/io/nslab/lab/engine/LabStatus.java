package io.nslab.lab.engine;

import java.util.List;
import java.util.Optional;

/**
 * A lab nslab knows of (it has state under /run/nslab/labs): where it came
 * from, how many steps are in effect, its namespaces and which of them exist,
 * and the bridges built as trees (one line each: namespace, bridge, its parts).
 */
public record LabStatus(String lab, Optional<String> file, int steps, List<String> namespaces, List<String> missing, boolean locked,
                        List<String> bridgeTrees) {
    public LabStatus {
        namespaces = List.copyOf(namespaces);
        missing = List.copyOf(missing);
        bridgeTrees = List.copyOf(bridgeTrees);
    }

    /** up (all there), partial (some gone), down (nothing live). */
    public String state() {
        if (steps == 0) return "down";
        return missing.isEmpty() ? "up" : "partial";
    }
}
