package io.nslab.cli.ip;

import io.nslab.cli.CliException;
import io.nslab.cli.ip.IpCommand.*;

import io.nslab.netlink.route.IpPrefix;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * iproute2's argument syntax for the objects nslab covers, with ip's
 * abbreviations (an object or verb may be shortened to any prefix, the first
 * match in ip's own order wins). Pure: no kernel access, every check that can
 * be made on the words alone is made here, so a bad line changes nothing.
 */
public final class IpParser {
    /** ip's object table in ip's order (first prefix match wins); null = known to ip, not covered by nslab. */
    private static final String[][] OBJECTS = {
        {"address", "address"}, {"addrlabel", null}, {"maddress", null}, {"route", "route"}, {"rule", "rule"},
        {"neighbor", "neighbour"}, {"neighbour", "neighbour"}, {"ntable", null}, {"ntbl", null}, {"link", "link"},
        {"l2tp", null}, {"fou", null}, {"ila", null}, {"macsec", null}, {"tunnel", null}, {"tuntap", "tuntap"},
        {"tap", "tuntap"}, {"token", null}, {"tcpmetrics", null}, {"tcp_metrics", null}, {"monitor", "monitor"},
        {"xfrm", null}, {"mroute", null}, {"mrule", null}, {"netns", "netns"}, {"netconf", null}, {"vrf", null},
        {"sr", null}, {"nexthop", null}, {"mptcp", null}, {"ioam", null}, {"stats", null},
        {"qdisc", "qdisc"}, // tc's object (QdiscParser); no ip object starts with q
    };

    /** The iproute2 objects nslab implements, by canonical name. */
    public static final List<String> SUPPORTED = List.of("address", "route", "rule", "neighbour", "link", "tuntap", "monitor", "netns", "qdisc");

    private IpParser() {}

    /**
     * The canonical object for what the user typed: empty if ip knows no such
     * object; a {@link CliException} if ip has it but nslab does not.
     */
    public static Optional<String> resolveObject(String typed) throws CliException {
        for (String[] o : OBJECTS) {
            if (Args.matches(typed, o[0])) {
                if (o[1] == null) throw CliException.usage(typed + ": object \"" + o[0] + "\" is not supported by nslab (supported: " + String.join(", ", SUPPORTED) + ")");
                return Optional.of(o[1]);
            }
        }
        return Optional.empty();
    }

    /** Parses {@code OBJECT [COMMAND ARGS...]}. */
    public static IpCommand parse(List<String> words) throws CliException {
        if (words.isEmpty()) throw CliException.usage("missing object (one of " + String.join(", ", SUPPORTED) + ")");
        String obj = resolveObject(words.get(0))
                .orElseThrow(() -> CliException.usage("unknown object \"" + words.get(0) + "\" (try one of " + String.join(", ", SUPPORTED) + ")"));
        return parse(obj, words.subList(1, words.size()));
    }

    /** Parses the arguments of an already resolved object. */
    public static IpCommand parse(String object, List<String> args) throws CliException {
        String display = displayName(object);
        Args a = new Args(args, (display + " " + String.join(" ", args)).strip());
        return switch (object) {
            case "netns" -> netns(a);
            case "link" -> link(a);
            case "tuntap" -> tuntap(a);
            case "address" -> addr(a);
            case "route" -> route(a);
            case "neighbour" -> neigh(a);
            case "rule" -> rule(a);
            case "monitor" -> monitor(a);
            case "qdisc" -> QdiscParser.parse(a);
            default -> throw CliException.usage("unknown object \"" + object + "\"");
        };
    }

    private static String displayName(String object) {
        return switch (object) {
            case "address" -> "addr";
            case "neighbour" -> "neigh";
            default -> object;
        };
    }

    // ------------------------------------------------------------------ netns

    private static IpCommand netns(Args a) throws CliException {
        if (!a.hasNext()) return new NetnsList(a.text());
        String v = a.next();
        if (Args.matches(v, "list") || v.equals("show") || v.equals("lst")) {
            noMore(a);
            return new NetnsList(a.text());
        }
        if (Args.matches(v, "add")) {
            String n = Names.netns(a, a.value("add"));
            noMore(a);
            return new NetnsAdd(a.text(), n);
        }
        if (Args.matches(v, "delete")) {
            String n = Names.netns(a, a.value("delete"));
            noMore(a);
            return new NetnsDel(a.text(), n);
        }
        if (Args.matches(v, "exec")) {
            String n = Names.netns(a, a.value("exec"));
            List<String> cmd = a.rest();
            if (cmd.isEmpty()) throw a.error("no command given to run in namespace \"" + n + "\"");
            return new NetnsExec(a.text(), n, cmd);
        }
        if (Args.matches(v, "identify")) {
            Optional<Long> pid = Optional.empty();
            if (a.hasNext()) {
                String p = a.next();
                try {
                    pid = Optional.of(Long.parseLong(p));
                } catch (NumberFormatException e) {
                    throw a.error("invalid pid \"" + p + "\"");
                }
            }
            noMore(a);
            return new NetnsIdentify(a.text(), pid);
        }
        if (Args.matches(v, "pids")) {
            String n = Names.netns(a, a.value("pids"));
            noMore(a);
            return new NetnsPids(a.text(), n);
        }
        if (Args.matches(v, "set")) {
            String n = Names.netns(a, a.value("set"));
            String id = a.value(n);
            OptionalInt nsid = id.equals("auto") ? OptionalInt.empty() : OptionalInt.of(a.parseInt("nsid", id, 0, Integer.MAX_VALUE));
            noMore(a);
            return new NetnsSet(a.text(), n, nsid);
        }
        throw a.error("unknown command \"" + v + "\" (add, delete, list, exec, identify, pids, set)");
    }

    // ------------------------------------------------------------------ link

    private static IpCommand link(Args a) throws CliException {
        if (!a.hasNext()) return new LinkShow(a.text(), Optional.empty(), false, Optional.empty(), Optional.empty());
        String v = a.next();
        if (Args.matches(v, "add")) return linkAdd(a, false);
        if (Args.matches(v, "change") || v.equals("set")) return linkSet(a);
        if (Args.matches(v, "delete")) return linkDel(a);
        if (Args.matches(v, "show") || Args.matches(v, "lst") || Args.matches(v, "list")) return linkShow(a);
        throw a.error("unknown command \"" + v + "\" (add, set, delete, show)");
    }

    /** {@code link add} arguments; for a veth peer ({@code peer ...}) the name may come bare and "type" is absent. */
    private static LinkAdd linkAdd(Args a, boolean peer) throws CliException {
        Optional<String> name = Optional.empty(), parent = Optional.empty(), mac = Optional.empty(), netns = Optional.empty();
        Optional<String> master = Optional.empty();
        boolean up = false;
        OptionalInt mtu = OptionalInt.empty();
        Optional<KindArgs> kind = Optional.empty();
        while (a.hasNext()) {
            String w = a.peek();
            if (peer && (w.equals("type") || kind.isPresent())) break;
            a.next();
            switch (w) {
                case "name", "dev" -> name = Optional.of(Names.ifname(a, a.value(w)));
                case "link" -> parent = Optional.of(Names.ifname(a, a.value(w)));
                case "address" -> mac = Optional.of(mac(a, a.value(w)));
                case "mtu" -> mtu = a.optInt(w, 68, 65535 * 4);
                case "netns" -> netns = Optional.of(Names.netns(a, a.value(w)));
                case "up" -> {
                    if (peer) throw a.unknown(w);
                    up = true;
                }
                case "master" -> {
                    if (peer) throw a.unknown(w);
                    master = Optional.of(Names.ifname(a, a.value(w)));
                }
                case "txqueuelen", "txqlen", "qlen", "numtxqueues", "numrxqueues", "group" -> a.value(w);
                case "type" -> {
                    if (peer) throw a.unknown(w);
                    kind = Optional.of(kindArgs(a, a.value(w)));
                }
                default -> {
                    if (name.isPresent()) throw a.unknown(w);
                    name = Optional.of(Names.ifname(a, w));
                }
            }
        }
        if (!peer) {
            if (kind.isEmpty()) throw a.error("missing \"type KIND\" (veth, bridge, macvlan, macvtap, ipvlan, vlan, vxlan, tun, tap, ...)");
            if (name.isEmpty() && !(kind.get() instanceof VethArgs)) throw a.error("missing interface name");
            if (kind.get() instanceof MacvlanArgs || kind.get() instanceof IpvlanArgs || kind.get() instanceof VlanArgs) {
                if (parent.isEmpty()) throw a.error("missing \"link PARENT\" for type " + (kind.get() instanceof VlanArgs ? "vlan" : kind.get() instanceof IpvlanArgs ? "ipvlan" : "macvlan"));
            }
        }
        if (master.isPresent() && netns.isPresent()) throw a.error("\"master\" and \"netns\" together: the master is looked up where the link is made");
        return new LinkAdd(a.text(), name, parent, mac, mtu, netns, kind, up, master);
    }

    private static KindArgs kindArgs(Args a, String kind) throws CliException {
        switch (kind) {
            case "veth" -> {
                LinkAdd peer = null;
                while (a.hasNext()) {
                    String w = a.next();
                    if (w.equals("peer")) {
                        peer = linkAdd(a, true);
                    } else {
                        throw a.unknown(w);
                    }
                }
                return new VethArgs(peer == null
                        ? new LinkAdd(a.text(), Optional.empty(), Optional.empty(), Optional.empty(), OptionalInt.empty(), Optional.empty(), Optional.empty(), false, Optional.empty())
                        : peer);
            }
            case "bridge" -> {
                OptionalInt stp = OptionalInt.empty(), vf = OptionalInt.empty();
                while (a.hasNext()) {
                    String w = a.next();
                    switch (w) {
                        case "stp_state" -> stp = a.optInt(w, 0, 1);
                        case "vlan_filtering" -> vf = a.optInt(w, 0, 1);
                        default -> throw a.unknown(w);
                    }
                }
                return new BridgeArgs(stp, vf);
            }
            case "macvlan", "macvtap" -> {
                Optional<String> mode = Optional.empty();
                while (a.hasNext()) {
                    String w = a.next();
                    if (w.equals("mode")) {
                        String m = a.value(w);
                        if (!List.of("private", "vepa", "bridge", "passthru", "source").contains(m)) {
                            throw a.error("invalid macvlan mode \"" + m + "\" (private, vepa, bridge, passthru, source)");
                        }
                        mode = Optional.of(m);
                    } else if (!w.equals("nopromisc")) {
                        throw a.unknown(w);
                    }
                }
                return new MacvlanArgs(kind.equals("macvtap"), mode);
            }
            case "ipvlan", "ipvtap" -> {
                Optional<String> mode = Optional.empty(), flag = Optional.empty();
                while (a.hasNext()) {
                    String w = a.next();
                    if (w.equals("mode")) {
                        String m = a.value(w);
                        if (!List.of("l2", "l3", "l3s").contains(m)) throw a.error("invalid ipvlan mode \"" + m + "\" (l2, l3, l3s)");
                        mode = Optional.of(m);
                    } else if (List.of("bridge", "private", "vepa").contains(w)) {
                        flag = Optional.of(w);
                    } else {
                        throw a.unknown(w);
                    }
                }
                return new IpvlanArgs(mode, flag);
            }
            case "vlan" -> {
                OptionalInt id = OptionalInt.empty();
                Optional<String> proto = Optional.empty();
                while (a.hasNext()) {
                    String w = a.next();
                    switch (w) {
                        case "id" -> id = a.optInt(w, 0, 4094);
                        case "protocol" -> {
                            String p = a.value(w);
                            if (!p.equalsIgnoreCase("802.1q") && !p.equalsIgnoreCase("802.1ad")) throw a.error("invalid vlan protocol \"" + p + "\" (802.1Q, 802.1ad)");
                            proto = Optional.of(p);
                        }
                        default -> throw a.unknown(w);
                    }
                }
                if (id.isEmpty()) throw a.error("missing \"id N\" for type vlan");
                return new VlanArgs(id.getAsInt(), proto);
            }
            case "vxlan" -> {
                OptionalInt vni = OptionalInt.empty(), port = OptionalInt.empty(), ttl = OptionalInt.empty();
                Optional<InetAddress> local = Optional.empty(), remote = Optional.empty(), group = Optional.empty();
                Optional<String> dev = Optional.empty();
                Optional<Boolean> learning = Optional.empty();
                while (a.hasNext()) {
                    String w = a.next();
                    switch (w) {
                        case "id", "vni" -> vni = a.optInt(w, 0, (1 << 24) - 1);
                        case "local" -> local = Optional.of(addr(a, w, a.value(w)));
                        case "remote" -> remote = Optional.of(addr(a, w, a.value(w)));
                        case "group" -> group = Optional.of(addr(a, w, a.value(w)));
                        case "dev" -> dev = Optional.of(Names.ifname(a, a.value(w)));
                        case "dstport" -> port = a.optInt(w, 0, 65535);
                        case "ttl", "hoplimit" -> {
                            String t = a.value(w);
                            ttl = t.equals("inherit") || t.equals("auto") ? OptionalInt.empty() : OptionalInt.of(a.parseInt(w, t, 0, 255));
                        }
                        case "learning" -> learning = Optional.of(true);
                        case "nolearning" -> learning = Optional.of(false);
                        default -> throw a.unknown(w);
                    }
                }
                if (vni.isEmpty()) throw a.error("missing \"id VNI\" for type vxlan");
                if (remote.isPresent() && group.isPresent()) throw a.error("vxlan takes \"remote\" or \"group\", not both");
                if (group.isPresent() && !group.get().isMulticastAddress()) throw a.error("vxlan group " + Inet.format(group.get()) + " is not a multicast address");
                return new VxlanArgs(vni.getAsInt(), local, remote, group, dev, port, learning, ttl);
            }
            case "tun", "tap" -> {
                if (a.hasNext()) throw a.unknown(a.next());
                return new TuntapArgs(kind.equals("tap"));
            }
            default -> {
                if (!kind.matches("[a-z0-9_]+")) throw a.error("invalid link type \"" + kind + "\"");
                if (a.hasNext()) throw a.error("nslab does not know the arguments of type \"" + kind + "\" (\"" + a.peek() + "\")");
                return new PlainArgs(kind);
            }
        }
    }

    private static IpCommand linkSet(Args a) throws CliException {
        String dev = null;
        Optional<Boolean> up = Optional.empty(), promisc = Optional.empty(), arp = Optional.empty(), multicast = Optional.empty(),
                allmulticast = Optional.empty();
        OptionalInt mtu = OptionalInt.empty(), txq = OptionalInt.empty();
        Optional<String> mac = Optional.empty(), master = Optional.empty(), netns = Optional.empty(), newName = Optional.empty(), alias = Optional.empty();
        Optional<io.nslab.netlink.route.LinkChange.Inet6AddrGen> addrGen = Optional.empty();
        boolean nomaster = false;
        while (a.hasNext()) {
            String w = a.next();
            switch (w) {
                case "dev" -> dev = setDev(a, dev, a.value(w));
                case "addrgenmode" -> {
                    String m = a.value(w);
                    addrGen = Optional.of(io.nslab.netlink.route.LinkChange.Inet6AddrGen.of(m).orElseThrow(
                            () -> a.error("\"addrgenmode\" takes eui64, none, stable_secret or random, not \"" + m + "\"")));
                }
                case "up" -> up = Optional.of(true);
                case "down" -> up = Optional.of(false);
                case "mtu" -> mtu = a.optInt(w, 68, 65535 * 4);
                case "address" -> mac = Optional.of(mac(a, a.value(w)));
                case "master" -> master = Optional.of(Names.ifname(a, a.value(w)));
                case "nomaster" -> nomaster = true;
                case "netns" -> netns = Optional.of(Names.netns(a, a.value(w)));
                case "name" -> newName = Optional.of(Names.ifname(a, a.value(w)));
                case "alias" -> alias = Optional.of(a.value(w));
                case "promisc" -> promisc = Optional.of(onOff(a, w));
                case "arp" -> arp = Optional.of(onOff(a, w));
                case "multicast" -> multicast = Optional.of(onOff(a, w));
                case "allmulticast" -> allmulticast = Optional.of(onOff(a, w));
                case "txqueuelen", "txqlen", "qlen" -> txq = a.optInt(w, 0, Integer.MAX_VALUE);
                default -> dev = setDev(a, dev, w);
            }
        }
        if (dev == null) throw a.error("missing device (\"link set dev NAME ...\")");
        if (master.isPresent() && nomaster) throw a.error("\"master\" and \"nomaster\" together");
        return new LinkSet(a.text(), dev, up, mtu, mac, master, nomaster, netns, newName, alias, promisc, arp, multicast, allmulticast, txq, addrGen);
    }

    private static String setDev(Args a, String dev, String w) throws CliException {
        if (dev != null) throw a.unknown(w);
        return Names.ifname(a, w);
    }

    private static IpCommand linkDel(Args a) throws CliException {
        String dev = null;
        Optional<String> type = Optional.empty();
        while (a.hasNext()) {
            String w = a.next();
            switch (w) {
                case "dev" -> dev = setDev(a, dev, a.value(w));
                case "type" -> type = Optional.of(a.value(w));
                default -> dev = setDev(a, dev, w);
            }
        }
        if (dev == null) throw a.error("missing device (\"link delete dev NAME\")");
        return new LinkDel(a.text(), dev, type);
    }

    private static IpCommand linkShow(Args a) throws CliException {
        String dev = null;
        boolean up = false;
        Optional<String> type = Optional.empty(), master = Optional.empty();
        while (a.hasNext()) {
            String w = a.next();
            switch (w) {
                case "dev" -> dev = setDev(a, dev, a.value(w));
                case "up" -> up = true;
                case "type" -> type = Optional.of(a.value(w));
                case "master" -> master = Optional.of(Names.ifname(a, a.value(w)));
                default -> dev = setDev(a, dev, w);
            }
        }
        return new LinkShow(a.text(), Optional.ofNullable(dev), up, type, master);
    }

    // ------------------------------------------------------------------ tuntap

    private static IpCommand tuntap(Args a) throws CliException {
        if (!a.hasNext()) return new TuntapShow(a.text());
        String v = a.next();
        if (Args.matches(v, "show") || Args.matches(v, "list") || Args.matches(v, "lst")) {
            noMore(a);
            return new TuntapShow(a.text());
        }
        boolean add = Args.matches(v, "add");
        if (!add && !Args.matches(v, "delete")) throw a.error("unknown command \"" + v + "\" (add, delete, show)");
        String name = null;
        Optional<Boolean> tap = Optional.empty();
        boolean mq = false, pi = false, vnet = false;
        OptionalInt user = OptionalInt.empty(), group = OptionalInt.empty();
        while (a.hasNext()) {
            String w = a.next();
            switch (w) {
                case "dev", "name" -> name = setDev(a, name, a.value(w));
                case "mode" -> {
                    String m = a.value(w);
                    if (!m.equals("tun") && !m.equals("tap")) throw a.error("invalid mode \"" + m + "\" (tun, tap)");
                    tap = Optional.of(m.equals("tap"));
                }
                case "multi_queue" -> mq = true;
                case "pi" -> pi = true;
                case "vnet_hdr" -> vnet = true;
                case "one_queue" -> { }
                case "user" -> user = a.optInt(w, 0, Integer.MAX_VALUE);
                case "group" -> group = a.optInt(w, 0, Integer.MAX_VALUE);
                default -> name = setDev(a, name, w);
            }
        }
        if (name == null) throw a.error("missing device name (\"tuntap " + (add ? "add" : "del") + " dev NAME mode tun|tap\")");
        if (tap.isEmpty()) throw a.error("missing \"mode tun|tap\"");
        if (add) return new TuntapAdd(a.text(), name, tap.get(), mq, pi, vnet, user, group);
        return new TuntapDel(a.text(), name, tap.get());
    }

    // ------------------------------------------------------------------ addr

    private static IpCommand addr(Args a) throws CliException {
        if (!a.hasNext()) return new AddrShow(a.text(), Optional.empty(), false, OptionalInt.empty(), Optional.empty());
        String v = a.next();
        if (Args.matches(v, "add")) return addrChange(a, Op.ADD);
        if (Args.matches(v, "change") || v.equals("chg")) return addrChange(a, Op.CHANGE);
        if (Args.matches(v, "replace")) return addrChange(a, Op.REPLACE);
        if (Args.matches(v, "delete")) return addrChange(a, Op.DEL);
        if (Args.matches(v, "list") || Args.matches(v, "show") || Args.matches(v, "lst")) return addrShow(a);
        if (Args.matches(v, "flush")) {
            AddrShow s = addrShow(a);
            if (s.dev().isEmpty()) throw a.error("flush requires arguments (\"addr flush dev NAME\")");
            return new AddrFlush(a.text(), s.dev(), s.family(), s.scope());
        }
        throw a.error("unknown command \"" + v + "\" (add, delete, replace, show, flush)");
    }

    private static AddrShow addrShow(Args a) throws CliException {
        String dev = null;
        boolean up = false;
        OptionalInt family = OptionalInt.empty();
        Optional<String> scope = Optional.empty();
        while (a.hasNext()) {
            String w = a.next();
            switch (w) {
                case "dev" -> dev = setDev(a, dev, a.value(w));
                case "up" -> up = true;
                case "scope" -> scope = Optional.of(scope(a, a.value(w)));
                case "-4", "inet" -> family = OptionalInt.of(2);
                case "-6", "inet6" -> family = OptionalInt.of(10);
                default -> dev = setDev(a, dev, w);
            }
        }
        return new AddrShow(a.text(), Optional.ofNullable(dev), up, family, scope);
    }

    private static IpCommand addrChange(Args a, Op op) throws CliException {
        IpPrefix local = null;
        String dev = null;
        Optional<IpPrefix> peer = Optional.empty();
        Optional<String> brd = Optional.empty(), label = Optional.empty(), scope = Optional.empty();
        boolean noprefixroute = false;
        while (a.hasNext()) {
            String w = a.next();
            switch (w) {
                case "dev" -> dev = setDev(a, dev, a.value(w));
                case "local" -> {
                    if (local != null) throw a.error("duplicate address");
                    local = prefix(a, a.value(w));
                }
                case "peer", "remote" -> peer = Optional.of(prefix(a, a.value(w)));
                case "broadcast", "brd" -> {
                    String b = a.value(w);
                    if (!b.equals("+") && !b.equals("-")) {
                        InetAddress ba = addr(a, "broadcast", b);
                        if (!(ba instanceof Inet4Address)) throw a.error("broadcast must be an IPv4 address");
                        b = Inet.format(ba);
                    }
                    brd = Optional.of(b);
                }
                case "label" -> label = Optional.of(a.value(w));
                case "scope" -> scope = Optional.of(scope(a, a.value(w)));
                case "noprefixroute" -> noprefixroute = true;
                case "valid_lft", "preferred_lft" -> {
                    String t = a.value(w);
                    if (!t.equals("forever")) a.parseInt(w, t, 0, Integer.MAX_VALUE);
                }
                case "nodad", "home", "mngtmpaddr", "optimistic", "autojoin" -> { }
                default -> {
                    if (local != null) throw a.unknown(w);
                    local = prefix(a, w);
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

    // ------------------------------------------------------------------ route

    private static IpCommand route(Args a) throws CliException {
        if (!a.hasNext()) return routeShow(a, OptionalInt.empty());
        String v = a.next();
        if (Args.matches(v, "add")) return routeChange(a, Op.ADD);
        if (Args.matches(v, "change") || v.equals("chg")) return routeChange(a, Op.CHANGE);
        if (Args.matches(v, "replace")) return routeChange(a, Op.REPLACE);
        if (Args.matches(v, "delete")) return routeChange(a, Op.DEL);
        if (Args.matches(v, "list") || Args.matches(v, "show") || Args.matches(v, "lst")) return routeShow(a, OptionalInt.empty());
        if (Args.matches(v, "get")) return routeGet(a);
        if (Args.matches(v, "flush")) {
            RouteShow s = routeShow(a, OptionalInt.empty());
            return new RouteFlush(a.text(), s.family(), s.table(), s.dev());
        }
        throw a.error("unknown command \"" + v + "\" (add, delete, replace, change, show, get, flush)");
    }

    private static RouteShow routeShow(Args a, OptionalInt family) throws CliException {
        Optional<String> table = Optional.empty(), dev = Optional.empty();
        Optional<IpPrefix> root = Optional.empty();
        while (a.hasNext()) {
            String w = a.next();
            switch (w) {
                case "table" -> table = Optional.of(table(a, a.value(w)));
                case "dev", "oif" -> dev = Optional.of(Names.ifname(a, a.value(w)));
                case "-4", "inet" -> family = OptionalInt.of(2);
                case "-6", "inet6" -> family = OptionalInt.of(10);
                case "root", "match", "exact" -> root = Optional.of(prefix(a, a.value(w)));
                default -> {
                    if (w.equals("all") || w.equals("default")) continue;
                    root = Optional.of(prefix(a, w));
                }
            }
        }
        return new RouteShow(a.text(), family, table, dev, root);
    }

    private static IpCommand routeGet(Args a) throws CliException {
        InetAddress dst = null;
        Optional<InetAddress> from = Optional.empty();
        Optional<String> iif = Optional.empty(), oif = Optional.empty();
        while (a.hasNext()) {
            String w = a.next();
            switch (w) {
                case "from" -> from = Optional.of(prefix(a, a.value(w)).address());
                case "iif" -> iif = Optional.of(Names.ifname(a, a.value(w)));
                case "oif", "dev" -> oif = Optional.of(Names.ifname(a, a.value(w)));
                case "to" -> dst = prefix(a, a.value(w)).address();
                default -> {
                    if (dst != null) throw a.unknown(w);
                    dst = prefix(a, w).address();
                }
            }
        }
        if (dst == null) throw a.error("missing destination address (\"route get ADDR\")");
        return new RouteGet(a.text(), dst, from, iif, oif);
    }

    private static final List<String> ROUTE_TYPES = List.of("unicast", "local", "broadcast", "multicast", "throw", "unreachable", "prohibit", "blackhole", "nat");

    private static IpCommand routeChange(Args a, Op op) throws CliException {
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
                    via = Optional.of(addr(a, "via", g));
                }
                case "gw" -> via = Optional.of(addr(a, "gw", a.value(w)));
                case "dev", "oif" -> dev = Optional.of(Names.ifname(a, a.value(w)));
                case "src" -> src = Optional.of(addr(a, "src", a.value(w)));
                case "metric", "preference", "priority" -> metric = a.optInt(w, 0, 0xffffffffL);
                case "scope" -> scope = Optional.of(scope(a, a.value(w)));
                case "table" -> table = Optional.of(table(a, a.value(w)));
                case "proto", "protocol" -> proto = Optional.of(proto(a, a.value(w)));
                case "onlink" -> onlink = true;
                case "mtu" -> mtu = a.optInt(w, 68, Integer.MAX_VALUE);
                case "to" -> {
                    String d = a.value(w);
                    if (ROUTE_TYPES.contains(d)) {
                        type = Optional.of(d);
                        d = a.value(d);
                    }
                    dst = dst(a, d);
                    haveDst = true;
                }
                case "-4", "inet" -> family = 2;
                case "-6", "inet6" -> family = 10;
                default -> {
                    if (!haveDst && ROUTE_TYPES.contains(w) && type.isEmpty()) {
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

    private static Optional<IpPrefix> dst(Args a, String d) throws CliException {
        if (d.equals("default") || d.equals("all") || d.equals("any")) return Optional.empty();
        return Optional.of(prefix(a, d));
    }

    // ------------------------------------------------------------------ neigh

    private static IpCommand neigh(Args a) throws CliException {
        if (!a.hasNext()) return new NeighShow(a.text(), OptionalInt.empty(), Optional.empty(), SHOWN_BY_DEFAULT);
        String v = a.next();
        if (Args.matches(v, "add")) return neighChange(a, Op.ADD);
        if (Args.matches(v, "change") || v.equals("chg")) return neighChange(a, Op.CHANGE);
        if (Args.matches(v, "replace")) return neighChange(a, Op.REPLACE);
        if (Args.matches(v, "delete")) return neighChange(a, Op.DEL);
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
                if (dev.isEmpty()) throw a.error("flush requires arguments (\"neigh flush dev NAME\")");
                return new NeighFlush(a.text(), family, dev, states);
            }
            return new NeighShow(a.text(), family, dev, states);
        }
        throw a.error("unknown command \"" + v + "\" (add, delete, replace, change, show, flush)");
    }

    private static final List<String> NUD = List.of("permanent", "noarp", "reachable", "stale", "none", "incomplete", "delay", "probe", "failed");

    // As ip: show hides NOARP entries (multicast and the like), flush also spares
    // PERMANENT ones; "nud STATE" (repeatable) replaces that with the states named.
    private static final int NUD_NOARP = 0x40, NUD_PERMANENT = 0x80, NO_STATE = 0x100;
    private static final int SHOWN_BY_DEFAULT = 0xff & ~NUD_NOARP;
    private static final int FLUSHED_BY_DEFAULT = ~(NUD_PERMANENT | NUD_NOARP);

    private static int nudFilter(Args a, String v, boolean flush) throws CliException {
        if (v.equals("all")) return flush ? ~NUD_NOARP : ~0;
        int state = switch (v.toLowerCase(Locale.ROOT)) { // NUD_* of linux/neighbour.h
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
        return state;
    }

    private static IpCommand neighChange(Args a, Op op) throws CliException {
        InetAddress addr = null;
        String dev = null;
        Optional<String> lladdr = Optional.empty(), nud = Optional.empty();
        boolean router = false, proxy = false;
        while (a.hasNext()) {
            String w = a.next();
            switch (w) {
                case "lladdr" -> lladdr = Optional.of(mac(a, a.value(w)));
                case "dev" -> dev = setDev(a, dev, a.value(w));
                case "nud" -> {
                    String n = a.value(w);
                    if (!NUD.contains(n)) throw a.error("invalid nud state \"" + n + "\" (" + String.join(", ", NUD) + ")");
                    nud = Optional.of(n);
                }
                case "router" -> router = true;
                case "proxy" -> proxy = true;
                case "to" -> addr = addr(a, "to", a.value(w));
                default -> {
                    if (addr != null) throw a.unknown(w);
                    addr = addr(a, "address", w);
                }
            }
        }
        if (addr == null) throw a.error("missing neighbour address");
        if (dev == null) throw a.error("missing device (\"dev NAME\")");
        return new NeighChange(a.text(), op, addr, lladdr, dev, nud, router, proxy);
    }

    // ------------------------------------------------------------------ rule

    private static IpCommand rule(Args a) throws CliException {
        if (!a.hasNext()) return new RuleShow(a.text(), OptionalInt.empty());
        String v = a.next();
        if (Args.matches(v, "add")) return ruleChange(a, Op.ADD);
        if (Args.matches(v, "delete")) return ruleChange(a, Op.DEL);
        if (Args.matches(v, "list") || Args.matches(v, "show") || Args.matches(v, "lst")) {
            noMore(a);
            return new RuleShow(a.text(), OptionalInt.empty());
        }
        throw a.error("unknown command \"" + v + "\" (add, delete, show)");
    }

    private static IpCommand ruleChange(Args a, Op op) throws CliException {
        boolean not = false;
        Optional<IpPrefix> from = Optional.empty(), to = Optional.empty();
        OptionalInt prio = OptionalInt.empty();
        Optional<String> table = Optional.empty(), iif = Optional.empty(), oif = Optional.empty(), fwmark = Optional.empty(), action = Optional.empty();
        int family = 0;
        while (a.hasNext()) {
            String w = a.next();
            switch (w) {
                case "not" -> not = true;
                case "from" -> from = ruleAddr(a, a.value(w));
                case "to" -> to = ruleAddr(a, a.value(w));
                case "priority", "pref", "preference", "order" -> prio = a.optInt(w, 0, Integer.MAX_VALUE);
                case "table", "lookup" -> table = Optional.of(table(a, a.value(w)));
                case "iif", "dev" -> iif = Optional.of(Names.ifname(a, a.value(w)));
                case "oif" -> oif = Optional.of(Names.ifname(a, a.value(w)));
                case "fwmark" -> {
                    String m = a.value(w);
                    for (String part : m.split("/", 2)) a.parseInt("fwmark", part, 0, 0xffffffffL);
                    fwmark = Optional.of(m);
                }
                case "blackhole", "unreachable", "prohibit", "goto", "nop" -> action = Optional.of(w);
                case "-4", "inet" -> family = 2;
                case "-6", "inet6" -> family = 10;
                default -> throw a.unknown(w);
            }
        }
        int f = from.map(IpPrefix::family).orElse(to.map(IpPrefix::family).orElse(family == 0 ? 2 : family));
        if (from.isPresent() && to.isPresent() && from.get().family() != to.get().family()) throw a.error("from and to are of different families");
        if (op == Op.ADD && table.isEmpty() && action.isEmpty()) table = Optional.of("main");
        return new RuleChange(a.text(), op, new RuleSpec(f, not, from, to, prio, table, iif, oif, fwmark, action));
    }

    private static Optional<IpPrefix> ruleAddr(Args a, String s) throws CliException {
        if (s.equals("all") || s.equals("any") || s.equals("default")) return Optional.empty();
        return Optional.of(prefix(a, s));
    }

    // ------------------------------------------------------------------ monitor

    private static final List<String> MONITOR_OBJECTS = List.of("link", "address", "route", "neigh", "rule", "all");
    private static final List<String> MONITOR_ALL = List.of("link", "address", "route", "neigh", "rule");

    private static IpCommand monitor(Args a) throws CliException {
        List<String> objs = new ArrayList<>();
        Optional<String> label = Optional.empty();
        while (a.hasNext()) {
            String w = a.next();
            if (w.equals("label")) {
                label = Optional.of("label");
                continue;
            }
            String m = null;
            for (String o : MONITOR_OBJECTS) if (Args.matches(w, o) || (o.equals("neigh") && Args.matches(w, "neighbour"))) { m = o; break; }
            if (m == null) throw a.error("unknown monitor object \"" + w + "\" (link, address, route, neigh, rule, all)");
            if (m.equals("all")) objs.addAll(MONITOR_ALL);
            else objs.add(m);
        }
        if (objs.isEmpty()) objs.addAll(MONITOR_ALL);
        return new Monitor(a.text(), List.copyOf(new LinkedHashSet<>(objs)), label);
    }

    // ------------------------------------------------------------------ values

    private static void noMore(Args a) throws CliException {
        if (a.hasNext()) throw a.error("unexpected argument \"" + a.peek() + "\"");
    }

    static IpPrefix prefix(Args a, String s) throws CliException {
        return Inet.parsePrefix(s).orElseThrow(() -> a.error("invalid address or prefix \"" + s + "\" (expected ADDR or ADDR/LEN, e.g. 10.0.1.1/24)"));
    }

    static InetAddress addr(Args a, String what, String s) throws CliException {
        return Inet.parse(s).orElseThrow(() -> a.error("invalid " + what + " address \"" + s + "\""));
    }

    static String mac(Args a, String s) throws CliException {
        if (!s.matches("(?i)[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}")) throw a.error("invalid link-layer address \"" + s + "\" (expected xx:xx:xx:xx:xx:xx)");
        StringBuilder sb = new StringBuilder();
        for (String p : s.split(":")) {
            if (sb.length() > 0) sb.append(':');
            sb.append(p.length() == 1 ? "0" + p : p);
        }
        return sb.toString().toLowerCase();
    }

    private static boolean onOff(Args a, String kw) throws CliException {
        String v = a.value(kw);
        return switch (v) {
            case "on" -> true;
            case "off" -> false;
            default -> throw a.error("\"" + kw + "\" takes on or off, not \"" + v + "\"");
        };
    }

    static String scope(Args a, String s) throws CliException {
        if (List.of("global", "universe", "site", "link", "host", "nowhere").contains(s)) return s.equals("universe") ? "global" : s;
        try {
            int n = Integer.parseInt(s);
            if (n >= 0 && n <= 255) return s;
        } catch (NumberFormatException ignored) { }
        throw a.error("invalid scope \"" + s + "\" (global, site, link, host, or 0..255)");
    }

    static String table(Args a, String s) throws CliException {
        if (List.of("main", "local", "default", "all", "unspec").contains(s)) return s;
        a.parseInt("table", s, 0, 0xffffffffL);
        return s;
    }

    static String proto(Args a, String s) throws CliException {
        if (List.of("unspec", "redirect", "kernel", "boot", "static", "dhcp", "ra", "bird", "zebra", "babel", "bgp", "isis", "ospf", "rip", "eigrp").contains(s)) return s;
        a.parseInt("proto", s, 0, 255);
        return s;
    }
}
