package io.nslab.lab.model;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the author expects of the lab: {@code from} reaches (or is blocked from) {@code to} over {@code proto}
 * ({@code port} for TCP, UDP and HTTP). Written as a map or as a sentence:
 * {@code "nginx reaches outside tcp 80"}, {@code "a cannot reach b"}. A {@code measure} bounds what was
 * reached: {@code "a reaches b rtt >= 40ms"} (icmp), {@code "a reaches b tcp 5201 rate >= 8mbit"}.
 */
public record Expectation(String from, Target to, Proto proto, OptionalInt port, boolean reach, Src src,
                          Optional<Measure> measure) {
    public Expectation(String from, Target to, Proto proto, OptionalInt port, boolean reach, Src src) {
        this(from, to, proto, port, reach, src, Optional.empty());
    }

    @Override
    public String toString() {
        return from + (reach ? " reaches " : " cannot reach ") + to + " " + proto.word()
                + (port.isPresent() ? " " + port.getAsInt() : "") + measure.map(m -> " " + m.describe()).orElse("");
    }
}
