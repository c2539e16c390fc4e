package io.nslab.netlink.nft;

import java.nio.charset.StandardCharsets;

/** Checks shared by the records of this package. */
final class Names {
    private Names() {}

    /** NFT_NAME_MAXLEN is 256 including the NUL. */
    static final int MAX = 255;

    /**
     * Table, chain and similar object names. Anything nft itself accepts is
     * accepted (names travel as netlink strings, never as nft syntax),
     * so that listing someone else's table never fails to decode.
     */
    static String object(String what, String name) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException(what + " name is empty");
        if (name.length() > MAX) throw new IllegalArgumentException(what + " name longer than " + MAX + ": " + name);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c))
                throw new IllegalArgumentException(what + " name contains a control character: \"" + name + "\"");
        }
        return name;
    }

    /** Interface names as matched by iifname/oifname: IFNAMSIZ-1 bytes, '*' allowed as a trailing wildcard. */
    static String ifname(String name) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("interface name is empty");
        if (name.getBytes(StandardCharsets.UTF_8).length > 15)
            throw new IllegalArgumentException("interface name longer than 15 bytes: " + name);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c == '/' || c == '"' || c == '\\' || c == 127)
                throw new IllegalArgumentException("invalid character in interface name: \"" + name + "\"");
        }
        return name;
    }

    static int port(String what, int port, int min) {
        if (port < min || port > 65535) throw new IllegalArgumentException(what + " out of range " + min + "..65535: " + port);
        return port;
    }
}
