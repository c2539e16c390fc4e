package io.nslab.cli.ip;

import io.nslab.cli.CliException;
import io.nslab.cli.ip.IpCommand.LinkAdd;
import io.nslab.cli.ip.IpCommand.LinkDel;
import io.nslab.cli.ip.IpCommand.LinkSet;
import io.nslab.cli.ip.IpCommand.LinkShow;
import io.nslab.netlink.route.LinkChange;
import io.nslab.netlink.route.LinkChange.Inet6AddrGen;
import io.nslab.netlink.route.LinkKind;

import java.util.Optional;
import java.util.OptionalInt;

/** {@code link add|set|delete|show}; the words after {@code type KIND} are {@link LinkKindParser}'s. */
final class LinkParser {
    private LinkParser() {}

    static IpCommand parse(Args a) throws CliException {
        if (!a.hasNext()) return new LinkShow(a.text(), Optional.empty(), false, Optional.empty(), Optional.empty());
        String v = a.next();
        if (Args.matches(v, "add")) return add(a);
        // ip's order: "s" is set, not show
        if (Args.matches(v, "set") || Args.matches(v, "change")) return set(a);
        if (Args.matches(v, "delete")) return del(a);
        if (Args.matches(v, "show") || Args.matches(v, "lst") || Args.matches(v, "list")) return show(a);
        throw a.error("unknown command \"" + v + "\" (add, set, delete, show)");
    }

    /** The words of {@code link add} before and including {@code type KIND ...}, or of a veth's {@code peer ...}. */
    record AddWords(Optional<String> name, Optional<String> parent, Optional<String> mac, OptionalInt mtu,
                    OptionalInt txqlen, Optional<String> netns, Optional<LinkKind> kind, boolean up, Optional<String> master) {}

    private static LinkAdd add(Args a) throws CliException {
        AddWords w = words(a, false);
        if (w.kind().isEmpty()) throw a.rejected("missing \"type KIND\" (veth, bridge, macvlan, macvtap, ipvlan, vlan, vxlan, tun, tap, ...)");
        LinkKind kind = w.kind().get();
        if (w.name().isEmpty() && !(kind instanceof LinkKind.Veth)) throw a.error("missing interface name");
        String stacked = switch (kind) {
            case LinkKind.Macvlan m when m.parent().isEmpty() -> "macvlan";
            case LinkKind.Ipvlan i when i.parent().isEmpty() -> "ipvlan";
            case LinkKind.Vlan v when v.parent().isEmpty() -> "vlan";
            default -> null;
        };
        if (stacked != null) throw a.error("missing \"link PARENT\" for type " + stacked);
        if (kind instanceof LinkKind.Tuntap t) {
            // made through /dev/net/tun, not by RTM_NEWLINK: the generic options would be lost
            String opt = w.mac().isPresent() ? "address" : w.mtu().isPresent() ? "mtu" : w.txqlen().isPresent() ? "txqueuelen"
                    : w.netns().isPresent() ? "netns" : w.up() ? "up" : w.master().isPresent() ? "master" : null;
            if (opt != null) throw a.error("\"" + opt + "\" with type " + (t.mode() == LinkKind.TuntapMode.TAP ? "tap" : "tun") + " is not supported by nslab (set it with \"link set\" afterwards)");
        }
        if (w.master().isPresent() && w.netns().isPresent()) throw a.error("\"master\" and \"netns\" together: the master is looked up where the link is made");
        return new LinkAdd(a.text(), w.name(), w.mac(), w.mtu(), w.txqlen(), w.netns(), w.kind(), w.up(), w.master());
    }

    /** A veth's {@code peer [name] NAME [address MAC] [netns NS] ...}: stops before a {@code type}. */
    static AddWords peer(Args a) throws CliException {
        return words(a, true);
    }

    /** {@code link add} arguments; for a veth peer the name may come bare and "type" is absent. */
    private static AddWords words(Args a, boolean peer) throws CliException {
        Optional<String> name = Optional.empty(), parent = Optional.empty(), mac = Optional.empty(), netns = Optional.empty();
        Optional<String> master = Optional.empty();
        boolean up = false;
        OptionalInt mtu = OptionalInt.empty(), txqlen = OptionalInt.empty();
        Optional<LinkKind> kind = Optional.empty();
        while (a.hasNext()) {
            String w = a.peek();
            if (peer && w.equals("type")) break;
            a.next();
            switch (w) {
                case "name", "dev" -> name = Optional.of(Names.ifname(a, a.value(w)));
                case "link" -> parent = Optional.of(Names.ifname(a, a.value(w)));
                case "address" -> mac = Optional.of(a.mac(a.value(w)));
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
                case "txqueuelen", "txqlen", "qlen" -> {
                    if (peer) throw a.unsupported("peer " + w);
                    txqlen = a.optInt(w, 0, Integer.MAX_VALUE);
                }
                case "numtxqueues", "numrxqueues", "group", "index", "broadcast", "brd", "gso_max_size", "gso_max_segs",
                     "gro_max_size", "arp", "multicast", "allmulticast", "promisc", "trailers", "alias", "vf", "xdp",
                     "protodown", "protodown_reason", "addrgenmode", "link-netns", "link-netnsid" -> throw a.unsupported(w);
                case "type" -> kind = Optional.of(LinkKindParser.parse(a, a.value(w), parent));
                default -> {
                    if (name.isPresent()) throw a.unknown(w);
                    name = Optional.of(Names.ifname(a, w));
                }
            }
        }
        return new AddWords(name, parent, mac, mtu, txqlen, netns, kind, up, master);
    }

