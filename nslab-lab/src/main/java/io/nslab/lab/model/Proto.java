package io.nslab.lab.model;

import java.util.Locale;
import java.util.Optional;

/** Protocol of an expectation, a service or a published port. HTTP is TCP plus a GET that must answer. */
public enum Proto {
    ICMP, TCP, UDP, HTTP;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The transport the kernel sees (HTTP is TCP). */
    public Proto transport() {
        return this == HTTP ? TCP : this;
    }

    public boolean hasPort() {
        return this != ICMP;
    }

    public static Optional<Proto> parse(String s) {
        for (Proto p : values()) if (p.word().equals(s.toLowerCase(Locale.ROOT))) return Optional.of(p);
        return Optional.empty();
    }
}
