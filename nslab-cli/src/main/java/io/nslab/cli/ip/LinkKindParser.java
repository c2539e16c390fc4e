package io.nslab.cli.ip;

import io.nslab.cli.CliException;
import io.nslab.netlink.route.BridgeSetting;
import io.nslab.netlink.route.LinkConst;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkKind.IpvlanMode;
import io.nslab.netlink.route.LinkKind.MacvlanMode;
import io.nslab.netlink.route.LinkKind.VlanProtocol;
import io.nslab.netlink.route.LinkLayerAddress;
import io.nslab.netlink.route.LinkNetns;
import io.nslab.netlink.route.LinkRef;
import io.nslab.netlink.wire.Attrs;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

import static io.nslab.netlink.route.LinkConst.IPVLAN_F_PRIVATE;
import static io.nslab.netlink.route.LinkConst.IPVLAN_F_VEPA;

/**
 * {@code type KIND [KIND ARGS]} of {@code link add}, straight into the
 * library's {@link LinkKind}. Other links are named as typed
 * ({@link LinkRef.ByName} for a parent or a VXLAN dev, {@link LinkNetns.Name}
 * for a veth peer's namespace); the runner resolves them where the command runs.
 */
final class LinkKindParser {
    private LinkKindParser() {}

    /**
     * The kind {@code kind} with its arguments: every word left ({@code type} comes last in {@code link add}).
     * {@code parent} is what {@code link PARENT} named, for the stacked kinds.
     */
    static LinkKind parse(Args a, String kind, Optional<String> parent) throws CliException {
        Optional<LinkRef> lower = parent.map(LinkRef::of);
        return switch (kind) {
            case "veth" -> veth(a);
            case "bridge" -> bridge(a);
            case "macvlan", "macvtap" -> macvlan(a, lower, kind.equals("macvtap"));
            case "ipvlan", "ipvtap" -> ipvlan(a, lower);
            case "vlan" -> vlan(a, lower);
            case "vxlan" -> vxlan(a);
            case "tun", "tap" -> {
                if (a.hasNext()) throw a.unknown(a.next());
                yield kind.equals("tap") ? LinkKind.tap() : LinkKind.tun();
            }
            default -> {
                if (!kind.matches("[a-z0-9_]+")) throw a.refusedByKernel("invalid link type \"" + kind + "\"");
                if (a.hasNext()) throw a.error("nslab does not know the arguments of type \"" + kind + "\" (\"" + a.peek() + "\")");
                yield kind.equals("dummy") ? LinkKind.dummy() : new LinkKind.Other(kind, Attrs.EMPTY);
            }
        };
    }

    /** {@code peer [name] NAME [address MAC] [mtu N] [netns NS]}; any other peer option is refused. */
    private static LinkKind.Veth veth(Args a) throws CliException {
        LinkKind.Veth veth = LinkKind.veth();
        while (a.hasNext()) {
            String w = a.next();
            if (!w.equals("peer")) throw a.unknown(w);
            LinkParser.AddWords p = LinkParser.peer(a);
            veth = new LinkKind.Veth(p.name(), p.netns().map(LinkNetns::name), p.mac().map(LinkLayerAddress::parse), OptionalInt.empty(), p.mtu());
        }
        return veth;
    }

    /** ip's bridge options (BridgeKeywords.BRIDGE); stp_state and vlan_filtering are the model's own fields. */
    private static LinkKind.Bridge bridge(Args a) throws CliException {
        if (!a.hasNext()) return LinkKind.bridge();
        Optional<Boolean> stp = Optional.empty(), vf = Optional.empty();
        List<BridgeSetting> rest = new ArrayList<>();
        for (BridgeSetting s : BridgeKeywords.bridge(a)) {
            if (s.attr() == LinkConst.IFLA_BR_STP_STATE) stp = Optional.of(s.value() != 0);
            else if (s.attr() == LinkConst.IFLA_BR_VLAN_FILTERING) vf = Optional.of(s.value() != 0);
            else rest.add(s);
        }
        return new LinkKind.Bridge(stp, vf, rest);
    }

    private static Optional<Boolean> on(OptionalInt v) {
        return v.isPresent() ? Optional.of(v.getAsInt() != 0) : Optional.empty();
    }

