package io.nslab.cli.run;

import io.nslab.cli.CliException;
import io.nslab.cli.out.LinkView;
import io.nslab.netlink.NlRequest;
import io.nslab.netlink.route.RtConst;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.netns.NetNsException;
import io.nslab.netlink.netns.NsIds;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.NlMessage;
import io.nslab.netlink.wire.NlWriter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static io.nslab.netlink.route.LinkConst.*;

/** Links as ip prints them, decoded from one RTM_GETLINK dump (flags, state, peer/parent, master, kind). */
final class LinkViews {
    private LinkViews() {}

    /** One decoded link before names are resolved. */
    private record Raw(int index, int type, int flags, Attrs attrs) {}

    private static final String[] OPERSTATES = {"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP"};
    private static final Map<Integer, String> ARPHRD = Map.ofEntries(
            Map.entry(1, "ether"), Map.entry(772, "loopback"), Map.entry(65534, "none"), Map.entry(768, "ipip"),
            Map.entry(776, "sit"), Map.entry(778, "gre"), Map.entry(823, "gre6"), Map.entry(769, "tunnel6"),
            Map.entry(512, "ppp"), Map.entry(65535, "void"), Map.entry(32, "infiniband"), Map.entry(801, "ieee802.11"));

    static List<LinkView> dump(NsSession s, String text) throws CliException {
        List<Raw> raws = raws(s, text);
        Map<Integer, String> names = new HashMap<>();
        Map<Integer, Integer> flags = new HashMap<>();
        known(raws, names, flags);
        s.ifindex.clear();
        names.forEach((i, n) -> s.ifindex.put(n, i));
        List<LinkView> out = new ArrayList<>();
        for (Raw r : raws) out.add(view(r, names, flags));
        return out;
    }

    /** Fills {@code names} and {@code flags} (IFF_*) by ifindex from one dump: what {@link #fromMessage} needs. */
    static void known(NsSession s, String text, Map<Integer, String> names, Map<Integer, Integer> flags) throws CliException {
        known(raws(s, text), names, flags);
    }

    private static void known(List<Raw> raws, Map<Integer, String> names, Map<Integer, Integer> flags) {
        for (Raw r : raws) {
            names.put(r.index, r.attrs.string(IFLA_IFNAME).orElse("if" + r.index));
            flags.put(r.index, r.flags);
        }
    }

    private static List<Raw> raws(NsSession s, String text) throws CliException {
        NlWriter w = new NlWriter(32);
        w.zeros(16);
        w.attrU32(IFLA_EXT_MASK, RtConst.RTEXT_FILTER_SKIP_STATS);
        List<Raw> raws = new ArrayList<>();
        try {
            for (NlMessage m : s.socket().dump(new NlRequest(RtConst.RTM_GETLINK, 0, w.toByteArray(), text))) {
                if (m.type() == RtConst.RTM_NEWLINK) raws.add(raw(m));
            }
        } catch (ErrnoException e) {
            throw Kernel.error(text, e);
        }
        return raws;
    }

