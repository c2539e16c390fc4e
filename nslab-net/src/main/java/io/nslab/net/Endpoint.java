package io.nslab.net;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * One namespace attached to a network: {@code ifname} inside {@code ns}, its
 * peer {@code hostIfname} on the bridge, the address it was given and the
 * ports published to it.
 */
public record Endpoint(String ns, String ifname, String hostIfname, InetAddress address, List<PublishedPort> ports) {
    public Endpoint {
        Objects.requireNonNull(ns, "ns");
        Objects.requireNonNull(ifname, "ifname");
        Objects.requireNonNull(hostIfname, "hostIfname");
        Objects.requireNonNull(address, "address");
        ports = List.copyOf(ports);
    }
}
