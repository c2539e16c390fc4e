package io.nslab.netlink.tc;

import java.util.Arrays;
import java.util.Locale;

/**
 * A rate in bit/s, parsed and printed with tc's units: {@code bit kbit mbit gbit tbit}
 * (powers of 1000), {@code kibit mibit gibit tibit} (powers of 1024), {@code bps kbps mbps
 * gbps tbps} / {@code kibps...} (bytes per second). A bare number is bit/s. Case-insensitive,
 * as in tc. The kernel takes bytes per second: {@link #bytesPerSecond()}.
 */
public record Rate(long bitsPerSecond) {
    public Rate {
        if (bitsPerSecond < 0) throw new IllegalArgumentException("negative rate " + bitsPerSecond);
    }

    private static final String[] NAMES = {"bit", "kibit", "kbit", "mibit", "mbit", "gibit", "gbit", "tibit", "tbit",
            "bps", "kibps", "kbps", "mibps", "mbps", "gibps", "gbps", "tibps", "tbps"};
    private static final double[] SCALES = {1, 1024, 1e3, 1024.0 * 1024, 1e6, 1024.0 * 1024 * 1024, 1e9, 1024.0 * 1024 * 1024 * 1024, 1e12,
            8, 8 * 1024, 8e3, 8 * 1024.0 * 1024, 8e6, 8 * 1024.0 * 1024 * 1024, 8e9, 8 * 1024.0 * 1024 * 1024 * 1024, 8e12};

    public static Rate bits(long bitsPerSecond) { return new Rate(bitsPerSecond); }
    public static Rate kbit(long n) { return new Rate(n * 1000); }
    public static Rate mbit(long n) { return new Rate(n * 1_000_000); }
    public static Rate gbit(long n) { return new Rate(n * 1_000_000_000); }
    /** From the kernel's bytes per second. */
    public static Rate ofBytesPerSecond(long bytes) { return new Rate(bytes * 8); }

    /** Bytes per second, as tc computes it (bit/s / 8, truncated). */
    public long bytesPerSecond() { return bitsPerSecond / 8; }

    /** Parses tc's rate syntax ({@code 10mbit}, {@code 512kbit}, {@code 1gbps}); an {@link IllegalArgumentException} naming the word otherwise. */
    public static Rate parse(String s) {
        Units.Split sp = Units.split(s, "rate");
        double scale;
        if (sp.unit().isEmpty()) scale = 1;
        else {
            int i = Arrays.asList(NAMES).indexOf(sp.unit().toLowerCase(Locale.ROOT));
            if (i < 0) throw new IllegalArgumentException("invalid rate \"" + s + "\" (a number with bit, kbit, mbit, gbit, bps, kbps, mbps...)");
            scale = SCALES[i];
        }
        double bits = sp.number() * scale;
        if (bits < 8 || bits >= 0x1p63) throw new IllegalArgumentException("invalid rate \"" + s + "\" (out of range)");
        return new Rate((long) bits);
    }

    /** As tc prints it: {@code 10Mbit}, {@code 512Kbit}, {@code 1500Kbit} (a unit up while the value divides, or stays >= 1000 units). */
    @Override public String toString() {
        String[] u = {"bit", "Kbit", "Mbit", "Gbit", "Tbit"};
        long r = bitsPerSecond;
        int i = 0;
        for (; i < u.length - 1; i++) {
            if (r < 1000) break;
            if (r % 1000 != 0 && r < 1000 * 1000) break;
            r /= 1000;
        }
        return r + u[i];
    }
}
