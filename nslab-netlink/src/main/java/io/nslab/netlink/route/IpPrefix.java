package io.nslab.netlink.route;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;

import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.DecodeException;

/**
 * An IP address with a prefix length, as written {@code 10.0.1.1/24} or
 * {@code 2001:db8::1/64}. The address keeps its host bits (an interface
 * address is a prefix with host bits); {@link #network()} clears them.
 * Parsing never touches DNS: only literals are accepted.
 */
public record IpPrefix(InetAddress address, int length) {
    public IpPrefix {
        Objects.requireNonNull(address, "address");
        int max = address.getAddress().length * 8;
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("invalid prefix " + address.getHostAddress() + "/" + length + ": length must be 0.." + max);
        }
    }

    /** A host prefix: /32 for IPv4, /128 for IPv6. */
    public static IpPrefix host(InetAddress a) { return new IpPrefix(a, a.getAddress().length * 8); }

    public static IpPrefix of(InetAddress a, int length) { return new IpPrefix(a, length); }

    /** The default route's destination: {@code 0.0.0.0/0}, or {@code ::/0} when {@code ipv6}. */
    public static IpPrefix any(boolean ipv6) { return new IpPrefix(addr(new byte[ipv6 ? 16 : 4]), 0); }

    /**
     * Parses {@code ADDR[/LEN]}; without {@code /LEN} the prefix is a host
     * prefix. IPv4 accepts iproute2's short forms ({@code 10/8} = 10.0.0.0/8).
     * Errors are one line naming the text and what is wrong with it.
     */
    public static IpPrefix parse(String text) {
        Objects.requireNonNull(text, "text");
        String s = text.strip();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        InetAddress a = parseAddress(addr, text);
        int max = a.getAddress().length * 8;
        if (slash < 0) return new IpPrefix(a, max);
        String len = s.substring(slash + 1);
        if (len.isEmpty() || len.length() > 3 || !len.chars().allMatch(Character::isDigit)) {
            throw bad(text, "prefix length \"" + len + "\" is not a number");
        }
        int n = Integer.parseInt(len);
        if (n > max) throw bad(text, "prefix length " + n + " is larger than " + max + " for " + (max == 32 ? "IPv4" : "IPv6"));
        return new IpPrefix(a, n);
    }

    /** Parses an IPv4 or IPv6 address literal (no DNS); errors name the text. */
    public static InetAddress parseAddress(String text) {
        return parseAddress(text.strip(), text);
    }

    private static InetAddress parseAddress(String s, String whole) {
        if (s.isEmpty()) throw bad(whole, "no address");
        if (s.indexOf(':') >= 0) {
            if (s.indexOf('%') >= 0) throw bad(whole, "scoped IPv6 addresses (%zone) are not accepted");
            try {
                // ofLiteral turns ::ffff:a.b.c.d into an Inet4Address; keep it IPv6
                return ipv6(Inet6Address.ofLiteral(s).getAddress());
            } catch (IllegalArgumentException e) {
                throw bad(whole, "\"" + s + "\" is not an IPv6 address");
            }
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length > 4) throw bad(whole, "\"" + s + "\" has more than 4 parts");
        byte[] b = new byte[4];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw bad(whole, "\"" + s + "\" is not an IPv4 address");
            }
            int v = Integer.parseInt(p);
            if (v > 255) throw bad(whole, v + " in \"" + s + "\" is not in 0..255");
            b[i] = (byte) v;
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The address in an attribute of {@code kind}, typed by its length. Unlike
     * InetAddress.getByAddress, an IPv4-mapped IPv6 address stays IPv6 (a
     * route to ::ffff:0:0/96 is an IPv6 route).
     */
    public static Optional<InetAddress> attrAddress(Attrs attrs, int kind) {
        return attrs.get(kind).map(a -> {
            byte[] b = a.bytes();
            if (b.length == 16) return ipv6(b);
            try {
                return InetAddress.getByAddress(b);
            } catch (UnknownHostException e) {
                throw new DecodeException("attribute " + kind + " is not an address (" + b.length + " bytes)", 0);
            }
        });
    }

    private static InetAddress ipv6(byte[] b) {
        if (b.length == 4) {
            byte[] m = new byte[16];
            m[10] = (byte) 0xff;
            m[11] = (byte) 0xff;
            System.arraycopy(b, 0, m, 12, 4);
            b = m;
        }
        try {
            return Inet6Address.getByAddress(null, b, -1);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("invalid prefix \"" + text + "\": " + why);
    }

    /** {@link AddressFamily#INET} or {@link AddressFamily#INET6}. */
    public int family() { return address instanceof Inet4Address ? AddressFamily.INET : AddressFamily.INET6; }

    public boolean isIpv4() { return address instanceof Inet4Address; }

    public boolean isIpv6() { return !isIpv4(); }

    /** Bits in the address: 32 or 128. */
    public int maxLength() { return address.getAddress().length * 8; }

    public boolean isHost() { return length == maxLength(); }

    /** Length 0: every address of the family (a default route's destination). */
    public boolean isDefault() { return length == 0; }

    /** The prefix with host bits cleared (10.0.1.1/24 -> 10.0.1.0/24). */
    public IpPrefix network() {
        byte[] b = address.getAddress();
        for (int i = 0; i < b.length; i++) b[i] &= maskByte(i);
        return new IpPrefix(addr(b), length);
    }

    /** IPv4 broadcast address: host bits set, as {@code ip addr add ... brd +} computes it. */
    public InetAddress broadcast() {
        if (!isIpv4()) throw new IllegalStateException("IPv6 has no broadcast address: " + this);
        byte[] b = address.getAddress();
        for (int i = 0; i < b.length; i++) b[i] |= (byte) ~maskByte(i);
        return addr(b);
    }

    /** Whether {@code a} is in this prefix (same family, same network bits). */
    public boolean contains(InetAddress a) {
        byte[] x = a.getAddress(), y = address.getAddress();
        if (x.length != y.length) return false;
        for (int i = 0; i < x.length; i++) if ((x[i] & maskByte(i)) != (y[i] & maskByte(i))) return false;
        return true;
    }

    /** Whether every address of {@code p} is in this prefix (same family, {@code p} no shorter, same network bits). */
    public boolean contains(IpPrefix p) {
        return p.length >= length && contains(p.address);
    }

    /** Whether the two prefixes share an address: one contains the other. */
    public boolean overlaps(IpPrefix p) {
        return contains(p) || p.contains(this);
    }

    /**
     * Whether the address is its subnet's network address (host bits all clear), for
     * subnets that reserve one: below /31 for IPv4, below /127 for IPv6.
     */
    public boolean isNetworkAddress() {
        return length < maxLength() - 1 && network().address.equals(address);
    }

    /** Whether the address is its IPv4 subnet's broadcast address (host bits all set); never for IPv6, /31 or /32. */
    public boolean isBroadcastAddress() {
        return isIpv4() && length < 31 && broadcast().equals(address);
    }

    private byte maskByte(int i) {
        int bits = Math.max(0, Math.min(8, length - i * 8));
        return (byte) (0xff00 >>> bits);
    }

    private static InetAddress addr(byte[] b) {
        if (b.length == 16) return ipv6(b);
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code 10.0.1.1/24}; IPv6 in its compressed form. */
    @Override public String toString() { return text(address) + "/" + length; }

    /** Address text as iproute2 prints it: {@code 10.0.1.1}, {@code 2001:db8::1} (RFC 5952, no zone). */
    public static String text(InetAddress a) {
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
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /** An address as an unsigned number: ranges, allocation and offsets are arithmetic on these. */
    public static BigInteger number(InetAddress a) {
        return new BigInteger(1, a.getAddress());
    }

    /** The address whose {@link #number} is {@code v}: 4 bytes when {@code ipv4}, else 16 (higher bits dropped). */
    public static InetAddress fromNumber(BigInteger v, boolean ipv4) {
        int len = ipv4 ? 4 : 16;
        byte[] raw = v.toByteArray();
        byte[] b = new byte[len];
        int copy = Math.min(len, raw.length);
        System.arraycopy(raw, raw.length - copy, b, len - copy, copy);
        return addr(b);
    }

    /** The number of the prefix's last address (for IPv4 the broadcast address). */
    public BigInteger lastNumber() {
        return number(address).add(BigInteger.ONE.shiftLeft(maxLength() - length)).subtract(BigInteger.ONE);
    }
}
