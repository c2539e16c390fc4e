package io.nslab.netlink.route;

import java.util.Map;
import java.util.OptionalInt;

/**
 * The names iproute2 gives DS field (TOS) values, from the rt_dsfield file it ships (DiffServ code
 * points shifted into the byte: AF11 = 0x28, EF = 0xb8, ...), and its number syntax: hexadecimal
 * without "0x" needed, as rtnl_dsfield_a2n reads it with strtoul(..., 16).
 */
public final class DsfieldNames {
    private DsfieldNames() {}

    private static final Map<String, Integer> BY_NAME = Map.ofEntries(
            Map.entry("default", 0x00), Map.entry("AF11", 0x28), Map.entry("AF12", 0x30), Map.entry("AF13", 0x38),
            Map.entry("AF21", 0x48), Map.entry("AF22", 0x50), Map.entry("AF23", 0x58), Map.entry("AF31", 0x68),
            Map.entry("AF32", 0x70), Map.entry("AF33", 0x78), Map.entry("AF41", 0x88), Map.entry("AF42", 0x90),
            Map.entry("AF43", 0x98), Map.entry("CS1", 0x20), Map.entry("CS2", 0x40), Map.entry("CS3", 0x60),
            Map.entry("CS4", 0x80), Map.entry("CS5", 0xa0), Map.entry("CS6", 0xc0), Map.entry("CS7", 0xe0),
            Map.entry("EF", 0xb8));

    /** A name (case as written in the file) or a hexadecimal number up to 0xff; empty if neither. */
    public static OptionalInt parse(String s) {
        Integer n = BY_NAME.get(s);
        if (n != null) return OptionalInt.of(n);
        String h = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
        if (h.isEmpty() || h.length() > 8 || !h.chars().allMatch(c -> Character.digit(c, 16) >= 0)) return OptionalInt.empty();
        long v = Long.parseLong(h, 16);
        return v <= 255 ? OptionalInt.of((int) v) : OptionalInt.empty();
    }

    /** As ip prints it: the name when the value has one, else 0xNN. */
    public static String name(int v) {
        for (var e : BY_NAME.entrySet()) if (e.getValue() == v) return e.getKey();
        return String.format("0x%02x", v);
    }
}
