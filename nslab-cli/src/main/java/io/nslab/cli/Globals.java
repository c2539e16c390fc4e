package io.nslab.cli;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * ip's global options as given before the object: {@code -n NS -j -d -p -4/-6 -force}, and the output
 * forms {@code -s} ({@code stats}: how many times given), {@code -brief}, {@code -oneline}.
 */
public record Globals(Optional<String> netns, boolean json, boolean details, boolean pretty, OptionalInt family, boolean force,
                      int stats, boolean brief, boolean oneline) {
    public static Globals defaults() {
        return new Globals(Optional.empty(), false, false, false, OptionalInt.empty(), false, 0, false, false);
    }

    /** The same options in another namespace (a batch line's {@code -n}). */
    public Globals inNetns(Optional<String> ns) {
        return new Globals(ns.isPresent() ? ns : netns, json, details, pretty, family, force, stats, brief, oneline);
    }
}
