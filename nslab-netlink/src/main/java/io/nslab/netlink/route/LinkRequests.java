package io.nslab.netlink.route;

import io.nslab.netlink.NlRequest;
import io.nslab.netlink.sys.LibC;
import io.nslab.netlink.wire.Netlink;
import io.nslab.netlink.wire.NlWriter;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static io.nslab.netlink.route.LinkConst.*;

/**
 * Pure builders of link requests, byte-for-byte what {@code ip link} sends
 * (iproute2 6.1) for the same operation. Nothing here does I/O: names of other
 * links (parent, master, VXLAN dev) must already be indexes and target
 * namespaces fds or pids; {@code Links} resolves those. Send the results with
 * {@code NlSocket.execute}/{@code executeAll} (changes) or {@code query} (get).
 */
public final class LinkRequests {
    private LinkRequests() {}

    /** RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS: what ip asks for on a single get. */
    static final int GET_EXT_MASK = RtConst.RTEXT_FILTER_VF | RtConst.RTEXT_FILTER_SKIP_STATS;

    /**
     * Creates a link (RTM_NEWLINK, NLM_F_CREATE|NLM_F_EXCL), like {@code ip
     * link add}. The kernel ignores IFLA_IFALIAS on creation, so a spec with
     * an alias is refused here: use {@link #create} (add, then set).
     */
    public static NlRequest add(LinkSpec s) {
        if (s.alias().isPresent()) {
            throw new IllegalArgumentException("link add " + s.name() + ": the kernel ignores an alias at creation; use LinkRequests.create");
        }
        NlWriter w = new NlWriter(128);
        ifinfomsg(w, 0, s.index().orElse(0), s.up() ? IFF_UP : 0, s.up() ? IFF_UP : 0);
        // ip's order: options in argument order, then IFLA_LINK, IFLA_IFNAME, IFLA_LINKINFO.
        s.address().ifPresent(a -> w.attr(IFLA_ADDRESS, a.bytes()));
        s.mtu().ifPresent(m -> w.attrU32(IFLA_MTU, m));
        s.txqlen().ifPresent(q -> w.attrU32(IFLA_TXQLEN, q));
        s.master().ifPresent(m -> w.attrU32(IFLA_MASTER, index(m, "master", s.name())));
        s.netns().ifPresent(ns -> writeNetns(w, ns, s.name()));
        parent(s.kind()).ifPresent(p -> w.attrU32(IFLA_LINK, index(p, "link", s.name())));
        w.attrString(IFLA_IFNAME, s.name());
        LinkKindCodec.writeLinkInfo(w, s.kind(), s.name());
        return new NlRequest(RtConst.RTM_NEWLINK, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL, w.toByteArray(), "link add " + s.name());
    }

    /**
     * Every request that creates the link of {@code s} as specified: the add,
     * then a set for what the kernel does not apply at creation (the alias).
     * For pipelined batches: they run in order on one socket.
     */
    public static List<NlRequest> create(LinkSpec s) {
        if (s.alias().isEmpty()) return List.of(add(s));
        NlRequest add = add(new LinkSpec(s.name(), s.kind(), s.index(), s.address(), s.mtu(), s.txqlen(), s.master(), s.netns(),
                Optional.empty(), s.up()));
        // After a move into another namespace the name is no longer found here; nothing to set then.
        if (s.netns().isPresent()) {
            throw new IllegalArgumentException("link add " + s.name() + ": an alias cannot be set on a link created in another namespace; set it there");
        }
        NlRequest alias = set(s.index().isPresent() ? LinkRef.of(s.index().getAsInt()) : LinkRef.of(s.name()), List.of(LinkChange.alias(s.alias().get())));
        return List.of(add, new NlRequest(alias.type(), alias.flags(), alias.body(), "link add " + s.name()));
    }

    /** The lower device a kind is stacked on (sent as IFLA_LINK). */
    static Optional<LinkRef> parent(LinkKind k) {
        return switch (k) {
            case LinkKind.Macvlan m -> m.parent();
            case LinkKind.Ipvlan m -> m.parent();
            case LinkKind.Vlan v -> v.parent();
            default -> Optional.empty();
        };
    }

