package io.nslab.cli.ip;

import io.nslab.cli.CliException;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The kernel's and iproute2's rules for interface and namespace names, checked before anything is sent. */
public final class Names {
    /** IFNAMSIZ - 1: the kernel keeps 16 bytes including the terminating NUL. */
    public static final int MAX_IFNAME_BYTES = 15;
    /** NAME_MAX - 1, as ip netns checks. */
    public static final int MAX_NETNS_BYTES = 254;

    private Names() {}

    static String ifname(Args a, String name) throws CliException {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (name.isEmpty()) throw a.error("empty interface name");
        if (bytes > MAX_IFNAME_BYTES) {
            throw a.refusedByKernel("interface name \"" + name + "\" is too long (" + bytes + " bytes, at most " + MAX_IFNAME_BYTES + ")");
        }
        if (name.equals(".") || name.equals("..")) throw a.error("\"" + name + "\" is not a valid interface name");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c)) {
                throw a.error("interface name \"" + name + "\" contains '" + (c == '/' ? "/" : c == ':' ? ":" : "whitespace") + "'");
            }
        }
        return name;
    }

    static String netns(Args a, String name) throws CliException {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
                || name.getBytes(StandardCharsets.UTF_8).length > MAX_NETNS_BYTES) {
            throw a.error("invalid namespace name \"" + name + "\"");
        }
        return name;
    }

    /** Public check for callers outside the parser (the -n option). */
    public static void checkNetns(String name) throws CliException {
        netns(new Args(List.of(), "-n " + name), name);
    }
}
