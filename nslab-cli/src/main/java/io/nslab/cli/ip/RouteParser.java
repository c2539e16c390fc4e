package io.nslab.cli.ip;

import io.nslab.cli.CliException;
import io.nslab.cli.ip.IpCommand.Op;
import io.nslab.cli.ip.IpCommand.RouteChange;
import io.nslab.cli.ip.IpCommand.RouteFlush;
import io.nslab.cli.ip.IpCommand.RouteGet;
import io.nslab.cli.ip.IpCommand.RouteShow;
import io.nslab.cli.ip.IpCommand.RouteSpec;
import io.nslab.cli.ip.RouteFilter.Sel;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.RouteNames;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static io.nslab.netlink.route.RtConst.RT_TABLE_MAIN;

/** {@code route add|change|replace|delete|show|get|flush}. */
final class RouteParser {
    private RouteParser() {}

    private static final List<String> TYPES = List.of("unicast", "local", "broadcast", "anycast", "multicast", "throw", "unreachable", "prohibit", "blackhole", "nat");

    static IpCommand parse(Args a) throws CliException {
        if (!a.hasNext()) return show(a, OptionalInt.empty());
        String v = a.next();
        if (Args.matches(v, "add")) return change(a, Op.ADD);
        if (Args.matches(v, "change") || v.equals("chg")) return change(a, Op.CHANGE);
        if (Args.matches(v, "replace")) return change(a, Op.REPLACE);
        if (Args.matches(v, "delete")) return change(a, Op.DEL);
        if (Args.matches(v, "list") || Args.matches(v, "show") || Args.matches(v, "lst")) return show(a, OptionalInt.empty());
        if (Args.matches(v, "get")) return get(a);
        if (Args.matches(v, "flush")) {
            if (!a.hasNext()) throw a.rejected("\"ip route flush\" requires arguments");
            RouteShow s = show(a, OptionalInt.empty());
            return new RouteFlush(a.text(), s.family(), s.filter());
        }
        throw a.error("unknown command \"" + v + "\" (add, delete, replace, change, show, get, flush)");
    }

    /**
     * ip's {@code route show|flush} selectors, word for word as iproute.c reads them (keywords may be
     * abbreviated where ip allows it); the ones nslab cannot apply (tos, mark, realms, vrf) are refused.
     */
    private static RouteShow show(Args a, OptionalInt family) throws CliException {
        OptionalInt table = OptionalInt.of(RT_TABLE_MAIN), protocol = OptionalInt.empty(), scope = OptionalInt.empty(), type = OptionalInt.empty();
        boolean cache = false;
        Optional<String> dev = Optional.empty(), iif = Optional.empty();
        Optional<Sel> root = Optional.empty(), match = Optional.empty(), fromRoot = Optional.empty(), fromMatch = Optional.empty(),
                via = Optional.empty(), src = Optional.empty();
        OptionalLong metric = OptionalLong.empty();
        while (a.hasNext()) {
            String w = a.next();
            if (Args.matches(w, "table")) {
                String t = a.value(w);
                if (t.equals("all")) table = OptionalInt.empty();
                else if (t.equals("cache")) cache = true;
                else table = OptionalInt.of(RouteNames.parseTable(a.table(t)).orElseThrow(() -> a.error("invalid table \"" + t + "\"")));
            } else if (Args.matches(w, "vrf") || Args.matches(w, "dsfield") || w.equals("tos") || w.equals("mark")
                    || Args.matches(w, "realms")) {
                throw a.unsupported(w);
            } else if (Args.matches(w, "cached") || Args.matches(w, "cloned")) {
                cache = true;
            } else if (Args.matches(w, "protocol")) {
                String v = a.value(w);
                protocol = v.equals("all") ? OptionalInt.empty() : OptionalInt.of(RouteNames.parseProtocol(a.proto(v)).orElseThrow());
            } else if (Args.matches(w, "scope")) {
                String v = a.value(w);
                scope = v.equals("all") ? OptionalInt.empty() : OptionalInt.of(RouteNames.parseScope(a.scope(v)).orElseThrow());
            } else if (Args.matches(w, "type")) {
                String v = a.value(w);
                type = OptionalInt.of(RouteNames.parseType(v).stream().boxed().findFirst().orElseThrow(() -> a.error("invalid type \"" + v + "\"")));
            } else if (w.equals("dev") || w.equals("oif")) {
                dev = Optional.of(Names.ifname(a, a.value(w)));
            } else if (w.equals("iif")) {
                iif = Optional.of(Names.ifname(a, a.value(w)));
            } else if (Args.matches(w, "metric") || Args.matches(w, "priority") || w.equals("preference")) {
                metric = OptionalLong.of(Integer.toUnsignedLong(a.intValue(w, 0, 0xffffffffL)));
            } else if (w.equals("via")) {
                String g = a.value(w);
                if (g.equals("inet") || g.equals("inet6")) g = a.value(g);
                via = Optional.of(sel(a, g));
            } else if (w.equals("src")) {
                src = Optional.of(sel(a, a.value(w)));
            } else if (Args.matches(w, "from")) {
                String v = a.value(w);
                if (Args.matches(v, "root")) fromRoot = Optional.of(sel(a, a.value(v)));
                else if (Args.matches(v, "match")) fromMatch = Optional.of(sel(a, a.value(v)));
                else {
                    if (Args.matches(v, "exact")) v = a.value(v);
                    fromMatch = Optional.of(sel(a, v));
                    fromRoot = fromMatch;
                }
            } else if (w.equals("-4") || w.equals("-6")) {
                family = OptionalInt.of(w.equals("-4") ? 2 : 10);
            } else {
                String v = w;
                if (Args.matches(v, "to")) v = a.value(v);
                if (Args.matches(v, "root")) root = Optional.of(sel(a, a.value(v)));
                else if (Args.matches(v, "match")) match = Optional.of(sel(a, a.value(v)));
                else {
                    if (Args.matches(v, "exact")) v = a.value(v);
                    match = Optional.of(sel(a, v));
                    root = match;
                }
            }
        }
        return new RouteShow(a.text(), family, new RouteFilter(table, cache, dev, iif, root, match, fromRoot, fromMatch,
                via, src, protocol, scope, type, metric));
    }

