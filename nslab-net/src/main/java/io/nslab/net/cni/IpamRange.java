package io.nslab.net.cni;

import io.nslab.netlink.route.IpPrefix;

import java.math.BigInteger;
import java.net.InetAddress;

/**
 * One host-local range: a subnet, the first and last address handed out
 * ({@code rangeStart}/{@code rangeEnd}, by default the subnet's second
 * address up to the one before the IPv4 broadcast address) and the gateway
 * (by default the subnet's first host address), which is never handed out.
 */
record IpamRange(IpPrefix subnet, InetAddress start, InetAddress end, InetAddress gateway) {
    boolean ipv4() {
        return subnet.isIpv4();
    }

    /** True if the two ranges share an address. */
    boolean overlaps(IpamRange o) {
        if (ipv4() != o.ipv4()) return false;
        return IpPrefix.number(start).compareTo(IpPrefix.number(o.end)) <= 0 && IpPrefix.number(o.start).compareTo(IpPrefix.number(end)) <= 0;
    }

    boolean contains(InetAddress a) {
        BigInteger v = IpPrefix.number(a);
        return subnet.contains(a) && v.compareTo(IpPrefix.number(start)) >= 0 && v.compareTo(IpPrefix.number(end)) <= 0;
    }

    /** The address with this range's prefix length ({@code 10.88.0.2/16}). */
    IpPrefix withLength(InetAddress a) {
        return new IpPrefix(a, subnet.length());
    }

    @Override
    public String toString() {
        return subnet + " (" + IpPrefix.text(start) + "-" + IpPrefix.text(end) + ")";
    }
}
