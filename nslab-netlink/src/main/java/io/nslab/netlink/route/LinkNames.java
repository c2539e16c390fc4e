package io.nslab.netlink.route;

import java.nio.charset.StandardCharsets;

/** The kernel's rules for interface names (dev_valid_name), checked before sending anything. */
public final class LinkNames {
    private LinkNames() {}

    /** IFNAMSIZ - 1: the longest name the kernel accepts, in bytes. */
    public static final int MAX_BYTES = 15;

    /** Throws IllegalArgumentException with one clear line if the kernel would refuse {@code name}. */
    public static String check(String name) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("empty interface name");
        int n = name.getBytes(StandardCharsets.UTF_8).length;
        if (n > MAX_BYTES) throw new IllegalArgumentException("interface name \"" + name + "\" is " + n + " bytes, the kernel allows " + MAX_BYTES);
        if (name.equals(".") || name.equals("..")) throw new IllegalArgumentException("interface name \"" + name + "\" is not allowed");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c)) {
                throw new IllegalArgumentException("interface name \"" + name + "\" contains '" + (Character.isWhitespace(c) ? "whitespace" : String.valueOf(c)) + "'");
            }
        }
        return name;
    }
}
