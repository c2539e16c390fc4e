package io.nslab.netlink;

import io.nslab.netlink.route.AddressFamily;
import io.nslab.netlink.route.Route;
import io.nslab.netlink.route.RouteLookup;
import io.nslab.netlink.route.RouteRequests;
import io.nslab.netlink.route.RouteSpec;
import io.nslab.netlink.route.RtConst;
import io.nslab.netlink.wire.NlMessage;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Predicate;

/**
 * Routes over one rtnetlink socket: {@code ip route add/replace/append/del/show/get}.
 * Errors read like {@code route add 10.0.2.0/24 via 10.0.1.2 failed: EEXIST
 * (File exists)}, with the kernel's extended-ACK text when it gives one.
 */
public final class Routes {
    private final NlSocket socket;

    public Routes(NlSocket socket) { this.socket = socket; }

    public void add(RouteSpec spec) throws ErrnoException { socket.execute(RouteRequests.add(resolved(spec, "route add"))); }
    public void replace(RouteSpec spec) throws ErrnoException { socket.execute(RouteRequests.replace(resolved(spec, "route replace"))); }
    public void append(RouteSpec spec) throws ErrnoException { socket.execute(RouteRequests.append(resolved(spec, "route append"))); }
    public void del(RouteSpec spec) throws ErrnoException { socket.execute(RouteRequests.del(resolved(spec, "route del"))); }
    public void del(Route route) throws ErrnoException { socket.execute(RouteRequests.del(route)); }

    /** The route the kernel would use to reach {@code to}, like {@code ip route get}. */
    public Route get(InetAddress to) throws ErrnoException { return get(RouteLookup.to(to)); }

    public Route get(RouteLookup q) throws ErrnoException {
        var req = RouteRequests.get(q);
        for (NlMessage m : socket.query(req)) {
            if (m.type() == RtConst.RTM_NEWROUTE) return Route.decode(m);
        }
        throw new ErrnoException(req.what() + " (the kernel answered without a route)", Errno.ENETUNREACH);
    }

    /** The main table of {@code family} ({@link AddressFamily#INET}, {@link AddressFamily#INET6}), like {@code ip route show}. */
    public List<Route> dump(int family) throws ErrnoException { return dump(family, OptionalInt.of(RtConst.RT_TABLE_MAIN)); }

    /** Routes of one table, or every table when {@code table} is empty ({@code ip route show table all}). */
    public List<Route> dump(int family, OptionalInt table) throws ErrnoException {
        List<Route> out = new ArrayList<>();
        List<NlMessage> replies;
        try {
            replies = socket.dump(RouteRequests.dump(family, table));
        } catch (ErrnoException e) {
            // Under strict checking a dump filtered on a table the namespace has
            // not made yet (a fresh one, lo down) fails ENOENT; ip shows nothing.
            if (e.is(Errno.ENOENT) && table.isPresent()) return out;
            throw e;
        }
        for (NlMessage m : replies) {
            if (m.type() != RtConst.RTM_NEWROUTE) continue;
            Route r = Route.decode(m);
            // family UNSPEC also brings multicast (RTNL_FAMILY_IPMR) tables; keep IP routes only
            if (family == AddressFamily.UNSPEC ? r.family() != AddressFamily.INET && r.family() != AddressFamily.INET6
                    : r.family() != family) continue;
            if (table.isPresent() && r.table() != table.getAsInt()) continue;
            out.add(r);
        }
        return out;
    }

    /**
     * {@code ip route flush}: deletes, pipelined, the routes of {@code family}
     * in {@code table} (empty = every table) that {@code which} selects.
     * A route already gone is not an error. Returns how many were deleted.
     */
    public int flush(int family, OptionalInt table, Predicate<Route> which) throws ErrnoException {
        List<NlRequest> reqs = new ArrayList<>();
        for (Route r : dump(family, table)) if (which.test(r)) reqs.add(RouteRequests.del(r));
        return Deletions.run(socket, reqs, Errno.ESRCH);
    }

    private RouteSpec resolved(RouteSpec s, String verb) throws ErrnoException {
        if (s.index().isPresent() || s.device().isEmpty()) return s;
        return s.dev(Addresses.index(socket, s.device().get(), verb + " " + s.describe()));
    }
}
