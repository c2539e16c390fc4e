package io.nslab.cli.ip;

import io.nslab.cli.CliException;
import io.nslab.cli.ip.IpCommand.Op;
import io.nslab.cli.ip.IpCommand.RouteChange;
import io.nslab.cli.ip.IpCommand.RouteFlush;
import io.nslab.cli.ip.IpCommand.RouteGet;
import io.nslab.cli.ip.IpCommand.RouteShow;
import io.nslab.cli.ip.IpCommand.RouteSpec;
import io.nslab.netlink.route.IpPrefix;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** {@code route add|change|replace|delete|show|get|flush}. */
final class RouteParser {
    private RouteParser() {}

    private static final List<String> TYPES = List.of("unicast", "local", "broadcast", "multicast", "throw", "unreachable", "prohibit", "blackhole", "nat");

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
            RouteShow s = show(a, OptionalInt.empty());
            return new RouteFlush(a.text(), s.family(), s.table(), s.dev());
        }
        throw a.error("unknown command \"" + v + "\" (add, delete, replace, change, show, get, flush)");
    }

    private static RouteShow show(Args a, OptionalInt family) throws CliException {
        Optional<String> table = Optional.empty(), dev = Optional.empty();
        Optional<IpPrefix> root = Optional.empty();
        while (a.hasNext()) {
            String w = a.next();
            switch (w) {
                case "table" -> table = Optional.of(a.table(a.value(w)));
                case "dev", "oif" -> dev = Optional.of(Names.ifname(a, a.value(w)));
                case "-4", "inet" -> family = OptionalInt.of(2);
                case "-6", "inet6" -> family = OptionalInt.of(10);
                case "root", "match", "exact" -> root = Optional.of(a.prefix(a.value(w)));
                default -> {
                    if (w.equals("all") || w.equals("default")) continue;
                    root = Optional.of(a.prefix(w));
                }
            }
        }
        return new RouteShow(a.text(), family, table, dev, root);
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
        if (dst == null) throw a.error("missing destination address (\"route get ADDR\")");
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
        if (family != 0 && family != f) throw a.error("destination family does not match -4/-6");
        if (via.isPresent() && Inet.familyOf(via.get()) != f) throw a.error("gateway " + Inet.format(via.get()) + " is not of the destination's family");
        if (src.isPresent() && Inet.familyOf(src.get()) != f) throw a.error("src " + Inet.format(src.get()) + " is not of the destination's family");
        if (dst.isPresent()) {
            IpPrefix p = dst.get();
            if (!p.network().equals(p)) {
                throw a.error("invalid prefix for mask: " + Inet.format(p.address()) + "/" + p.length()
                        + " has host bits set (did you mean " + Inet.format(p.network().address()) + "/" + p.length() + "?)");
            }
        }
        boolean plain = type.isEmpty() || type.get().equals("unicast");
        if (op != Op.DEL && plain && via.isEmpty() && dev.isEmpty()) throw a.error("needs \"via GATEWAY\" or \"dev NAME\"");
        return new RouteChange(a.text(), op, new RouteSpec(type, dst, f, via, dev, src, metric, scope, table, proto, onlink, mtu));
    }

    /** A destination: empty for "default"/"all"/"any". */
    private static Optional<IpPrefix> dst(Args a, String d) throws CliException {
        if (d.equals("default") || d.equals("all") || d.equals("any")) return Optional.empty();
        return Optional.of(a.prefix(d));
    }
}
