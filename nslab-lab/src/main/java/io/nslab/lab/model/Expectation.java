package io.nslab.lab.model;

import java.util.OptionalInt;

/**
 * What the author expects of the lab: {@code from} reaches (or is blocked from) {@code to} over {@code proto}
 * ({@code port} for TCP, UDP and HTTP). Written as a map or as a sentence:
 * {@code "nginx reaches outside tcp 80"}, {@code "a cannot reach b"}.
 */
public record Expectation(String from, Target to, Proto proto, OptionalInt port, boolean reach, Src src) {
    @Override
    public String toString() {
        return from + (reach ? " reaches " : " cannot reach ") + to + " " + proto.word()
                + (port.isPresent() ? " " + port.getAsInt() : "");
    }
}
