package io.nslab.netlink.route;

import io.nslab.netlink.wire.Attrs;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One path of a multipath route (struct rtnexthop + RTA_* inside RTA_MULTIPATH):
 * {@code nexthop via G dev D weight W}. {@code weight} is rtnh_hops + 1, as
 * iproute2 shows it.
 */
public record RouteNextHop(int flags, int weight, int index, Optional<InetAddress> gateway, Attrs attrs) {
    public RouteNextHop {
        Objects.requireNonNull(gateway);
        Objects.requireNonNull(attrs);
    }
}