    private static Raw raw(NlMessage m) {
        byte[] p = m.payload();
        ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.nativeOrder());
        return new Raw(b.getInt(4), b.getShort(2) & 0xffff, b.getInt(8), Attrs.parse(p, 16, p.length - 16));
    }

    /**
     * One link from a kernel notification ({@code monitor}), named with what
     * the caller knows: {@code names} and {@code flagsOf} by ifindex.
     */
    static LinkView fromMessage(NlMessage m, Map<Integer, String> names, Map<Integer, Integer> flagsOf) {
        return view(raw(m), names, flagsOf);
    }

    /** Names the peers' namespaces (ip's "link-netns NAME"): the nsid of each /run/netns entry as seen from {@code s}. */
    static List<LinkView> withNetnsNames(List<LinkView> links, NsSession s) throws CliException {
        if (links.stream().noneMatch(l -> l.linkNetnsid().isPresent())) return links;
        Map<Integer, String> byId = new HashMap<>();
        try {
            for (String n : NetNs.list()) {
                try (NetNs h = NetNs.open(n)) {
                    for (NlMessage m : s.socket().query(NsIds.getRequest(h.fd(), "netns id of " + n))) {
                        NsIds.parse(m).ifPresent(id -> byId.putIfAbsent(id, n));
                    }
                } catch (ErrnoException e) {
                    // gone meanwhile, or no id: printed as link-netnsid
                }
            }
        } catch (NetNsException e) {
            return links;
        }
        List<LinkView> out = new ArrayList<>();
        for (LinkView l : links) {
            String n = l.linkNetnsid().isPresent() ? byId.get(l.linkNetnsid().getAsInt()) : null;
            out.add(n == null ? l : l.withLinkNetns(n));
        }
        return out;
    }

    private static LinkView view(Raw r, Map<Integer, String> names, Map<Integer, Integer> flagsOf) {
        Attrs a = r.attrs;
        OptionalInt netnsid = a.u32(IFLA_LINK_NETNSID);
        Optional<String> link = Optional.empty();
        boolean linkDown = false;
        if (a.has(IFLA_LINK)) {
            int l = a.u32(IFLA_LINK).getAsInt();
            if (l == 0) link = Optional.of("NONE");
            else if (netnsid.isPresent()) link = Optional.of("if" + l);
            else {
                link = Optional.of(names.getOrDefault(l, "if" + l));
                linkDown = (flagsOf.getOrDefault(l, 0) & IFF_UP) == 0;
            }
        }
        int op = a.u8(IFLA_OPERSTATE).orElse(0);
        Attrs info = a.nested(IFLA_LINKINFO);
        Optional<String> kind = info.string(IFLA_INFO_KIND);
        Optional<String> slave = info.string(IFLA_INFO_SLAVE_KIND);
        return new LinkView(r.index, a.string(IFLA_IFNAME).orElse("if" + r.index), link, netnsid, flags(r.flags, linkDown),
                a.u32(IFLA_MTU).orElse(0), a.string(IFLA_QDISC), a.u32(IFLA_MASTER).stream().mapToObj(m -> names.getOrDefault(m, "if" + m)).findFirst(),
                op < OPERSTATES.length ? OPERSTATES[op] : Integer.toString(op), a.u32(IFLA_TXQLEN),
                ARPHRD.getOrDefault(r.type, "[" + r.type + "]"), a.bytes(IFLA_ADDRESS).map(LinkViews::mac),
                a.bytes(IFLA_BROADCAST).map(LinkViews::mac), a.string(IFLA_IFALIAS).filter(x -> !x.isEmpty()),
                kind, kindData(kind, info.nested(IFLA_INFO_DATA), names), slave, a.u32(IFLA_MIN_MTU), a.u32(IFLA_MAX_MTU), Optional.empty());
    }

    /** ip's flag list: NO-CARRIER first when up without carrier, RUNNING never shown, M-DOWN when the peer/parent is down. */
    static List<String> flags(int f, boolean linkDown) {
        List<String> out = new ArrayList<>();
        if ((f & IFF_UP) != 0 && (f & IFF_RUNNING) == 0) out.add("NO-CARRIER");
        int[] bits = {IFF_LOOPBACK, IFF_BROADCAST, IFF_POINTOPOINT, IFF_MULTICAST, IFF_NOARP, IFF_ALLMULTI, IFF_PROMISC,
                IFF_MASTER, IFF_SLAVE, IFF_DEBUG, IFF_DYNAMIC, IFF_AUTOMEDIA, IFF_PORTSEL, IFF_NOTRAILERS, IFF_UP,
                IFF_LOWER_UP, IFF_DORMANT, IFF_ECHO};
        String[] names = {"LOOPBACK", "BROADCAST", "POINTOPOINT", "MULTICAST", "NOARP", "ALLMULTI", "PROMISC", "MASTER",
                "SLAVE", "DEBUG", "DYNAMIC", "AUTOMEDIA", "PORTSEL", "NOTRAILERS", "UP", "LOWER_UP", "DORMANT", "ECHO"};
        for (int i = 0; i < bits.length; i++) if ((f & bits[i]) != 0) out.add(names[i]);
        if (linkDown) out.add("M-DOWN");
        return out;
    }

    /** The few kind-specific fields shown with -d, under ip -j's {@code info_data} keys. */
    private static Map<String, Object> kindData(Optional<String> kind, Attrs d, Map<Integer, String> names) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (kind.isEmpty() || d.isEmpty()) return m;
        switch (kind.get()) {
            case "vxlan" -> {
                d.u32(IFLA_VXLAN_ID).ifPresent(v -> m.put("id", v));
                d.ip(IFLA_VXLAN_GROUP).ifPresent(v -> m.put(v.isMulticastAddress() ? "group" : "remote", v.getHostAddress()));
                d.ip(IFLA_VXLAN_LOCAL).ifPresent(v -> m.put("local", v.getHostAddress()));
                d.u32(IFLA_VXLAN_LINK).ifPresent(v -> m.put("link", names.getOrDefault(v, "if" + v)));
                d.be16(IFLA_VXLAN_PORT).ifPresent(v -> m.put("port", v));
                d.u8(IFLA_VXLAN_LEARNING).ifPresent(v -> m.put("learning", v != 0));
            }
            case "macvlan", "macvtap" -> d.u32(IFLA_MACVLAN_MODE).ifPresent(v -> m.put("mode", switch (v) {
                case 1 -> "private"; case 2 -> "vepa"; case 4 -> "bridge"; case 8 -> "passthru"; case 16 -> "source"; default -> Integer.toString(v);
            }));
            case "ipvlan" -> d.u16(IFLA_IPVLAN_MODE).ifPresent(v -> m.put("mode", switch (v) {
                case 0 -> "l2"; case 1 -> "l3"; case 2 -> "l3s"; default -> Integer.toString(v);
            }));
            case "vlan" -> {
                d.be16(IFLA_VLAN_PROTOCOL).ifPresent(v -> m.put("protocol", v == 0x88a8 ? "802.1ad" : "802.1Q"));
                d.u16(IFLA_VLAN_ID).ifPresent(v -> m.put("id", v));
            }
            case "bridge" -> d.u32(IFLA_BR_STP_STATE).ifPresent(v -> m.put("stp_state", v));
            default -> { }
        }
        return m;
    }

    static String mac(byte[] b) {
        return HexFormat.ofDelimiter(":").formatHex(b);
    }
}