    /** Changes a link, like {@code ip link set}. A link given by name is looked up by the kernel (no rename then). */
    public static NlRequest set(LinkRef link, List<LinkChange> changes) {
        if (changes.isEmpty()) throw new IllegalArgumentException("link set " + link + ": nothing to change");
        if (changes.stream().anyMatch(c -> c instanceof LinkChange.NetnsIndex) && changes.stream().noneMatch(c -> c instanceof LinkChange.Netns)) {
            throw new IllegalArgumentException("link set " + link + ": an ifindex in the target namespace needs a netns change");
        }
        int flags = 0, change = 0;
        for (LinkChange c : changes) {
            if (c instanceof LinkChange.Up) { flags |= IFF_UP; change |= IFF_UP; }
            if (c instanceof LinkChange.Down) { flags &= ~IFF_UP; change |= IFF_UP; }
            if (c instanceof LinkChange.Flag f) {
                flags = f.set() ? flags | f.mask() : flags & ~f.mask();
                change |= f.mask();
            }
        }
        String label = label(link);
        NlWriter w = new NlWriter(64);
        int index = link instanceof LinkRef.ByIndex i ? i.index() : 0;
        ifinfomsg(w, 0, index, flags, change);
        if (link instanceof LinkRef.ByName n) {
            for (LinkChange c : changes) {
                if (c instanceof LinkChange.Name) throw new IllegalArgumentException("link set " + n.name() + ": renaming needs the link's index");
            }
            w.attrString(IFLA_IFNAME, n.name());
        }
        for (LinkChange c : changes) {
            switch (c) {
                case LinkChange.Up u -> { }
                case LinkChange.Down d -> { }
                case LinkChange.Flag f -> { }
                case LinkChange.Mtu m -> w.attrU32(IFLA_MTU, m.mtu());
                case LinkChange.Address a -> w.attr(IFLA_ADDRESS, a.address().bytes());
                case LinkChange.Master m -> w.attrU32(IFLA_MASTER, index(m.master(), "master", label));
                case LinkChange.NoMaster m -> w.attrU32(IFLA_MASTER, 0);
                case LinkChange.Netns n -> writeNetns(w, n.netns(), label);
                case LinkChange.NetnsIndex n -> w.attrU32(IFLA_NEW_IFINDEX, n.index());
                case LinkChange.Name n -> w.attrString(IFLA_IFNAME, n.name());
                case LinkChange.Alias a -> w.attr(IFLA_IFALIAS, a.alias().getBytes(StandardCharsets.UTF_8));
                case LinkChange.Txqlen q -> w.attrU32(IFLA_TXQLEN, q.txqlen());
                case LinkChange.BridgeOptions b -> linkInfo(w, "bridge", IFLA_INFO_DATA, b.settings());
                // the kernel hands IFLA_INFO_SLAVE_DATA to the port's master (the bridge)
                case LinkChange.BridgePortOptions p -> linkInfo(w, "bridge_slave", IFLA_INFO_SLAVE_DATA, p.settings());
                case LinkChange.AddrGenMode g -> {
                    int spec = w.beginNest(IFLA_AF_SPEC);
                    int inet6 = w.beginNest(AddressFamily.INET6);
                    w.attrU8(IFLA_INET6_ADDR_GEN_MODE, g.mode().value);
                    w.endNest(inet6);
                    w.endNest(spec);
                }
            }
        }
        return new NlRequest(RtConst.RTM_NEWLINK, 0, w.toByteArray(), "link set " + label);
    }

    public static NlRequest set(String name, LinkChange... changes) { return set(LinkRef.of(name), List.of(changes)); }
    public static NlRequest set(int index, LinkChange... changes) { return set(LinkRef.of(index), List.of(changes)); }

    /** Deletes a link (RTM_DELLINK), by index like ip, or by name (the kernel looks it up). */
    public static NlRequest delete(LinkRef link) {
        NlWriter w = new NlWriter(48);
        ifinfomsg(w, 0, link instanceof LinkRef.ByIndex i ? i.index() : 0, 0, 0);
        if (link instanceof LinkRef.ByName n) w.attrString(IFLA_IFNAME, n.name());
        return new NlRequest(RtConst.RTM_DELLINK, 0, w.toByteArray(), "link del " + label(link));
    }

