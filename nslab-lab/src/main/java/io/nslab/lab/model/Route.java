package io.nslab.lab.model;

import io.nslab.netlink.route.IpPrefix;

import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A route of a node. {@code dst} is {@code 0.0.0.0/0} (or {@code ::/0}) for {@code dst: default}. At least one of
 * {@code via} and {@code dev} is set; a route with only {@code dev} is a device (link-scope) route.
 */
public record Route(IpPrefix dst, Optional<InetAddress> via, Optional<String> dev, OptionalInt metric, Src src) {
    public boolean isDefault() {
        return dst.isDefault();
    }

    public boolean isV6() {
        return dst.isIpv6();
    }
}
