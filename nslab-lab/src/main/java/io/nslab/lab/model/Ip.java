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

    /** The text form: dotted quad, or RFC 5952 compressed IPv6. */
    public static String text(InetAddress a) {
        if (a instanceof Inet4Address) return a.getHostAddress();
        byte[] b = a.getAddress();
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) w[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        int bestStart = -1, bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && w[j] == 0) j++;
            if (j - i > bestLen && j - i > 1) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(w[i]));
        }
        return sb.toString();
    }
}