    /** An address selector as ip's get_prefix reads it: "default" (length 0, given), "all"/"any" (nothing), ADDR[/LEN]. */
    private static Sel sel(Args a, String s) throws CliException {
        if (s.equals("default")) return new Sel(0, new byte[0], 0, true);
        if (s.equals("all") || s.equals("any")) return new Sel(0, new byte[0], 0, false);
        IpPrefix p = a.prefix(s);
        return new Sel(p.family(), p.address().getAddress(), p.length(), s.indexOf('/') >= 0);
    }

    private static IpCommand get(Args a) throws CliException {
        InetAddress dst = null;
        Optional<InetAddress> from = Optional.empty();
        Optional<String> iif = Optional.empty(), oif = Optional.empty();
        while (a.hasNext()) {
            String w = a.next();
            switch (w) {
                case "from" -> from = Optional.of(a.prefix(a.value(w)).address());
                case "iif" -> iif = Optional.of(Names.ifname(a, a.value(w)));
                case "oif", "dev" -> oif = Optional.of(Names.ifname(a, a.value(w)));
                case "to" -> dst = a.prefix(a.value(w)).address();
                default -> {
                    if (dst != null) throw a.unknown(w);
                    dst = a.prefix(w).address();
                }
            }
        }
        if (dst == null) throw a.rejected("missing destination address (\"route get ADDR\")");
        return new RouteGet(a.text(), dst, from, iif, oif);
    }

    private static IpCommand change(Args a, Op op) throws CliException {
        Optional<String> type = Optional.empty(), dev = Optional.empty(), scope = Optional.empty(), table = Optional.empty(), proto = Optional.empty();
        Optional<IpPrefix> dst = Optional.empty();
        boolean haveDst = false, onlink = false;
        int family = 0;
        Optional<InetAddress> via = Optional.empty(), src = Optional.empty();
        OptionalInt metric = OptionalInt.empty(), mtu = OptionalInt.empty();
        while (a.hasNext()) {
            String w = a.next();
            switch (w) {
                case "via" -> {
                    String g = a.value(w);
                    if (g.equals("inet") || g.equals("inet6")) g = a.value(g);
                    via = Optional.of(a.addr("via", g));
                }
                case "gw" -> via = Optional.of(a.addr("gw", a.value(w)));
                case "dev", "oif" -> dev = Optional.of(Names.ifname(a, a.value(w)));
                case "src" -> src = Optional.of(a.addr("src", a.value(w)));
                case "metric", "preference", "priority" -> metric = a.optInt(w, 0, 0xffffffffL);
                case "scope" -> scope = Optional.of(a.scope(a.value(w)));
                case "table" -> table = Optional.of(a.table(a.value(w)));
                case "proto", "protocol" -> proto = Optional.of(a.proto(a.value(w)));
                case "onlink" -> onlink = true;
                case "mtu" -> mtu = a.optInt(w, 68, Integer.MAX_VALUE);
                case "to" -> {
                    String d = a.value(w);
                    if (TYPES.contains(d)) {
                        type = Optional.of(d);
                        d = a.value(d);
                    }
                    dst = dst(a, d);
                    haveDst = true;
                }
                case "-4", "inet" -> family = 2;
                case "-6", "inet6" -> family = 10;
                default -> {
                    if (!haveDst && TYPES.contains(w) && type.isEmpty()) {
                        type = Optional.of(w);
                        continue;
                    }
                    if (haveDst) throw a.unknown(w);
                    dst = dst(a, w);
                    haveDst = true;
                }
            }
        }
        if (!haveDst) throw a.error("missing destination (\"route " + op.name().toLowerCase() + " PREFIX|default ...\")");
        int f = dst.map(IpPrefix::family).orElse(via.map(Inet::familyOf).orElse(family == 0 ? 2 : family));
        if (family != 0 && family != f) throw a.rejected("destination family does not match -4/-6");
        if (via.isPresent() && Inet.familyOf(via.get()) != f) throw a.rejected("gateway " + Inet.format(via.get()) + " is not of the destination's family");
        if (src.isPresent() && Inet.familyOf(src.get()) != f) throw a.rejected("src " + Inet.format(src.get()) + " is not of the destination's family");
        if (dst.isPresent()) {
            IpPrefix p = dst.get();
            if (!p.network().equals(p)) {
                throw a.refusedByKernel("invalid prefix for mask: " + Inet.format(p.address()) + "/" + p.length()
                        + " has host bits set (did you mean " + Inet.format(p.network().address()) + "/" + p.length() + "?)");
            }
        }
        boolean plain = type.isEmpty() || type.get().equals("unicast");
        if (op != Op.DEL && plain && via.isEmpty() && dev.isEmpty()) throw a.refusedByKernel("needs \"via GATEWAY\" or \"dev NAME\"");
        return new RouteChange(a.text(), op, new RouteSpec(type, dst, f, via, dev, src, metric, scope, table, proto, onlink, mtu));
    }

    /** A destination: empty for "default"/"all"/"any". */
    private static Optional<IpPrefix> dst(Args a, String d) throws CliException {
        if (d.equals("default") || d.equals("all") || d.equals("any")) return Optional.empty();
        return Optional.of(a.prefix(d));
    }
}
