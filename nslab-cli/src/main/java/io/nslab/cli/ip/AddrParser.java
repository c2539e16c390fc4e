package io.nslab.cli.ip;

import io.nslab.cli.CliException;
import io.nslab.cli.ip.IpCommand.AddrChange;
import io.nslab.cli.ip.IpCommand.AddrFlush;
import io.nslab.cli.ip.IpCommand.AddrShow;
import io.nslab.cli.ip.IpCommand.Op;
import io.nslab.netlink.route.IpPrefix;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;

/** {@code addr add|change|replace|delete|show|flush}. */
final class AddrParser {
    private AddrParser() {}

    static IpCommand parse(Args a) throws CliException {
        if (!a.hasNext()) return new AddrShow(a.text(), Optional.empty(), false, OptionalInt.empty(), Optional.empty());
        String v = a.next();
        if (Args.matches(v, "add")) return change(a, Op.ADD);
        if (Args.matches(v, "change") || v.equals("chg")) return change(a, Op.CHANGE);
        if (Args.matches(v, "replace")) return change(a, Op.REPLACE);
        if (Args.matches(v, "delete")) return change(a, Op.DEL);
        if (Args.matches(v, "list") || Args.matches(v, "show") || Args.matches(v, "lst")) return show(a);
        if (Args.matches(v, "flush")) {
            AddrShow s = show(a);
            if (s.dev().isEmpty()) throw a.error("flush requires arguments (\"addr flush dev NAME\")");
            return new AddrFlush(a.text(), s.dev(), s.family(), s.scope());
        }
        throw a.error("unknown command \"" + v + "\" (add, delete, replace, show, flush)");
    }

    private static AddrShow show(Args a) throws CliException {
        String dev = null;
        boolean up = false;
        OptionalInt family = OptionalInt.empty();
        Optional<String> scope = Optional.empty();
        while (a.hasNext()) {
            String w = a.next();
            switch (w) {
                case "dev" -> dev = a.dev(dev, a.value(w));
                case "up" -> up = true;
                case "scope" -> scope = Optional.of(a.scope(a.value(w)));
                case "-4", "inet" -> family = OptionalInt.of(2);
                case "-6", "inet6" -> family = OptionalInt.of(10);
                default -> dev = a.dev(dev, w);
            }
        }
        return new AddrShow(a.text(), Optional.ofNullable(dev), up, family, scope);
    }

    private static IpCommand change(Args a, Op op) throws CliException {
        IpPrefix local = null;
        String dev = null;
        Optional<IpPrefix> peer = Optional.empty();
        Optional<String> brd = Optional.empty(), label = Optional.empty(), scope = Optional.empty();
        boolean noprefixroute = false;
        while (a.hasNext()) {
            String w = a.next();
            switch (w) {
                case "dev" -> dev = a.dev(dev, a.value(w));
                case "local" -> {
                    if (local != null) throw a.error("duplicate address");
                    local = a.prefix(a.value(w));
                }
                case "peer", "remote" -> peer = Optional.of(a.prefix(a.value(w)));
                case "broadcast", "brd" -> {
                    String b = a.value(w);
                    if (!b.equals("+") && !b.equals("-")) {
                        InetAddress ba = a.addr("broadcast", b);
                        if (!(ba instanceof Inet4Address)) throw a.error("broadcast must be an IPv4 address");
                        b = Inet.format(ba);
                    }
                    brd = Optional.of(b);
                }
                case "label" -> label = Optional.of(a.value(w));
                case "scope" -> scope = Optional.of(a.scope(a.value(w)));
                case "noprefixroute" -> noprefixroute = true;
                case "valid_lft", "preferred_lft" -> {
                    String t = a.value(w);
                    if (!t.equals("forever")) a.parseInt(w, t, 0, Integer.MAX_VALUE);
                }
                case "nodad", "home", "mngtmpaddr", "optimistic", "autojoin" -> { }
                default -> {
                    if (local != null) throw a.unknown(w);
                    local = a.prefix(w);
                }
            }
        }
        if (local == null) throw a.error("missing address (\"addr " + op.name().toLowerCase() + " ADDR/LEN dev NAME\")");
        if (dev == null) throw a.error("missing device (\"dev NAME\")");
        if (label.isPresent()) {
            String l = label.get();
            if (!l.equals(dev) && !l.startsWith(dev + ":")) throw a.error("label \"" + l + "\" must be the device name or start with \"" + dev + ":\"");
            if (l.getBytes(StandardCharsets.UTF_8).length > Names.MAX_IFNAME_BYTES) throw a.error("label \"" + l + "\" is too long (at most 15 bytes)");
        }
        if (brd.isPresent() && local.family() != 2) throw a.error("broadcast is for IPv4 addresses only");
        if (peer.isPresent() && peer.get().family() != local.family()) throw a.error("peer and local addresses are of different families");
        return new AddrChange(a.text(), op, local, dev, peer, brd, label, scope, noprefixroute);
    }
}
