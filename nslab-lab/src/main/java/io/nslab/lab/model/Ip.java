package io.nslab.lab.model;

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

    public static boolean isV6(InetAddress a) {
        return a instanceof Inet6Address;
    }

    /** The text form: dotted quad, or RFC 5952 compressed IPv6 (as iproute2 prints it). */
    public static String text(InetAddress a) {
        return io.nslab.netlink.route.IpPrefix.text(a);
    }
}