    public static NlRequest delete(String name) { return delete(LinkRef.of(name)); }
    public static NlRequest delete(int index) { return delete(LinkRef.of(index)); }

    /** Gets one link (RTM_GETLINK, not a dump), statistics skipped. */
    public static NlRequest get(LinkRef link) {
        NlWriter w = new NlWriter(48);
        ifinfomsg(w, 0, link instanceof LinkRef.ByIndex i ? i.index() : 0, 0, 0);
        if (link instanceof LinkRef.ByName n) w.attrString(IFLA_IFNAME, n.name());
        w.attrU32(IFLA_EXT_MASK, GET_EXT_MASK);
        return new NlRequest(RtConst.RTM_GETLINK, 0, w.toByteArray(), "link show " + label(link));
    }

    public static NlRequest get(String name) { return get(LinkRef.of(name)); }
    public static NlRequest get(int index) { return get(LinkRef.of(index)); }

    /** Dumps every link (send with {@code NlSocket.dump}), like {@code ip link show}. */
    public static NlRequest dump() {
        NlWriter w = new NlWriter(32);
        ifinfomsg(w, LibC.AF_PACKET, 0, 0, 0);
        w.attrU32(IFLA_EXT_MASK, RtConst.RTEXT_FILTER_VF);
        return new NlRequest(RtConst.RTM_GETLINK, 0, w.toByteArray(), "link show");
    }

    /**
     * The link dump of one address family, as {@code ip -6 addr show} sends it: the kernel answers AF_INET6 from
     * the IPv6 layer (name, MTU, operstate, lower link, IFLA_PROTINFO; no qdisc, group, master or link info), and
     * any other family with the full messages of {@link #dump()}.
     */
    public static NlRequest dump(int family) {
        NlWriter w = new NlWriter(16);
        ifinfomsg(w, family, 0, 0, 0);
        return new NlRequest(RtConst.RTM_GETLINK, 0, w.toByteArray(), "link show");
    }

    /** IFLA_LINKINFO { IFLA_INFO_KIND (as ip writes it: without its NUL), DATA { settings } }. */
    private static void linkInfo(NlWriter w, String kind, int dataType, List<BridgeSetting> settings) {
        int info = w.beginNest(IFLA_LINKINFO);
        w.attr(IFLA_INFO_KIND, kind.getBytes(StandardCharsets.US_ASCII));
        int data = w.beginNest(dataType);
        for (BridgeSetting s : settings) s.write(w);
        w.endNest(data);
        w.endNest(info);
    }

    /** How a link appears in error messages: its name, or "ifindex N". */
    static String label(LinkRef r) {
        return r instanceof LinkRef.ByName n ? n.name() : "ifindex " + ((LinkRef.ByIndex) r).index();
    }

    static void ifinfomsg(NlWriter w, int family, int index, int flags, int change) {
        w.u8(family).u8(0).u16(0).u32(index).u32(flags).u32(change);
    }

    static int index(LinkRef r, String role, String forName) {
        if (r instanceof LinkRef.ByIndex i) return i.index();
        throw new IllegalArgumentException("link " + forName + ": " + role + " \"" + ((LinkRef.ByName) r).name()
                + "\" must be resolved to an ifindex first (Links does this)");
    }

    static void writeNetns(NlWriter w, LinkNetns ns, String forName) {
        switch (ns) {
            case LinkNetns.Fd f -> w.attrU32(IFLA_NET_NS_FD, f.fd());
            case LinkNetns.Pid p -> w.attrU32(IFLA_NET_NS_PID, (int) p.pid());
            case LinkNetns.Name n -> throw new IllegalArgumentException("link " + forName + ": namespace \"" + n.name()
                    + "\" must be opened to an fd first (Links does this)");
            case LinkNetns.Path p -> throw new IllegalArgumentException("link " + forName + ": namespace " + p.path()
                    + " must be opened to an fd first (Links does this)");
        }
    }

}
