package io.nslab.lab.model;

import io.nslab.netlink.route.IpPrefix;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * Strict parsing of IP address literals. Never resolves names: {@code InetAddress.getByName} would ask DNS
 * for anything that is not a literal, and a topology file must not cause network traffic.
 */
public final class Ip {
    private static final Pattern V4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

    private Ip() {}

    /** Parses a dotted-quad IPv4 or an IPv6 literal; throws IllegalArgumentException naming the text. */
    public static InetAddress parse(String s) {
        String t = s.strip();
        if (V4.matcher(t).matches()) return Inet4Address.ofLiteral(t);
        if (t.indexOf(':') >= 0 && t.indexOf('%') < 0 && !t.startsWith("[")) {
            try {
                return Inet6Address.ofLiteral(t);
            } catch (IllegalArgumentException e) {
                // fall through to the common message
            }
        }
        throw new IllegalArgumentException("bad IP address '" + s + "': expected IPv4 like 10.0.0.1 or IPv6 like fd00::1");
    }

    /**
     * Parses {@code ADDRESS/LEN} as a lab file writes an interface address or a subnet (host bits kept);
     * a bare address gets /32 or /128 only when {@code bareAllowed}. Messages name the text as written.
     */
    public static IpPrefix parsePrefix(String s, boolean bareAllowed) {
        String t = s.strip();
        int slash = t.indexOf('/');
        if (slash < 0) {
            if (!bareAllowed)
                throw new IllegalArgumentException("bad CIDR '" + s + "': missing /prefix-length, e.g. 10.0.0.1/24");
            return IpPrefix.host(parse(t));
        }
        InetAddress a;
        try {
            a = parse(t.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad CIDR '" + s + "': " + e.getMessage());
        }
        String len = t.substring(slash + 1);
        if (!len.matches("[0-9]{1,3}"))
            throw new IllegalArgumentException("bad CIDR '" + s + "': prefix length '" + len + "' is not a number");
        int p = Integer.parseInt(len);
        int max = a.getAddress().length * 8;
        if (p > max)
            throw new IllegalArgumentException("bad CIDR '" + s + "': prefix length /" + p + " is more than " + max);
        return new IpPrefix(a, p);
    }

    /** {@link #parsePrefix(String, boolean)} with the length required. */
    public static IpPrefix parsePrefix(String s) {
        return parsePrefix(s, false);
    }

    public static boolean isV6(InetAddress a) {
        return a instanceof Inet6Address;
    }

    /** The text form: dotted quad, or RFC 5952 compressed IPv6 (as iproute2 prints it). */
    public static String text(InetAddress a) {
        return IpPrefix.text(a);
    }
}
