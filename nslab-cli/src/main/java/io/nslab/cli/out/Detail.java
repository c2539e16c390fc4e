package io.nslab.cli.out;

import java.util.List;

/**
 * One field of {@code ip -d}'s output, as iproute2's print_* calls make it: {@code text} is what the
 * human form prints (with ip's spacing; empty for a JSON-only field), {@code key} and {@code json} what
 * {@code -j} prints (no key: a text-only field). {@code json} is a {@link String}, a {@link Boolean}, a
 * {@link Num}, an {@link Obj} or a {@link List} of those.
 */
public record Detail(String key, Object json, String text) {
    /** A JSON number written as ip writes it: unsigned 64-bit values and timers ("0.00") keep their form. */
    public record Num(String text) {}

    /** A nested JSON object (vxlan's port_range, vlan's qos mappings). */
    public record Obj(List<Detail> fields) {}

    public static Detail num(String key, long unsigned, String text) { return new Detail(key, new Num(Long.toUnsignedString(unsigned)), text); }

    public static Detail str(String key, String value, String text) { return new Detail(key, value, text); }

    public static Detail bool(String key, boolean value, String text) { return new Detail(key, value, text); }

    public static Detail textOnly(String text) { return new Detail(null, null, text); }

    public static Detail jsonOnly(String key, Object json) { return new Detail(key, json, ""); }
}