    private static LinkKind.Macvlan macvlan(Args a, Optional<LinkRef> parent, boolean tap) throws CliException {
        MacvlanMode mode = MacvlanMode.VEPA;
        while (a.hasNext()) {
            String w = a.next();
            if (w.equals("mode")) {
                String m = a.value(w);
                if (!List.of("private", "vepa", "bridge", "passthru", "source").contains(m)) {
                    throw a.rejected("invalid macvlan mode \"" + m + "\" (private, vepa, bridge, passthru, source)");
                }
                mode = MacvlanMode.valueOf(m.toUpperCase(Locale.ROOT));
            } else if (!w.equals("nopromisc")) {
                throw a.unknown(w);
            }
        }
        return new LinkKind.Macvlan(parent, mode, tap);
    }

    /** ipvtap is made as an ipvlan (nslab has always done so). */
    private static LinkKind.Ipvlan ipvlan(Args a, Optional<LinkRef> parent) throws CliException {
        IpvlanMode mode = IpvlanMode.L3;
        int flags = 0;
        while (a.hasNext()) {
            String w = a.next();
            if (w.equals("mode")) {
                String m = a.value(w);
                if (!List.of("l2", "l3", "l3s").contains(m)) throw a.error("invalid ipvlan mode \"" + m + "\" (l2, l3, l3s)");
                mode = IpvlanMode.valueOf(m.toUpperCase(Locale.ROOT));
            } else if (List.of("bridge", "private", "vepa").contains(w)) {
                flags = switch (w) {
                    case "private" -> IPVLAN_F_PRIVATE;
                    case "vepa" -> IPVLAN_F_VEPA;
                    default -> 0;
                };
            } else {
                throw a.unknown(w);
            }
        }
        return new LinkKind.Ipvlan(parent, mode, flags);
    }

    private static LinkKind.Vlan vlan(Args a, Optional<LinkRef> parent) throws CliException {
        OptionalInt id = OptionalInt.empty();
        Optional<VlanProtocol> proto = Optional.empty();
        while (a.hasNext()) {
            String w = a.next();
            switch (w) {
                case "id" -> id = a.optInt(w, 0, 4094);
                case "protocol" -> {
                    String p = a.value(w);
                    if (!p.equalsIgnoreCase("802.1q") && !p.equalsIgnoreCase("802.1ad")) throw a.error("invalid vlan protocol \"" + p + "\" (802.1Q, 802.1ad)");
                    proto = Optional.of(p.equalsIgnoreCase("802.1ad") ? VlanProtocol.DOT1AD : VlanProtocol.DOT1Q);
                }
                default -> throw a.unknown(w);
            }
        }
        if (id.isEmpty()) throw a.refusedByKernel("missing \"id N\" for type vlan");
        return new LinkKind.Vlan(parent, id.getAsInt(), proto);
    }

    /** {@code ttl}/{@code hoplimit} are checked and not sent (nslab never has). */
    private static LinkKind.Vxlan vxlan(Args a) throws CliException {
        OptionalInt vni = OptionalInt.empty(), port = OptionalInt.empty();
        Optional<InetAddress> local = Optional.empty(), remote = Optional.empty(), group = Optional.empty();
        Optional<LinkRef> dev = Optional.empty();
        boolean learning = true;
        while (a.hasNext()) {
            String w = a.next();
            switch (w) {
                case "id", "vni" -> vni = a.optInt(w, 0, (1 << 24) - 1);
                case "local" -> local = Optional.of(a.addr(w, a.value(w)));
                case "remote" -> remote = Optional.of(a.addr(w, a.value(w)));
                case "group" -> group = Optional.of(a.addr(w, a.value(w)));
                case "dev" -> dev = Optional.of(LinkRef.of(Names.ifname(a, a.value(w))));
                case "dstport" -> port = a.optInt(w, 0, 65535);
                case "ttl", "hoplimit" -> {
                    String t = a.value(w);
                    if (!t.equals("inherit") && !t.equals("auto")) a.parseInt(w, t, 0, 255);
                }
                case "learning" -> learning = true;
                case "nolearning" -> learning = false;
                default -> throw a.unknown(w);
            }
        }
        if (vni.isEmpty()) throw a.refusedByKernel("missing \"id VNI\" for type vxlan");
        if (remote.isPresent() && group.isPresent()) throw a.error("vxlan takes \"remote\" or \"group\", not both");
        if (group.isPresent() && !group.get().isMulticastAddress()) throw a.error("vxlan group " + Inet.format(group.get()) + " is not a multicast address");
        if (remote.isPresent() && remote.get().isMulticastAddress()) throw a.error("vxlan remote " + Inet.format(remote.get()) + " is a multicast address (use \"group\")");
        return new LinkKind.Vxlan(vni.getAsInt(), local, remote, group, dev, port, learning);
    }
}