    private static IpCommand set(Args a) throws CliException {
        String dev = null;
        Optional<Boolean> up = Optional.empty(), promisc = Optional.empty(), arp = Optional.empty(), multicast = Optional.empty(),
                allmulticast = Optional.empty();
        OptionalInt mtu = OptionalInt.empty(), txq = OptionalInt.empty();
        Optional<String> mac = Optional.empty(), master = Optional.empty(), netns = Optional.empty(), newName = Optional.empty(), alias = Optional.empty();
        Optional<Inet6AddrGen> addrGen = Optional.empty();
        Optional<LinkChange> typeOptions = Optional.empty();
        boolean nomaster = false;
        while (a.hasNext()) {
            String w = a.next();
            switch (w) {
                case "dev" -> dev = a.dev(dev, a.value(w));
                case "addrgenmode" -> {
                    String m = a.value(w);
                    addrGen = Optional.of(Inet6AddrGen.of(m).orElseThrow(
                            () -> a.error("\"addrgenmode\" takes eui64, none, stable_secret or random, not \"" + m + "\"")));
                }
                case "up" -> up = Optional.of(true);
                case "down" -> up = Optional.of(false);
                case "mtu" -> mtu = a.optInt(w, 68, 65535 * 4);
                case "address" -> mac = Optional.of(a.mac(a.value(w)));
                case "master" -> master = Optional.of(Names.ifname(a, a.value(w)));
                case "nomaster" -> nomaster = true;
                case "netns" -> netns = Optional.of(Names.netns(a, a.value(w)));
                case "name" -> newName = Optional.of(Names.ifname(a, a.value(w)));
                case "alias" -> alias = Optional.of(a.value(w));
                case "promisc" -> promisc = Optional.of(a.onOff(w));
                case "arp" -> arp = Optional.of(a.onOff(w));
                case "multicast" -> multicast = Optional.of(a.onOff(w));
                case "allmulticast" -> allmulticast = Optional.of(a.onOff(w));
                case "txqueuelen", "txqlen", "qlen" -> txq = a.optInt(w, 0, Integer.MAX_VALUE);
                // as in ip, "type KIND" takes every word after it as the kind's options
                case "type" -> typeOptions = Optional.of(typeOptions(a, a.value(w)));
                default -> dev = a.dev(dev, w);
            }
        }
        if (dev == null) throw a.error("missing device (\"link set dev NAME ...\")");
        if (master.isPresent() && nomaster) throw a.error("\"master\" and \"nomaster\" together");
        return new LinkSet(a.text(), dev, up, mtu, mac, master, nomaster, netns, newName, alias, promisc, arp, multicast, allmulticast, txq, addrGen, typeOptions);
    }

    /** {@code link set ... type bridge|bridge_slave OPTIONS}; other kinds' options on an existing link are refused. */
    private static LinkChange typeOptions(Args a, String kind) throws CliException {
        return switch (kind) {
            case "bridge" -> new LinkChange.BridgeOptions(BridgeKeywords.bridge(a));
            case "bridge_slave" -> new LinkChange.BridgePortOptions(BridgeKeywords.port(a));
            default -> throw a.unsupported("type " + kind);
        };
    }

    private static IpCommand del(Args a) throws CliException {
        String dev = null;
        Optional<String> type = Optional.empty();
        while (a.hasNext()) {
            String w = a.next();
            switch (w) {
                case "dev" -> dev = a.dev(dev, a.value(w));
                case "type" -> type = Optional.of(a.value(w));
                default -> dev = a.dev(dev, w);
            }
        }
        if (dev == null) throw a.error("missing device (\"link delete dev NAME\")");
        return new LinkDel(a.text(), dev, type);
    }

    private static IpCommand show(Args a) throws CliException {
        String dev = null;
        boolean up = false;
        Optional<String> type = Optional.empty(), master = Optional.empty();
        while (a.hasNext()) {
            String w = a.next();
            switch (w) {
                case "dev" -> dev = a.dev(dev, a.value(w));
                case "up" -> up = true;
                case "type" -> type = Optional.of(a.value(w));
                case "master" -> master = Optional.of(Names.ifname(a, a.value(w)));
                default -> dev = a.dev(dev, w);
            }
        }
        return new LinkShow(a.text(), Optional.ofNullable(dev), up, type, master);
    }
}
