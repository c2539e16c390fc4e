package io.nslab.netlink.route;

import io.nslab.netlink.NlRequest;
import io.nslab.netlink.wire.NlWriter;

import java.util.OptionalInt;

import static io.nslab.netlink.route.RtConst.*;
import static io.nslab.netlink.wire.Netlink.*;

/**
 * Pure builders of route requests, byte-compatible with iproute2 (see the
 * route-* and dump-route golden fixtures).
 */
public final class RouteRequests {
    private RouteRequests() {}

    /** {@code ip route add}: fails if the route exists. */
    public static NlRequest add(RouteSpec s) {
        return new NlRequest(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, body(s, false), "route add " + s.describe());
    }

    /** {@code ip route replace}: adds, or replaces the route with the same key. */
    public static NlRequest replace(RouteSpec s) {
        return new NlRequest(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, body(s, false), "route replace " + s.describe());
    }

    /** {@code ip route append}: adds another route with the same key (IPv6 makes it a multipath route). */
    public static NlRequest append(RouteSpec s) {
        return new NlRequest(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_APPEND, body(s, false), "route append " + s.describe());
    }

    /** {@code ip route del}: fields left unset match any value. */
    public static NlRequest del(RouteSpec s) {
        return new NlRequest(RTM_DELROUTE, 0, body(s, true), "route del " + s.describe());
    }

    /** Deletes a route exactly as the kernel reported it (from a dump or event). */
    public static NlRequest del(Route r) {
        NlWriter w = new NlWriter(64);
        w.u8(r.family()).u8(r.dstLength()).u8(r.srcLength()).u8(r.tos()).u8(r.table() < 256 ? r.table() : RT_TABLE_UNSPEC)
                .u8(r.protocol()).u8(r.scope()).u8(r.type()).u32(0);
        r.dst().ifPresent(a -> w.attrIp(RTA_DST, a));
        r.src().ifPresent(a -> w.attrIp(RTA_SRC, a));
        r.gateway().ifPresent(a -> w.attrIp(RTA_GATEWAY, a));
        r.priority().ifPresent(p -> w.attrU32(RTA_PRIORITY, p));
        if (r.table() >= 256) w.attrU32(RTA_TABLE, r.table());
        r.oif().ifPresent(i -> w.attrU32(RTA_OIF, i));
        return new NlRequest(RTM_DELROUTE, 0, w.toByteArray(), "route del " + (r.isDefault() ? "default" : r.destination().toString())
                + " table " + RouteNames.table(r.table()));
    }

    /** {@code ip route get}: RTM_GETROUTE asking for the route the kernel would use. */
    public static NlRequest get(RouteLookup q) {
        int bits = q.to().getAddress().length * 8;
        NlWriter w = new NlWriter(64);
        // RTM_F_LOOKUP_TABLE: report the table the route came from, as iproute2 asks;
        // IPv6 (with strict checking) refuses any flag but RTM_F_FIB_MATCH
        int flags = q.family() == AddressFamily.INET ? RTM_F_LOOKUP_TABLE : 0;
        w.u8(q.family()).u8(bits).u8(q.from().isPresent() ? bits : 0).u8(0).u8(0).u8(0).u8(0).u8(0).u32(flags);
        w.attrIp(RTA_DST, q.to());
        q.from().ifPresent(a -> w.attrIp(RTA_SRC, a));
        q.mark().ifPresent(m -> w.attrU32(RTA_MARK, m));
        q.iif().ifPresent(i -> w.attrU32(RTA_IIF, i));
        q.oif().ifPresent(i -> w.attrU32(RTA_OIF, i));
        StringBuilder what = new StringBuilder("route get ").append(IpPrefix.text(q.to()));
        q.from().ifPresent(a -> what.append(" from ").append(IpPrefix.text(a)));
        q.iif().ifPresent(i -> what.append(" iif #").append(i));
        q.oif().ifPresent(i -> what.append(" oif #").append(i));
        return new NlRequest(RTM_GETROUTE, 0, w.toByteArray(), what.toString());
    }

    /** {@code ip route show}: the main table of {@code family}. */
    public static NlRequest dump(int family) { return dump(family, OptionalInt.of(RT_TABLE_MAIN)); }

    /** RTM_GETROUTE dump of {@code family} (UNSPEC = all), one table or (empty) every table. */
    public static NlRequest dump(int family, OptionalInt table) {
        return dump(family, table, false);
    }

