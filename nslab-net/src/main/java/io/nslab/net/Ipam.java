package io.nslab.net;

import io.nslab.netlink.route.IpPrefix;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Address management of one network, as a pure function of its stored state:
 * the addresses in use are the gateway and the endpoints' addresses. The
 * network address, the IPv4 broadcast address and the gateway are never handed
 * out. Exclusion between concurrent callers comes from the store's lock, under
 * which {@link #allocate} is called and its result persisted.
 */
public final class Ipam {
    private Ipam() {}

    /** The lowest free address of the network (docker and host-local hand out in order too). */
    public static Optional<InetAddress> allocate(Network n) {
        Set<BigInteger> used = used(n);
        IpPrefix p = n.subnet();
        BigInteger first = firstHost(p), last = lastHost(p);
        for (BigInteger a = first; a.compareTo(last) <= 0; a = a.add(BigInteger.ONE)) {
            if (!used.contains(a)) return Optional.of(IpPrefix.fromNumber(a, p.isIpv4()));
        }
        return Optional.empty();
    }

    /** Checks an address asked for with {@code --ip}; empty if it can be given. */
    public static Optional<String> problemWith(Network n, InetAddress a) {
        IpPrefix p = n.subnet();
        String subnet = n.subnetText();
        if (p.isIpv4() != (a instanceof Inet4Address)) return Optional.of(a.getHostAddress() + " is not an address of " + subnet);
        if (!p.contains(a)) return Optional.of(a.getHostAddress() + " is outside the subnet " + subnet);
        BigInteger v = IpPrefix.number(a);
        if (v.equals(IpPrefix.number(p.address()))) return Optional.of(a.getHostAddress() + " is the network address of " + subnet);
        if (p.isIpv4() && p.length() < 31 && v.equals(p.lastNumber())) return Optional.of(a.getHostAddress() + " is the broadcast address of " + subnet);
        if (a.equals(n.gateway())) return Optional.of(a.getHostAddress() + " is the gateway of network " + n.name());
        for (Endpoint e : n.endpoints())
            if (e.address().equals(a)) return Optional.of(a.getHostAddress() + " is already in use by " + e.ns());
        return Optional.empty();
    }

    /** The first address the default gateway takes ({@code .1}). */
    public static InetAddress defaultGateway(IpPrefix p) throws NetException {
        BigInteger first = firstHost(p);
        if (first.compareTo(lastHost(p)) > 0) throw new NetException("subnet " + Network.text(p) + " has no room for a gateway");
        return IpPrefix.fromNumber(first, p.isIpv4());
    }

    /** How many addresses the network can hand out in total (gateway excluded). */
    public static BigInteger capacity(IpPrefix p) {
        BigInteger n = lastHost(p).subtract(firstHost(p)).add(BigInteger.ONE);
        return n.signum() > 0 ? n.subtract(BigInteger.ONE) : BigInteger.ZERO;
    }

    private static Set<BigInteger> used(Network n) {
        Set<BigInteger> s = new HashSet<>();
        s.add(IpPrefix.number(n.gateway()));
        for (Endpoint e : n.endpoints()) s.add(IpPrefix.number(e.address()));
        return s;
    }

    private static BigInteger firstHost(IpPrefix p) {
        int bits = p.isIpv4() ? 32 : 128;
        BigInteger net = IpPrefix.number(p.address());
        // /31 and /32 (RFC 3021) and /127, /128: every address is usable
        if (bits - p.length() <= 1) return net;
        return net.add(BigInteger.ONE);
    }

    private static BigInteger lastHost(IpPrefix p) {
        int bits = p.isIpv4() ? 32 : 128;
        BigInteger top = p.lastNumber();
        if (bits - p.length() <= 1) return top;
        return p.isIpv4() ? top.subtract(BigInteger.ONE) : top; // IPv4 broadcast
    }
}
