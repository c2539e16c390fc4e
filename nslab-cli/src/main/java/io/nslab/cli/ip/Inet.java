package io.nslab.cli.ip;

import io.nslab.netlink.route.IpPrefix;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;

/** Address literals without DNS: parsing as ip accepts them, printing as ip prints them (RFC 5952). */
public final class Inet {
    private Inet() {}

    /** A literal IPv4 or IPv6 address; never a host name lookup. */
    public static Optional<InetAddress> parse(String s) {
        if (s.isEmpty() || s.indexOf('%') >= 0) return Optional.empty();
        if (s.indexOf(':') < 0) {
            String[] parts = s.split("\\.", -1);
            if (parts.length != 4) return Optional.empty();
            for (String p : parts) {
                if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                    return Optional.empty();
                }
            }
        }
        try {
            return Optional.of(InetAddress.ofLiteral(s));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** {@code ADDR[/LEN]}; "default"/"all"/"any" are handled by callers. */
    public static Optional<IpPrefix> parsePrefix(String s) {
        int slash = s.indexOf('/');
        Optional<InetAddress> a = parse(slash < 0 ? s : s.substring(0, slash));
        if (a.isEmpty()) return Optional.empty();
        int max = a.get() instanceof Inet4Address ? 32 : 128;
        if (slash < 0) return Optional.of(new IpPrefix(a.get(), max));
        String len = s.substring(slash + 1);
        if (len.isEmpty() || len.length() > 3 || !len.chars().allMatch(Character::isDigit)) return Optional.empty();
        int l = Integer.parseInt(len);
        if (l > max) return Optional.empty();
        return Optional.of(new IpPrefix(a.get(), l));
    }

    /** ip's spelling: dotted quad, or compressed IPv6 (RFC 5952), IPv4-mapped with a dotted tail as inet_ntop prints it. */
    public static String format(InetAddress a) {
        if (a instanceof Inet6Address) {
            byte[] b = a.getAddress();
            boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) mapped = b[i] == 0;
            if (mapped) return "::ffff:" + (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
        }
        return IpPrefix.text(a);
    }

    /** AF_INET (2) or AF_INET6 (10). */
    public static int familyOf(InetAddress a) { return a instanceof Inet4Address ? 2 : 10; }
}
