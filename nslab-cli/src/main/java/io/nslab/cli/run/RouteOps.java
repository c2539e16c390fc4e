package io.nslab.cli.run;

import io.nslab.cli.CliException;
import io.nslab.cli.ip.Inet;
import io.nslab.cli.ip.IpCommand;
import io.nslab.cli.ip.IpCommand.*;
import io.nslab.cli.ip.RouteFilter;
import io.nslab.cli.out.Printer;
import io.nslab.cli.out.RouteView;
import io.nslab.netlink.NlRequest;
import io.nslab.netlink.wire.NlMessage;
import io.nslab.netlink.route.AddressFamily;
import io.nslab.netlink.route.Route;
import io.nslab.netlink.route.RouteLookup;
import io.nslab.netlink.route.RouteNames;
import io.nslab.netlink.route.RouteRequests;
import io.nslab.netlink.route.RouteSpec;
import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.netns.NetNsException;
import io.nslab.netlink.netns.Sysctl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static io.nslab.netlink.route.RtConst.*;

/** {@code route add/del/replace/change/show/get/flush}. */
final class RouteOps {
    private RouteOps() {}

    static Planned plan(RouteChange c, NsSession s) throws CliException {
        RouteSpec r = spec(c.spec(), s, c.text());
        return Planned.of(c.text(), switch (c.op()) {
            case ADD -> RouteRequests.add(r);
            case DEL -> RouteRequests.del(r);
            case REPLACE, CHANGE -> RouteRequests.replace(r);
        });
    }

    static RouteSpec spec(IpCommand.RouteSpec c, NsSession s, String text) throws CliException {
        RouteSpec r = c.dst().isPresent()
                ? RouteSpec.to(c.dst().get())
                : RouteSpec.defaultRoute(c.family());
        if (c.via().isPresent()) r = r.via(c.via().get());
        if (c.dev().isPresent()) r = r.dev(Kernel.index(s, c.dev().get(), text)).dev(c.dev().get());
        if (c.src().isPresent()) r = r.src(c.src().get());
        if (c.metric().isPresent()) r = r.metric(c.metric().getAsInt());
        if (c.table().isPresent()) r = r.table(table(c.table().get(), text));
        if (c.proto().isPresent()) r = r.proto(RouteNames.parseProtocol(c.proto().get()).orElseThrow(() -> CliException.usage(text + ": invalid proto")));
        if (c.scope().isPresent()) r = r.scope(RouteNames.parseScope(c.scope().get()).orElseThrow(() -> CliException.usage(text + ": invalid scope")));
        if (c.type().isPresent()) r = r.type(RouteNames.parseType(c.type().get()).orElseThrow(() -> CliException.usage(text + ": invalid type")));
        if (c.onlink()) r = r.withOnlink();
        return r;
    }

    static int table(String t, String text) throws CliException {
        return RouteNames.parseTable(t).orElseThrow(() -> CliException.usage(text + ": invalid table \"" + t + "\""));
    }

    /**
     * The family listed, as ip decides it: -4/-6 if given, else IPv4 when a table is selected (table main
     * by default), every family for "table all".
     */
    private static int family(OptionalInt given, OptionalInt global, RouteFilter f) {
        return given.orElse(global.orElse(f.table().isPresent() || f.cache() ? AddressFamily.INET : AddressFamily.UNSPEC));
    }

