package io.nslab.net.cni;

import io.nslab.netlink.route.IpPrefix;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Addresses as numbers, for ranges and allocation. */
final class Addr {
    private Addr() {}

    static BigInteger num(InetAddress a) {
        return new BigInteger(1, a.getAddress());
    }

    static InetAddress of(BigInteger v, boolean ipv4) {
        int len = ipv4 ? 4 : 16;
        byte[] raw = v.toByteArray();
        byte[] b = new byte[len];
        int copy = Math.min(len, raw.length);
        System.arraycopy(raw, raw.length - copy, b, len - copy, copy);
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** The last address of the prefix (the IPv4 broadcast address). */
    static BigInteger last(IpPrefix p) {
        return num(p.address()).add(BigInteger.ONE.shiftLeft(p.maxLength() - p.length())).subtract(BigInteger.ONE);
    }

    static String text(InetAddress a) {
        return IpPrefix.text(a);
    }
}
