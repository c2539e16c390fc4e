package io.nslab.netlink.route;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What to add, replace or delete: {@code ip route add [TYPE] PREFIX|default
 * [via G] [dev D] [src S] [metric M] [table T] [proto P] [scope S] [onlink] [mtu N]
 * [nexthop via G dev D weight W]...}.
 * Unset fields take iproute2's defaults when the request is built (table
 * local for local, broadcast, anycast and nat routes, main otherwise; proto boot, type unicast, scope link for a device route without
 * gateway and global otherwise; a delete matches any proto/scope/type).
 * The device is an index, a name, or both (the name is then only for
 * messages); {@code Routes} resolves a name-only device.
 */
public record RouteSpec(int family, Optional<IpPrefix> dst, Optional<InetAddress> via, OptionalInt index,
                        Optional<String> device, Optional<InetAddress> src, OptionalInt metric, OptionalInt table,
                        OptionalInt protocol, OptionalInt scope, OptionalInt type, boolean onlink, OptionalInt mtu, List<RouteNextHop> nexthops) {
    public RouteSpec {
        Objects.requireNonNull(dst);
        Objects.requireNonNull(via);
        Objects.requireNonNull(index);
        Objects.requireNonNull(device);
        Objects.requireNonNull(src);
        Objects.requireNonNull(metric);
        Objects.requireNonNull(table);
        Objects.requireNonNull(protocol);
        Objects.requireNonNull(scope);
        Objects.requireNonNull(type);
        Objects.requireNonNull(mtu);
        nexthops = List.copyOf(nexthops);
        if (!nexthops.isEmpty() && (via.isPresent() || index.isPresent() || device.isPresent())) {
            throw new IllegalArgumentException("route " + dst.map(IpPrefix::toString).orElse("default") + ": give either via/dev or nexthops, not both");
        }
        int f = family;
        if (f != AddressFamily.UNSPEC && f != AddressFamily.INET && f != AddressFamily.INET6) {
            throw new IllegalArgumentException("route: family " + f + " is not inet or inet6");
        }
        for (InetAddress a : new InetAddress[] {dst.map(IpPrefix::address).orElse(null), via.orElse(null), src.orElse(null)}) {
            if (a == null) continue;
            int af = a.getAddress().length == 4 ? AddressFamily.INET : AddressFamily.INET6;
            if (f == AddressFamily.UNSPEC) f = af;
            else if (af != f) {
                throw new IllegalArgumentException("route " + dst.map(IpPrefix::toString).orElse("default") + ": "
                        + IpPrefix.text(a) + " is " + (af == AddressFamily.INET ? "IPv4" : "IPv6") + " but the route is "
                        + (f == AddressFamily.INET ? "IPv4" : "IPv6"));
            }
        }
        table.ifPresent(t -> { if (t == 0) throw new IllegalArgumentException("route: table 0 is not a table"); });
    }

    /** A route to {@code dst} (its host bits must be zero, as the kernel insists). */
    public static RouteSpec to(IpPrefix dst) {
        return new RouteSpec(AddressFamily.UNSPEC, Optional.of(dst), Optional.empty(), OptionalInt.empty(), Optional.empty(),
                Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
                OptionalInt.empty(), false, OptionalInt.empty(), List.of());
    }

    public static RouteSpec to(String cidr) { return to(IpPrefix.parse(cidr)); }

    /** {@code default}: its family comes from the gateway or source, else IPv4. */
    public static RouteSpec defaultRoute() { return defaultRoute(AddressFamily.UNSPEC); }

    public static RouteSpec defaultRoute(int family) {
        return new RouteSpec(family, Optional.empty(), Optional.empty(), OptionalInt.empty(), Optional.empty(),
                Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
                OptionalInt.empty(), false, OptionalInt.empty(), List.of());
    }

    public RouteSpec via(InetAddress g) { return new RouteSpec(family, dst, Optional.of(g), index, device, src, metric, table, protocol, scope, type, onlink, mtu, nexthops); }
    public RouteSpec via(String g) { return via(IpPrefix.parseAddress(g)); }
    public RouteSpec dev(int i) { return new RouteSpec(family, dst, via, OptionalInt.of(i), device, src, metric, table, protocol, scope, type, onlink, mtu, nexthops); }
    public RouteSpec dev(String name) { return new RouteSpec(family, dst, via, index, Optional.of(name), src, metric, table, protocol, scope, type, onlink, mtu, nexthops); }
    public RouteSpec src(InetAddress s) { return new RouteSpec(family, dst, via, index, device, Optional.of(s), metric, table, protocol, scope, type, onlink, mtu, nexthops); }
    public RouteSpec metric(int m) { return new RouteSpec(family, dst, via, index, device, src, OptionalInt.of(m), table, protocol, scope, type, onlink, mtu, nexthops); }
    public RouteSpec table(int t) { return new RouteSpec(family, dst, via, index, device, src, metric, OptionalInt.of(t), protocol, scope, type, onlink, mtu, nexthops); }
    public RouteSpec proto(int p) { return new RouteSpec(family, dst, via, index, device, src, metric, table, OptionalInt.of(p), scope, type, onlink, mtu, nexthops); }
    public RouteSpec scope(int s) { return new RouteSpec(family, dst, via, index, device, src, metric, table, protocol, OptionalInt.of(s), type, onlink, mtu, nexthops); }
    /** RTN_* route type: unicast, blackhole, unreachable, prohibit, local, throw... */
    public RouteSpec type(int t) { return new RouteSpec(family, dst, via, index, device, src, metric, table, protocol, scope, OptionalInt.of(t), onlink, mtu, nexthops); }
    /** {@code onlink}: trust that the gateway is on the device's link. */
    public RouteSpec withOnlink() { return new RouteSpec(family, dst, via, index, device, src, metric, table, protocol, scope, type, true, mtu, nexthops); }

    /** {@code mtu N}: the path MTU metric (RTA_METRICS / RTAX_MTU). */
    public RouteSpec mtu(int m) { return new RouteSpec(family, dst, via, index, device, src, metric, table, protocol, scope, type, onlink, OptionalInt.of(m), nexthops); }

    /**
     * {@code nexthop via G dev D weight W ...}: a multipath route. Build the
     * hops with {@link RouteNextHop#via(InetAddress, int, int)}; the route then
     * has no via/dev of its own.
     */
    public RouteSpec nexthops(List<RouteNextHop> hops) {
        return new RouteSpec(family, dst, via, index, device, src, metric, table, protocol, scope, type, onlink, mtu, hops);
    }

    /** The family: given, or from the destination, gateway or source; IPv4 if none says. */
    public int effectiveFamily() {
        if (family != AddressFamily.UNSPEC) return family;
        return dst.map(IpPrefix::family)
                .or(() -> via.map(a -> a.getAddress().length == 4 ? AddressFamily.INET : AddressFamily.INET6))
                .or(() -> src.map(a -> a.getAddress().length == 4 ? AddressFamily.INET : AddressFamily.INET6))
                .or(() -> nexthops.stream().flatMap(h -> h.gateway().stream()).findFirst()
                        .map(a -> a.getAddress().length == 4 ? AddressFamily.INET : AddressFamily.INET6))
                .orElse(AddressFamily.INET);
    }

    /** {@code 10.0.2.0/24 via 10.0.1.2 dev veth0 table 100}, for messages. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        type.ifPresent(t -> { if (t != RtConst.RTN_UNICAST) sb.append(RouteNames.type(t)).append(' '); });
        sb.append(dst.map(IpPrefix::toString).orElse("default"));
        via.ifPresent(g -> sb.append(" via ").append(IpPrefix.text(g)));
        if (device.isPresent()) sb.append(" dev ").append(device.get());
        else index.ifPresent(i -> sb.append(" dev #").append(i));
        for (RouteNextHop h : nexthops) {
            sb.append(" nexthop");
            h.gateway().ifPresent(g -> sb.append(" via ").append(IpPrefix.text(g)));
            if (h.index() != 0) sb.append(" dev #").append(h.index());
            if (h.weight() != 1) sb.append(" weight ").append(h.weight());
        }
        src.ifPresent(s -> sb.append(" src ").append(IpPrefix.text(s)));
        metric.ifPresent(m -> sb.append(" metric ").append(Integer.toUnsignedString(m)));
        table.ifPresent(t -> sb.append(" table ").append(RouteNames.table(t)));
        return sb.toString();
    }
}
