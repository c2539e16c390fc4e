package io.nslab.lab.model;

import io.nslab.netlink.tc.Rate;
import io.nslab.netlink.tc.TcTime;

import java.util.List;

/**
 * A measured bound on an expectation: {@code a reaches b rtt >= 40ms} (nslab's own timed ICMP echo,
 * the median of a few) or {@code a reaches b tcp 5201 rate >= 8mbit} (a bulk TCP transfer through the
 * service at that port).
 */
public sealed interface Measure {
    /** {@code >=} (true) or {@code <=}. */
    boolean atLeast();

    /** {@code rtt} or {@code rate}. */
    String word();

    /** The bound as written back ({@code 40ms}, {@code 8Mbit}). */
    String bound();

    default String describe() { return word() + (atLeast() ? " >= " : " <= ") + bound(); }

    record Rtt(boolean atLeast, TcTime value) implements Measure {
        public String word() { return "rtt"; }
        public String bound() { return value.toString(); }
        /** Whether a measured round trip of {@code nanos} meets the bound. */
        public boolean holds(long nanos) { return atLeast ? nanos >= value.nanos() : nanos <= value.nanos(); }
    }

    record Throughput(boolean atLeast, Rate value) implements Measure {
        public String word() { return "rate"; }
        public String bound() { return value.toString(); }
        public boolean holds(double bitsPerSecond) { return atLeast ? bitsPerSecond >= value.bitsPerSecond() : bitsPerSecond <= value.bitsPerSecond(); }
    }

    List<String> OPS = List.of(">=", "<=");

    /**
     * {@code rtt >= 40ms}, {@code rate <= 10mbit} as three words; an {@link IllegalArgumentException}
     * naming the word that is wrong.
     */
    static Measure parse(String what, String op, String value) {
        if (!OPS.contains(op)) throw new IllegalArgumentException("'" + op + "' is not a comparison (use >= or <=)");
        boolean atLeast = op.equals(">=");
        return switch (what) {
            case "rtt" -> new Rtt(atLeast, TcTime.parse(value, "rtt"));
            case "rate" -> new Throughput(atLeast, Rate.parse(value));
            default -> throw new IllegalArgumentException("unknown measure '" + what + "' (rtt or rate)");
        };
    }
}
