package io.nslab.netlink.tc;

import java.util.Locale;

/**
 * A size in bytes with tc's units: {@code b} (bytes), {@code k kb} (KiB), {@code m mb}
 * (MiB), {@code g gb} (GiB), {@code kbit mbit gbit} (1024-based bits / 8). A bare number is
 * bytes. tc reads {@code 32kbit} as 4096 bytes and {@code 32k} as 32768.
 */
public record Size(long bytes) {
    public Size {
        if (bytes < 0) throw new IllegalArgumentException("negative size " + bytes);
    }

    public static Size bytes(long n) { return new Size(n); }

    public static Size parse(String s) { return parse(s, "size"); }

    /** Parses, naming {@code what} (burst, limit, mtu) in the error. */
    public static Size parse(String s, String what) {
        Units.Split sp = Units.split(s, what);
        double v = sp.number();
        switch (sp.unit().toLowerCase(Locale.ROOT)) {
            case "", "b" -> { }
            case "k", "kb" -> v *= 1024;
            case "m", "mb" -> v *= 1024 * 1024;
            case "g", "gb" -> v *= 1024.0 * 1024 * 1024;
            case "kbit" -> v *= 1024 / 8.0;
            case "mbit" -> v *= 1024 * 1024 / 8.0;
            case "gbit" -> v *= 1024.0 * 1024 * 1024 / 8;
            default -> throw new IllegalArgumentException("invalid " + what + " \"" + s + "\" (a number of bytes, or with b, k, kb, m, mb, kbit, mbit)");
        }
        if (v > 0xFFFFFFFFL) throw new IllegalArgumentException("invalid " + what + " \"" + s + "\" (over 4 GiB)");
        return new Size((long) v);
    }

    /** As tc prints sizes: {@code 4Kb}, {@code 1600b}, {@code 1Mb}. */
    @Override public String toString() {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) return bytes / (1024 * 1024) + "Mb";
        if (bytes >= 1024 && bytes % 1024 == 0) return bytes / 1024 + "Kb";
        return bytes + "b";
    }
}
