package io.nslab.lab.engine;

import java.time.Duration;
import java.util.List;

/** What {@code down} did: how many journaled steps it undid, the namespaces it deleted, what it could not remove. */
public record DownResult(String lab, int undone, List<String> namespaces, List<String> problems, Duration took) {
    public DownResult {
        namespaces = List.copyOf(namespaces);
        problems = List.copyOf(problems);
    }

    public boolean clean() { return problems.isEmpty(); }
}
