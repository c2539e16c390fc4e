package io.nslab.net;

import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.nft.Proto;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code -p [HOSTIP:]HOSTPORT:PORT[/tcp|udp]}: connections to HOSTPORT on HOSTIP
 * (or on any address of the host namespace) go to PORT of the container.
 */
public record PublishedPort(Proto proto, Optional<InetAddress> hostIp, int hostPort, int port) {
    public PublishedPort {
        Objects.requireNonNull(proto, "proto");
        Objects.requireNonNull(hostIp, "hostIp");
        checkPort("host port", hostPort);
        checkPort("container port", port);
    }

    private static void checkPort(String what, int p) {
        if (p < 1 || p > 65535) throw new IllegalArgumentException(what + " " + p + " out of range 1..65535");
    }

    /** Parses the docker-style form; IPv6 host addresses go in brackets: {@code [::1]:8080:80}. */
    public static PublishedPort parse(String spec) {
        String s = spec.strip();
        Proto proto = Proto.TCP;
        int slash = s.lastIndexOf('/');
        if (slash >= 0) {
            String p = s.substring(slash + 1).toLowerCase(Locale.ROOT);
            proto = switch (p) {
                case "tcp" -> Proto.TCP;
                case "udp" -> Proto.UDP;
                default -> throw new IllegalArgumentException("published port " + spec + ": protocol must be tcp or udp, not " + p);
            };
            s = s.substring(0, slash);
        }
        Optional<InetAddress> hostIp = Optional.empty();
        String ports = s;
        if (s.startsWith("[")) {
            int close = s.indexOf("]:");
            if (close < 0) throw new IllegalArgumentException("published port " + spec + ": expected [IPV6]:HOSTPORT:PORT");
            hostIp = Optional.of(literal(spec, s.substring(1, close)));
            ports = s.substring(close + 2);
        } else {
            int last = s.lastIndexOf(':');
            int first = s.indexOf(':');
            if (first != last) {
                hostIp = Optional.of(literal(spec, s.substring(0, first)));
                ports = s.substring(first + 1);
            }
        }
        String[] hp = ports.split(":", -1);
        if (hp.length != 2) throw new IllegalArgumentException("published port " + spec + ": expected [HOSTIP:]HOSTPORT:PORT[/tcp|udp]");
        try {
            return new PublishedPort(proto, hostIp, number(spec, hp[0]), number(spec, hp[1]));
        } catch (IllegalArgumentException e) {
            if (e.getMessage().startsWith("published port")) throw e;
            throw new IllegalArgumentException("published port " + spec + ": " + e.getMessage());
        }
    }

    private static int number(String spec, String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("published port " + spec + ": \"" + s + "\" is not a port number");
        }
    }

    private static InetAddress literal(String spec, String s) {
        try {
            return IpPrefix.parseAddress(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("published port " + spec + ": " + s + " is not an IP address");
        }
    }

    /** True if this and {@code o} would claim the same packets (same protocol and port, overlapping host address). */
    public boolean conflictsWith(PublishedPort o) {
        if (proto != o.proto || hostPort != o.hostPort) return false;
        if (hostIp.isEmpty() || o.hostIp.isEmpty()) return true;
        return hostIp.get().equals(o.hostIp.get());
    }

    public boolean ipv6Host() {
        return hostIp.isPresent() && !(hostIp.get() instanceof Inet4Address);
    }

    /** The docker-style text, e.g. {@code 8080:80/tcp}. */
    @Override
    public String toString() {
        String h = hostIp.map(a -> a instanceof Inet4Address ? a.getHostAddress() + ":" : "[" + a.getHostAddress() + "]:").orElse("");
        return h + hostPort + ":" + port + "/" + proto.nft();
    }
}