    /**
     * {@code show}: as ip's save_route_errhndlr, a main table that does not exist yet (a namespace without
     * routes) lists nothing instead of failing; flush keeps the kernel's error, as ip's flush does.
     */
    private static List<Route> selected(RouteFilter f, int family, NsSession s, String text, boolean show) throws CliException {
        OptionalInt dev = f.dev().isPresent() ? OptionalInt.of(Kernel.index(s, f.dev().get(), text)) : OptionalInt.empty();
        OptionalInt iif = f.iif().isPresent() ? OptionalInt.of(Kernel.index(s, f.iif().get(), text)) : OptionalInt.empty();
        List<Route> out = new ArrayList<>();
        try {
            // The kernel selects the table itself and, as for ip, says so when it does not exist
            // ("FIB table does not exist", exit 2); the other selectors are applied here, as ip applies them.
            for (NlMessage m : s.socket().dump(RouteRequests.dump(family, f.table(), f.cache()))) {
                if (m.type() != RTM_NEWROUTE) continue;
                Route r = Route.decode(m);
                if (r.family() != AddressFamily.INET && r.family() != AddressFamily.INET6) continue; // multicast routing tables
                if (RouteSelection.selects(f, r, dev, iif)) out.add(r);
            }
        } catch (ErrnoException e) {
            if (show && e.is(Errno.ENOENT) && f.table().equals(OptionalInt.of(RT_TABLE_MAIN))) return List.of();
            throw Kernel.error(text, e);
        }
        return out;
    }

    /** The selectors read as ip reads them, in the family given by -4/-6 if any. */
    private static RouteFilter filter(RouteFilter f, OptionalInt given, OptionalInt global) {
        OptionalInt fam = given.isPresent() ? given : global;
        return fam.isPresent() ? f.inFamily(fam.getAsInt()) : f;
    }

    static void show(RouteShow c, NsSession s, OptionalInt globalFamily, Printer p, boolean details) throws CliException {
        RouteFilter f = filter(c.filter(), c.family(), globalFamily);
        int family = family(c.family(), globalFamily, f);
        Map<Integer, String> names = Kernel.names(s, c.text());
        List<RouteView> out = new ArrayList<>();
        for (Route r : selected(f, family, s, c.text(), true)) {
            out.add(RouteSelection.hide(f, view(r, names, f.table().isEmpty(), false, details), r.family()));
        }
        p.routes(out);
    }

    static void get(RouteGet c, NsSession s, Printer p, boolean details) throws CliException {
        RouteLookup q = RouteLookup.to(c.dst());
        if (c.from().isPresent()) q = q.from(c.from().get());
        if (c.iif().isPresent()) q = q.iif(Kernel.index(s, c.iif().get(), c.text()));
        if (c.oif().isPresent()) q = q.oif(Kernel.index(s, c.oif().get(), c.text()));
        try {
            Route r = s.rtnl().routes().get(q);
            p.routeGet(view(r, Kernel.names(s, c.text()), false, true, details));
        } catch (ErrnoException e) {
            throw Kernel.error(c.text(), e);
        }
    }

    /**
     * {@code route flush SELECTORS}: deletes what show would list. {@code flush cache} for IPv4 empties
     * the namespace's routing cache through /proc/sys/net/ipv4/route/flush, as ip does.
     */
    static void flush(RouteFlush c, NsSession s, OptionalInt globalFamily) throws CliException {
        RouteFilter f = filter(c.filter(), c.family(), globalFamily);
        int family = family(c.family(), globalFamily, f);
        if (f.cache()) {
            if (family != AddressFamily.INET) throw CliException.usage(c.text() + ": flushing IPv6's cloned routes is not supported by nslab");
            try {
                if (s.netns().isPresent()) s.netns().get().run(() -> Sysctl.write("net.ipv4.route.flush", "-1"));
                else Sysctl.write("net.ipv4.route.flush", "-1");
            } catch (NetNsException e) {
                throw CliException.failed(c.text() + ": " + e.getMessage());
            }
            return;
        }
        List<NlRequest> reqs = new ArrayList<>();
        for (Route r : selected(f, family, s, c.text(), false)) {
            // as ip: IPv6's catch-all unreachable route (metric 0xffffffff) is never flushed
            if (r.family() == AddressFamily.INET6 && r.dstLength() == 0 && r.type() == RTN_UNREACHABLE
                    && r.priority().orElse(0) == -1) continue;
            reqs.add(RouteRequests.del(r));
        }
        Kernel.executeAll(s, reqs, c.text());
    }

    /** A route as ip prints it; {@code get}: the looked-up address without prefix length, table/metric as ip shows them there. */
    static RouteView view(Route r, Map<Integer, String> names, boolean showTable, boolean get) {
        return view(r, names, showTable, get, false);
    }

