package io.nslab.netlink.tc;

import java.util.Locale;

/** Splitting of tc's "number + unit" words, shared by the value records. */
final class Units {
    private Units() {}

    record Split(double number, String unit) {}

    static Split split(String s, String what) {
        if (s == null || s.isEmpty()) throw new IllegalArgumentException("invalid " + what + " \"\"");
        int i = 0;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) i++;
        if (i == 0) throw new IllegalArgumentException("invalid " + what + " \"" + s + "\"");
        double n;
        try {
            n = Double.parseDouble(s.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid " + what + " \"" + s + "\"");
        }
        if (!Double.isFinite(n)) throw new IllegalArgumentException("invalid " + what + " \"" + s + "\"");
        return new Split(n, s.substring(i));
    }

    /** A number without a trailing ".0", at most 3 decimals. */
    static String trim(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        String t = String.format(Locale.ROOT, "%.3f", v);
        t = t.replaceAll("0+$", "");
        return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
    }
}
