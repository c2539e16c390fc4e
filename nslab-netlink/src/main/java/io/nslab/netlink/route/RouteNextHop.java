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
        if (weight < 1 || weight > 256) throw new IllegalArgumentException("nexthop weight " + weight + " is not in 1..256");
    }

    /** {@code nexthop via GATEWAY dev INDEX weight W}, for {@link RouteSpec#nexthops}. */
    public static RouteNextHop via(InetAddress gateway, int index, int weight) {
        return new RouteNextHop(0, weight, index, Optional.of(gateway), Attrs.EMPTY);
    }

    /** {@code nexthop dev INDEX weight W} (no gateway). */
    public static RouteNextHop dev(int index, int weight) {
        return new RouteNextHop(0, weight, index, Optional.empty(), Attrs.EMPTY);
    }
}