    /** {@code details} (-d): the type always, and for route get the table, as ip -d prints them. */
    static RouteView view(Route r, Map<Integer, String> names, boolean showTable, boolean get, boolean details) {
        Optional<String> type = r.type() == RTN_UNICAST && !details ? Optional.empty() : Optional.of(RouteNames.type(r.type()));
        int max = r.family() == AddressFamily.INET ? 32 : 128;
        String dst = get || r.dstLength() == max ? Inet.format(r.destination().address())
                : r.isDefault() ? "default" : Inet.format(r.destination().address()) + "/" + r.dstLength();
        // as ip: an answer the kernel cloned (IPv4's route get) has no protocol or scope worth showing
        boolean cloned = (r.flags() & RTM_F_CLONED) != 0;
        Optional<String> proto = cloned || (r.protocol() == RTPROT_BOOT && !details) ? Optional.empty() : Optional.of(RouteNames.protocol(r.protocol()));
        Optional<String> scope = cloned || (r.scope() == RT_SCOPE_UNIVERSE && !details) ? Optional.empty() : Optional.of(RouteNames.scope(r.scope()));
        Optional<String> table = ((showTable || get) && r.table() != RT_TABLE_MAIN) || (get && details) ? Optional.of(RouteNames.table(r.table())) : Optional.empty();
        Optional<String> from = r.src().map(a -> r.srcLength() == 0 || r.srcLength() == max ? Inet.format(a) : Inet.format(a) + "/" + r.srcLength());
        OptionalInt uidAttr = r.attrs().u32(RTA_UID);
        OptionalLong uid = uidAttr.isPresent() ? OptionalLong.of(Integer.toUnsignedLong(uidAttr.getAsInt())) : OptionalLong.empty();
        Optional<List<String>> cache = cloned && r.family() == AddressFamily.INET ? Optional.of(cacheFlags(r.flags())) : Optional.empty();
        OptionalLong metric = r.priority().isPresent() ? OptionalLong.of(Integer.toUnsignedLong(r.priority().getAsInt())) : OptionalLong.empty();
        List<String> flags = new ArrayList<>();
        if ((r.flags() & RTNH_F_DEAD) != 0) flags.add("dead");
        if ((r.flags() & RTNH_F_ONLINK) != 0) flags.add("onlink");
        if ((r.flags() & RTNH_F_LINKDOWN) != 0) flags.add("linkdown");
        Optional<String> pref = Optional.empty();
        if (r.family() == AddressFamily.INET6) {
            OptionalInt pv = r.attrs().u8(RTA_PREF);
            if (pv.isPresent()) pref = Optional.of(switch (pv.getAsInt()) { case 1 -> "high"; case 3 -> "low"; default -> "medium"; });
        }
        return new RouteView(type, dst, from, r.gateway().map(Inet::format),
                r.oif().isPresent() ? Optional.of(Kernel.name(names, r.oif().getAsInt())) : Optional.empty(),
                proto, scope, r.prefsrc().map(Inet::format), metric, table, flags, uid, cache, r.mtu(), pref);
    }

    /** The RTCF_* bits of a cloned IPv4 route (linux/in_route.h) by ip's names, in ip's order. */
    private static final int[] RTCF = {0x80000000, 0x40000000, 0x20000000, 0x10000000, 0x08000000, 0x00800000,
            0x00400000, 0x00020000, 0x04000000, 0x00040000, 0x01000000, 0x00200000, 0x00010000, 0x00080000};
    private static final String[] RTCF_NAMES = {"local", "reject", "mc", "brd", "dst-nat", "src-nat",
            "masq", "dst-direct", "src-direct", "redirected", "redirect", "fastroute", "notify", "proxy"};

    static List<String> cacheFlags(int rtmFlags) {
        int f = rtmFlags & ~0xffff;
        List<String> out = new ArrayList<>();
        for (int i = 0; i < RTCF.length; i++) {
            if ((f & RTCF[i]) != 0) {
                out.add(RTCF_NAMES[i]);
                f &= ~RTCF[i];
            }
        }
        if (f != 0) out.add(Integer.toHexString(f));
        return out;
    }
}
