package io.nslab.lab.model;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An interface address with its prefix length ({@code 172.17.0.1/16}) or a subnet ({@code 172.17.0.0/16}).
 * The host bits are kept: {@link #network()} clears them.
 */
public record Cidr(InetAddress address, int prefix) {
    public Cidr {
        int max = bits(address);
        if (prefix < 0 || prefix > max)
            throw new IllegalArgumentException("bad prefix length /" + prefix + " for " + Ip.text(address) + ": must be 0.." + max);
    }

    /** Parses {@code ADDRESS/LEN}; a bare address gets /32 or /128 only when {@code bareAllowed}. */
    public static Cidr parse(String s, boolean bareAllowed) {
        String t = s.strip();
        int slash = t.indexOf('/');
        if (slash < 0) {
            if (!bareAllowed)
                throw new IllegalArgumentException("bad CIDR '" + s + "': missing /prefix-length, e.g. 10.0.0.1/24");
            InetAddress a = Ip.parse(t);
            return new Cidr(a, bits(a));
        }
        InetAddress a;
        try {
            a = Ip.parse(t.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad CIDR '" + s + "': " + e.getMessage());
        }
        String len = t.substring(slash + 1);
        if (!len.matches("[0-9]{1,3}"))
            throw new IllegalArgumentException("bad CIDR '" + s + "': prefix length '" + len + "' is not a number");
        int p = Integer.parseInt(len);
        if (p > bits(a))
            throw new IllegalArgumentException("bad CIDR '" + s + "': prefix length /" + p + " is more than " + bits(a));
        return new Cidr(a, p);
    }

    public static Cidr parse(String s) {
        return parse(s, false);
    }

    public static Cidr defaultRoute(boolean v6) {
        return parse(v6 ? "::/0" : "0.0.0.0/0");
    }

    public static int bits(InetAddress a) {
        return a.getAddress().length * 8;
    }

    public boolean isV6() {
        return Ip.isV6(address);
    }

    public int bits() {
        return bits(address);
    }

    public boolean isDefault() {
        return prefix == 0;
    }

    /** The subnet: host bits cleared. */
    public Cidr network() {
        return new Cidr(mask(address, prefix), prefix);
    }

    /** True when the address has host bits at all (not the network itself), only meaningful for prefixes below /31. */
    public boolean isNetworkAddress() {
        return prefix < bits() - 1 && mask(address, prefix).equals(address);
    }

    /** The IPv4 broadcast address of the subnet, when it has one. */
    public boolean isBroadcastAddress() {
        if (isV6() || prefix >= 31) return false;
        BigInteger host = BigInteger.ONE.shiftLeft(bits() - prefix).subtract(BigInteger.ONE);
        return toInt(address).and(host).equals(host);
    }

    public boolean contains(InetAddress a) {
        return a.getClass() == address.getClass() && mask(a, prefix).equals(mask(address, prefix));
    }

    public boolean contains(Cidr other) {
        return other.prefix >= prefix && contains(other.address);
    }

    /** Two subnets overlap when one contains the other. */
    public boolean overlaps(Cidr other) {
        return contains(other) || other.contains(this);
    }

    private static BigInteger toInt(InetAddress a) {
        return new BigInteger(1, a.getAddress());
    }

    private static InetAddress mask(InetAddress a, int prefix) {
        byte[] b = a.getAddress();
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            b[i] &= (byte) (0xff << (8 - keep));
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public String toString() {
        return Ip.text(address) + "/" + prefix;
    }
}
