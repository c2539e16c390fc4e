package io.nslab.netlink.nft;

import io.nslab.netlink.route.IpPrefix;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An IPv4 or IPv6 network prefix. Host bits are cleared on construction, so
 * {@code 172.17.0.1/16} and {@code 172.17.0.0/16} are equal (that is also what
 * nft does with them).
 */
public record Prefix(InetAddress address, int length) {
    public Prefix {
        Objects.requireNonNull(address, "address");
        int max = address instanceof Inet4Address ? 32 : 128;
        if (length < 0 || length > max) throw new IllegalArgumentException("prefix length out of range 0.." + max + ": " + length);
        address = mask(address, length);
    }

    /** A single host: /32 or /128. */
    public static Prefix host(InetAddress address) {
        return new Prefix(address, address instanceof Inet4Address ? 32 : 128);
    }

    /** {@code "172.17.0.0/16"}, {@code "fd00::/64"} or a bare address (a host prefix). Never resolves names. */
    public static Prefix parse(String s) {
        int slash = s.indexOf('/');
        InetAddress a = literal(slash < 0 ? s : s.substring(0, slash));
        if (slash < 0) return host(a);
        int len;
        try {
            len = Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in " + s);
        }
        return new Prefix(a, len);
    }

    /** An IP address literal; never a DNS lookup. */
    public static InetAddress literal(String s) {
        try {
            return InetAddress.ofLiteral(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IP address literal: " + s, e);
        }
    }

    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    public boolean isHost() {
        return length == (isIpv4() ? 32 : 128);
    }

    private static InetAddress mask(InetAddress a, int len) {
        return IpPrefix.of(a, len).network().address();
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + length;
    }
}
