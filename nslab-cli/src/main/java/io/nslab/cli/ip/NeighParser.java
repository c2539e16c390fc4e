package io.nslab.cli.ip;

import io.nslab.cli.CliException;
import io.nslab.cli.ip.IpCommand.NeighChange;
import io.nslab.cli.ip.IpCommand.NeighFlush;
import io.nslab.cli.ip.IpCommand.NeighGet;
import io.nslab.cli.ip.IpCommand.NeighShow;
import io.nslab.cli.ip.IpCommand.Op;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/** {@code neigh add|change|replace|delete|show|flush}. */
final class NeighParser {
    private NeighParser() {}

    private static final List<String> NUD = List.of("permanent", "noarp", "reachable", "stale", "none", "incomplete", "delay", "probe", "failed");

    // As ip: show hides NOARP entries (multicast and the like), flush also spares
    // PERMANENT ones; "nud STATE" (repeatable) replaces that with the states named.
    private static final int NUD_NOARP = 0x40, NUD_PERMANENT = 0x80, NO_STATE = 0x100;
    private static final int SHOWN_BY_DEFAULT = 0xff & ~NUD_NOARP;
    private static final int FLUSHED_BY_DEFAULT = ~(NUD_PERMANENT | NUD_NOARP);

    /** {@code neigh get [to] ADDR dev DEV} or {@code neigh get proxy ADDR dev DEV}: both are required, as in ip. */
    private static IpCommand get(Args a) throws CliException {
        InetAddress addr = null;
        String dev = null;
        boolean proxy = false;
        while (a.hasNext()) {
            String w = a.next();
            if (w.equals("dev")) {
                dev = Names.ifname(a, a.value(w));
                continue;
            }
            boolean p = Args.matches(w, "proxy");
            String v = p || w.equals("to") ? a.value(w) : w;
            if (addr != null) throw a.error("duplicate address \"" + v + "\"");
            addr = a.addr("neighbour", v);
            proxy |= p;
        }
        if (addr == null || dev == null) throw a.rejected("Device and address are required arguments.");
        return new NeighGet(a.text(), addr, dev, proxy);
    }

    static IpCommand parse(Args a) throws CliException {
        if (!a.hasNext()) return new NeighShow(a.text(), OptionalInt.empty(), Optional.empty(), SHOWN_BY_DEFAULT);
        String v = a.next();
        if (Args.matches(v, "add")) return change(a, Op.ADD);
        if (Args.matches(v, "change") || v.equals("chg")) return change(a, Op.CHANGE);
        if (Args.matches(v, "replace")) return change(a, Op.REPLACE);
        if (Args.matches(v, "delete")) return change(a, Op.DEL);
        if (Args.matches(v, "get")) return get(a);
        boolean flush = Args.matches(v, "flush");
        if (flush || Args.matches(v, "show") || Args.matches(v, "list") || Args.matches(v, "lst")) {
            Optional<String> dev = Optional.empty();
            OptionalInt family = OptionalInt.empty();
            int states = flush ? FLUSHED_BY_DEFAULT : SHOWN_BY_DEFAULT;
            boolean nudGiven = false;
            while (a.hasNext()) {
                String w = a.next();
                switch (w) {
                    case "dev" -> dev = Optional.of(Names.ifname(a, a.value(w)));
                    case "-4", "inet" -> family = OptionalInt.of(2);
                    case "-6", "inet6" -> family = OptionalInt.of(10);
                    case "nud" -> {
                        if (!nudGiven) states = 0;
                        nudGiven = true;
                        states |= nudFilter(a, a.value(w), flush);
                    }
                    default -> {
                        if (dev.isPresent()) throw a.unknown(w);
                        dev = Optional.of(Names.ifname(a, w));
                    }
                }
            }
            if (flush) {
                if (dev.isEmpty()) throw a.rejected("flush requires arguments (\"neigh flush dev NAME\")");
                return new NeighFlush(a.text(), family, dev, states);
            }
            return new NeighShow(a.text(), family, dev, states);
        }
        throw a.error("unknown command \"" + v + "\" (add, delete, replace, change, show, flush)");
    }

    private static int nudFilter(Args a, String v, boolean flush) throws CliException {
        if (v.equals("all")) return flush ? ~NUD_NOARP : ~0;
        return switch (v.toLowerCase(Locale.ROOT)) { // NUD_* of linux/neighbour.h
            case "incomplete" -> 0x01;
            case "reachable" -> 0x02;
            case "stale" -> 0x04;
            case "delay" -> 0x08;
            case "probe" -> 0x10;
            case "failed" -> 0x20;
            case "noarp" -> NUD_NOARP;
            case "permanent" -> NUD_PERMANENT;
            case "none" -> NO_STATE;
            default -> throw a.error("invalid nud state \"" + v + "\" (" + String.join(", ", NUD) + ", all)");
        };
    }

    private static IpCommand change(Args a, Op op) throws CliException {
        InetAddress addr = null;
        String dev = null;
        Optional<String> lladdr = Optional.empty(), nud = Optional.empty();
        boolean router = false, proxy = false;
        while (a.hasNext()) {
            String w = a.next();
            switch (w) {
                case "lladdr" -> lladdr = Optional.of(a.mac(a.value(w)));
                case "dev" -> dev = a.dev(dev, a.value(w));
                case "nud" -> {
                    String n = a.value(w);
                    if (!NUD.contains(n)) throw a.error("invalid nud state \"" + n + "\" (" + String.join(", ", NUD) + ")");
                    nud = Optional.of(n);
                }
                case "router" -> router = true;
                case "proxy" -> proxy = true;
                case "to" -> addr = a.addr("to", a.value(w));
                default -> {
                    if (addr != null) throw a.unknown(w);
                    addr = a.addr("address", w);
                }
            }
        }
        if (addr == null) throw a.error("missing neighbour address");
        if (dev == null) throw a.error("missing device (\"dev NAME\")");
        return new NeighChange(a.text(), op, addr, lladdr, dev, nud, router, proxy);
    }
}
