package io.nslab.cli.ip;

import io.nslab.cli.CliException;
import io.nslab.cli.ip.IpCommand.AddrChange;
import io.nslab.cli.ip.IpCommand.AddrFlush;
import io.nslab.cli.ip.IpCommand.AddrShow;
import io.nslab.cli.ip.IpCommand.Op;
import io.nslab.netlink.route.Address;
import io.nslab.netlink.route.IpPrefix;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static io.nslab.netlink.route.RtConst.*;

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
            if (s.dev().isEmpty()) throw a.rejected("flush requires arguments (\"addr flush dev NAME\")");
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
        int flags = 0;
        List<String> warnings = new ArrayList<>();
        long valid = -1, preferred = -1;
        OptionalInt metric = OptionalInt.empty();
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
                        if (!(ba instanceof Inet4Address)) throw a.rejected("broadcast must be an IPv4 address");
                        b = Inet.format(ba);
                    }
                    brd = Optional.of(b);
                }
                case "label" -> label = Optional.of(a.value(w));
                case "scope" -> scope = Optional.of(a.scope(a.value(w)));
                case "valid_lft", "preferred_lft" -> {
                    if ((w.equals("valid_lft") ? valid : preferred) >= 0) throw a.error("duplicate \"" + w + "\"");
                    String t = a.value(w);
                    long v = t.equals("forever") ? Address.INFINITY : Integer.toUnsignedLong(a.parseInt(w, t, 0, 0xffffffffL));
                    if (w.equals("valid_lft")) valid = v;
                    else preferred = v;
                }
                case "metric", "priority", "prio" -> metric = a.optInt(w, 0, 0xffffffffL);
                case "proto" -> throw a.unsupported(w);
                default -> {
                    OptionalInt flag = flag(w);
                    if (flag.isPresent()) {
                        // as ip: a flag is checked against the family of the address given so far
                        if (READONLY.contains(w)) warnings.add(w + " option is not mutable from userspace");
                        else if (!w.equals("noprefixroute") && !w.equals("autojoin") && (local == null || local.family() != 10)) {
                            warnings.add(w + " option can be set only for IPv6 addresses");
                        } else {
                            flags |= flag.getAsInt();
                        }
                        continue;
                    }
                    if (local != null) throw a.unknown(w);
                    local = a.prefix(w);
                }
            }
        }
        if (local == null) throw a.refusedByKernel("missing address (\"addr " + op.name().toLowerCase() + " ADDR/LEN dev NAME\")");
        if (dev == null) throw a.rejected("missing device (\"dev NAME\")");
        if (label.isPresent()) {
            String l = label.get();
            if (l.getBytes(StandardCharsets.UTF_8).length > Names.MAX_IFNAME_BYTES) throw a.refusedByKernel("label \"" + l + "\" is too long (at most 15 bytes)");
        }
        if (brd.isPresent() && local.family() != 2) throw a.rejected("broadcast is for IPv4 addresses only");
        if (peer.isPresent() && peer.get().family() != local.family()) throw a.rejected("peer and local addresses are of different families");
        if (valid == 0) throw a.rejected("valid_lft is zero");
        if (valid >= 0 || preferred >= 0) {
            if (valid < 0) valid = Address.INFINITY;
            if (preferred < 0) preferred = Address.INFINITY;
            if (valid < preferred) throw a.rejected("preferred_lft is greater than valid_lft");
        }
        if ((flags & IFA_F_MCAUTOJOIN) != 0 && !local.address().isMulticastAddress()) throw a.rejected("autojoin needs multicast address");
        return new AddrChange(a.text(), op, local, dev, peer, brd, label, scope, flags,
                valid >= 0 ? OptionalLong.of(valid) : OptionalLong.empty(),
                preferred >= 0 ? OptionalLong.of(preferred) : OptionalLong.empty(), metric, List.copyOf(warnings));
    }

    private static final List<String> READONLY = List.of("secondary", "temporary", "dadfailed", "deprecated", "tentative",
            "permanent", "stable-privacy");

    /** ip's address flags by name (ipaddress.c's ifa_flag_data), as IFA_F_* bits. */
    private static OptionalInt flag(String w) {
        return switch (w) {
            case "secondary", "temporary" -> OptionalInt.of(IFA_F_SECONDARY);
            case "nodad" -> OptionalInt.of(IFA_F_NODAD);
            case "optimistic" -> OptionalInt.of(IFA_F_OPTIMISTIC);
            case "dadfailed" -> OptionalInt.of(IFA_F_DADFAILED);
            case "home" -> OptionalInt.of(IFA_F_HOMEADDRESS);
            case "deprecated" -> OptionalInt.of(IFA_F_DEPRECATED);
            case "tentative" -> OptionalInt.of(IFA_F_TENTATIVE);
            case "permanent" -> OptionalInt.of(IFA_F_PERMANENT);
            case "mngtmpaddr" -> OptionalInt.of(IFA_F_MANAGETEMPADDR);
            case "noprefixroute" -> OptionalInt.of(IFA_F_NOPREFIXROUTE);
            case "autojoin" -> OptionalInt.of(IFA_F_MCAUTOJOIN);
            case "stable-privacy" -> OptionalInt.of(IFA_F_STABLE_PRIVACY);
            default -> OptionalInt.empty();
        };
    }
}