    /**
     * The same dump; {@code cloned}: RTM_F_CLONED in rtm_flags asks for the cached routes instead (IPv6's
     * RTF_CACHE entries, IPv4's next-hop exceptions such as a learned PMTU), as {@code ip route show cache}.
     */
    public static NlRequest dump(int family, OptionalInt table, boolean cloned) {
        NlWriter w = new NlWriter(24);
        w.u8(family).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u32(cloned ? RTM_F_CLONED : 0);
        table.ifPresent(t -> w.attrU32(RTA_TABLE, t));
        return new NlRequest(RTM_GETROUTE, 0, w.toByteArray(),
                "route show table " + (table.isPresent() ? RouteNames.table(table.getAsInt()) : "all"));
    }

    /**
     * rtmsg + attributes in iproute2's order (DST, GATEWAY, PRIORITY, PREFSRC,
     * TABLE, OIF), with iproute2's defaults for what is unset.
     */
    private static byte[] body(RouteSpec s, boolean delete) {
        int family = s.effectiveFamily();
        if (s.device().isPresent() && s.index().isEmpty()) {
            throw new IllegalArgumentException("route " + s.describe() + ": device not resolved to an index (use Routes, which looks it up)");
        }
        int type = s.type().orElse(delete ? RTN_UNSPEC : RTN_UNICAST);
        int table = s.table().orElse(defaultTable(type));
        int proto = s.protocol().orElse(delete ? RTPROT_UNSPEC : RTPROT_BOOT);
        int scope = s.scope().isPresent() ? s.scope().getAsInt() : defaultScope(s, family, type, delete);
        int dlen = s.dst().map(IpPrefix::length).orElse(0);
        NlWriter w = new NlWriter(96);
        w.u8(family).u8(dlen).u8(0).u8(0).u8(table < 256 ? table : RT_TABLE_UNSPEC).u8(proto).u8(scope).u8(type)
                .u32(s.onlink() ? RTNH_F_ONLINK : 0);
        if (s.dst().isPresent()) {
            w.attrIp(RTA_DST, s.dst().get().address());
        } else if (family == AddressFamily.INET6) {
            // iproute2 sends ::/0 as an explicit all-zero RTA_DST, IPv4 default without one
            w.attr(RTA_DST, new byte[16]);
        }
        s.via().ifPresent(g -> w.attrIp(RTA_GATEWAY, g));
        s.metric().ifPresent(m -> w.attrU32(RTA_PRIORITY, m));
        s.src().ifPresent(a -> w.attrIp(RTA_PREFSRC, a));
        if (table >= 256) w.attrU32(RTA_TABLE, table);
        s.index().ifPresent(i -> w.attrU32(RTA_OIF, i));
        if (!s.nexthops().isEmpty()) {
            // RTA_MULTIPATH: rtnexthop {len, flags, hops = weight - 1, ifindex} + its attributes, each 4-aligned
            int mp = w.beginNest(RTA_MULTIPATH);
            for (RouteNextHop h : s.nexthops()) {
                int start = w.position();
                w.u16(0).u8(h.flags()).u8(h.weight() - 1).u32(h.index());
                h.gateway().ifPresent(g -> w.attrIp(RTA_GATEWAY, g));
                for (var a : h.attrs().list()) if (a.kind() != RTA_GATEWAY) w.attr(a.rawType(), a.bytes());
                w.endNest(start);   // patches rtnh_len, the same u16 at the start
            }
            w.endNest(mp);
        }
        if (s.mtu().isPresent()) {
            int m = w.beginNest(RTA_METRICS);
            w.attrU32(RTAX_MTU, s.mtu().getAsInt());
            w.endNest(m);
        }
        return w.toByteArray();
    }

    /** iproute2's table rule (iproute_modify): addresses of this host and its broadcasts live in table local. */
    private static int defaultTable(int type) {
        return type == RTN_LOCAL || type == RTN_BROADCAST || type == RTN_NAT || type == RTN_ANYCAST ? RT_TABLE_LOCAL : RT_TABLE_MAIN;
    }

    /** iproute2's scope rule (iproute_modify). */
    private static int defaultScope(RouteSpec s, int family, int type, boolean delete) {
        if (family == AddressFamily.INET6) return RT_SCOPE_UNIVERSE;
        if (type == RTN_LOCAL || type == RTN_NAT) return RT_SCOPE_HOST;
        if (type == RTN_BROADCAST || type == RTN_MULTICAST || type == RTN_ANYCAST) return RT_SCOPE_LINK;
        if (type == RTN_UNICAST || type == RTN_UNSPEC) {
            if (delete) return RT_SCOPE_NOWHERE;
            if (s.via().isEmpty() && s.nexthops().isEmpty()) return RT_SCOPE_LINK;
        }
        return RT_SCOPE_UNIVERSE;
    }
}
