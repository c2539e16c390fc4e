package io.nslab.netlink.tc;

/**
 * A probability as the kernel holds it: a u32 where 0 is 0% and 0xFFFFFFFF is 100%
 * ({@code rint(fraction * 0xFFFFFFFF)}, as tc computes it). Parsed from {@code 10%},
 * {@code 0.5%} (a bare number is a percentage too).
 */
public record Percent(long scaled) {
    public static final Percent ZERO = new Percent(0);
    public static final Percent HUNDRED = new Percent(0xFFFFFFFFL);

    public Percent {
        if (scaled < 0 || scaled > 0xFFFFFFFFL) throw new IllegalArgumentException("percentage out of range: " + scaled);
    }

    /** From a percentage 0..100. */
    public static Percent of(double percent) {
        if (!(percent >= 0 && percent <= 100)) throw new IllegalArgumentException("percentage " + percent + " is not within 0..100");
        return new Percent((long) Math.rint(percent / 100 * 0xFFFFFFFFL));
    }

    /** From the kernel's u32. */
    public static Percent ofKernel(int v) { return new Percent(Integer.toUnsignedLong(v)); }

    public static Percent parse(String s) { return parse(s, "percentage"); }

    public static Percent parse(String s, String what) {
        String t = s.endsWith("%") ? s.substring(0, s.length() - 1) : s;
        Units.Split sp = Units.split(t, what);
        if (!sp.unit().isEmpty()) throw new IllegalArgumentException("invalid " + what + " \"" + s + "\" (a percentage like 10% or 0.5%)");
        if (sp.number() > 100) throw new IllegalArgumentException("invalid " + what + " \"" + s + "\" (over 100%)");
        return of(sp.number());
    }

    public int kernel() { return (int) scaled; }

    public double percent() { return scaled * 100.0 / 0xFFFFFFFFL; }

    public boolean isZero() { return scaled == 0; }

    @Override public String toString() { return Units.trim(Math.round(percent() * 1000) / 1000.0) + "%"; }
}
