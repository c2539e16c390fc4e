package io.nslab.lab.model;

/** IP forwarding of a node ({@code net.ipv4.ip_forward}, {@code net.ipv6.conf.all.forwarding}); off by default. */
public record Forwarding(boolean ipv4, boolean ipv6) {
    public static final Forwarding OFF = new Forwarding(false, false);
}
