package io.nslab.lab.probe;

import io.nslab.lab.model.Measure;

import java.net.Inet6Address;
import java.net.InetAddress;

/** One reachability check, run from inside a namespace by {@link Prober}. */
public sealed interface Probe {
    InetAddress target();

    /** Short label for tables: {@code icmp 10.0.0.2}, {@code tcp 10.0.0.2:80}. */
    String describe();

    /** ICMP (or ICMPv6) echo request/reply. */
    record Icmp(InetAddress target) implements Probe {
        @Override public String describe() { return (target instanceof Inet6Address ? "icmp6 " : "icmp ") + target.getHostAddress(); }
    }

    /** A TCP connection is accepted. */
    record Tcp(InetAddress target, int port) implements Probe {
        public Tcp { checkPort(port); }
        @Override public String describe() { return "tcp " + hostPort(target, port); }
    }

    /** A UDP datagram is answered (by an echo server, see {@link ProbeServer}). */
    record Udp(InetAddress target, int port) implements Probe {
        public Udp { checkPort(port); }
        @Override public String describe() { return "udp " + hostPort(target, port); }
    }

    /** HTTP GET answers with a 2xx status. */
    record Http(InetAddress target, int port, String path) implements Probe {
        public Http {
            checkPort(port);
            if (!path.startsWith("/")) throw new IllegalArgumentException("http path must start with /: " + path);
        }
        public Http(InetAddress target, int port) { this(target, port, "/"); }
        @Override public String describe() { return "http " + hostPort(target, port) + path; }
    }

    /** ICMP echo, timed: the median round trip of a few echoes must meet the bound (see {@link Measured}). */
    record Rtt(InetAddress target, Measure.Rtt bound) implements Probe {
        @Override public String describe() { return new Icmp(target).describe() + " " + bound.describe(); }
    }

    /** A bulk TCP transfer through the echo service at {@code port}: its goodput must meet the bound. */
    record Rate(InetAddress target, int port, Measure.Throughput bound) implements Probe {
        public Rate { checkPort(port); }
        @Override public String describe() { return "tcp " + hostPort(target, port) + " " + bound.describe(); }
    }

    private static void checkPort(int port) {
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    }

    static String hostPort(InetAddress a, int port) {
        return a instanceof Inet6Address ? "[" + a.getHostAddress() + "]:" + port : a.getHostAddress() + ":" + port;
    }
}
