package io.nslab.cli.lab;

import io.nslab.lab.engine.Demo;

import java.util.Optional;

/** The diagram writer the demo and {@code graph} use (labfront's Graph), when present. */
final class Graphs {
    private Graphs() {}

    static Optional<Demo.GraphWriter> writer() {
        return Optional.empty();
    }
}
