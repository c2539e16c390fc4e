package io.nslab.netlink.tc;

import java.util.Locale;

/**
 * A duration with tc's units: {@code s sec secs}, {@code ms msec msecs}, {@code us usec usecs},
 * {@code ns nsec nsecs}; a bare number is microseconds, as in tc. Kept in nanoseconds.
 */
public record TcTime(long nanos) {
    public TcTime {
        if (nanos < 0) throw new IllegalArgumentException("negative time " + nanos);
    }

    public static TcTime ofMillis(long ms) { return new TcTime(ms * 1_000_000); }
    public static TcTime ofMicros(long us) { return new TcTime(us * 1_000); }

    public long micros() { return nanos / 1000; }

    public static TcTime parse(String s) { return parse(s, "time"); }

    public static TcTime parse(String s, String what) {
        Units.Split sp = Units.split(s, what);
        double v = sp.number();
        double ns = switch (sp.unit().toLowerCase(Locale.ROOT)) {
            case "s", "sec", "secs" -> v * 1e9;
            case "ms", "msec", "msecs" -> v * 1e6;
            case "", "us", "usec", "usecs" -> v * 1e3;
            case "ns", "nsec", "nsecs" -> v;
            default -> throw new IllegalArgumentException("invalid " + what + " \"" + s + "\" (a number with s, ms, us or ns)");
        };
        if (ns >= 0x1p62) throw new IllegalArgumentException("invalid " + what + " \"" + s + "\" (too long)");
        return new TcTime(Math.round(ns));
    }

    /** As tc prints times: {@code 100ms}, {@code 1s}, {@code 400us}, {@code 1.5ms}. */
    @Override public String toString() {
        double us = nanos / 1000.0;
        if (us >= 1_000_000) return Units.trim(us / 1_000_000) + "s";
        if (us >= 1000) return Units.trim(us / 1000) + "ms";
        return Units.trim(us) + "us";
    }
}
