package io.nslab.cli.ip;

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
    public static Optional<Prefix> parsePrefix(String s) {
        int slash = s.indexOf('/');
        Optional<InetAddress> a = parse(slash < 0 ? s : s.substring(0, slash));
        if (a.isEmpty()) return Optional.empty();
        int max = a.get() instanceof Inet4Address ? 32 : 128;
        if (slash < 0) return Optional.of(new Prefix(a.get(), max, false));
        String len = s.substring(slash + 1);
        if (len.isEmpty() || len.length() > 3 || !len.chars().allMatch(Character::isDigit)) return Optional.empty();
        int l = Integer.parseInt(len);
        if (l > max) return Optional.empty();
        return Optional.of(new Prefix(a.get(), l, true));
    }

    /** ip's spelling: dotted quad, or compressed IPv6 with the longest zero run as "::". */
    public static String format(InetAddress a) {
        if (!(a instanceof Inet6Address)) return a.getHostAddress();
        byte[] b = a.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        // IPv4-mapped addresses print with a dotted tail, as inet_ntop does.
        if (bestStart == 0 && bestLen == 5 && g[5] == 0xffff) {
            return "::ffff:" + (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
        }
        if (bestStart < 0) return hex(g, 0, 8);
        return hex(g, 0, bestStart) + "::" + hex(g, bestStart + bestLen, 8);
    }

    private static String hex(int[] g, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            if (i > from) sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /** The network address of a prefix (host bits cleared). */
    public static InetAddress network(InetAddress a, int len) {
        byte[] b = a.getAddress();
        for (int i = 0; i < b.length; i++) {
            int bits = Math.max(0, Math.min(8, len - 8 * i));
            b[i] &= (byte) (0xff << (8 - bits));
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The broadcast address of an IPv4 prefix (host bits set). */
    public static InetAddress broadcast(InetAddress a, int len) {
        byte[] b = a.getAddress();
        for (int i = 0; i < b.length; i++) {
            int bits = Math.max(0, Math.min(8, len - 8 * i));
            b[i] |= (byte) (0xff >>> bits);
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** AF_INET (2) or AF_INET6 (10). */
    public static int familyOf(InetAddress a) { return a instanceof Inet4Address ? 2 : 10; }
}
