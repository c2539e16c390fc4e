package io.nslab.cli.run;

import io.nslab.cli.CliException;
import io.nslab.cli.out.LinkStats;
import io.nslab.cli.out.LinkView;
import io.nslab.netlink.NlRequest;
import io.nslab.netlink.route.AddressFamily;
import io.nslab.netlink.route.Link;
import io.nslab.netlink.route.LinkLayerAddress;
import io.nslab.netlink.route.LinkRequests;
import io.nslab.netlink.route.RtConst;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.netns.NetNsException;
import io.nslab.netlink.netns.NsIds;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.wire.NlMessage;
import io.nslab.netlink.wire.NlWriter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static io.nslab.netlink.route.LinkConst.IFF_UP;
import static io.nslab.netlink.route.LinkConst.IFLA_CARRIER_CHANGES;
import static io.nslab.netlink.route.LinkConst.IFLA_EXT_MASK;
import static io.nslab.netlink.route.LinkConst.IFLA_GROUP;
import static io.nslab.netlink.route.LinkConst.IFLA_INET6_STATS;
import static io.nslab.netlink.route.LinkConst.IFLA_PROTINFO;
import static io.nslab.netlink.route.LinkConst.IFLA_STATS64;

/**
 * Links as ip prints them, from the library's decoded {@link Link}s of one
 * RTM_GETLINK dump (flags, state, peer/parent, master, kind), with the names
 * of the other links they point at.
 */
final class LinkViews {
    private LinkViews() {}

    static List<LinkView> dump(NsSession s, String text) throws CliException {
        return dump(s, text, false);
    }

    /** {@code stats}: with each link's counters (-s), which the dump otherwise leaves out. */
    static List<LinkView> dump(NsSession s, String text, boolean stats) throws CliException {
        return dump(s, text, stats, AddressFamily.UNSPEC, false);
    }

    /**
     * {@code family}: the dump ip sends for a family-filtered address listing. For AF_INET6 the kernel answers from
     * the IPv6 layer (no qdisc, group or master on the line: what {@code ip -6 addr} prints); any other family
     * asks for the full messages. {@code details}: with what -d prints of each link.
     */
    static List<LinkView> dump(NsSession s, String text, boolean stats, int family, boolean details) throws CliException {
        List<Link> links = links(s, text, stats, family);
        Map<Integer, String> names = new HashMap<>();
        Map<Integer, Integer> flags = new HashMap<>();
        known(links, names, flags);
        s.ifindex.clear();
        names.forEach((i, n) -> s.ifindex.put(n, i));
        // the IPv6 layer's messages carry no IFLA_TXQLEN: ip asks SIOCGIFTXQLEN per link, nslab the full dump once
        Map<Integer, Integer> txqlen = new HashMap<>();
        if (family == AddressFamily.INET6) {
            for (Link l : links(s, text, false, AddressFamily.UNSPEC)) l.txqlen().ifPresent(q -> txqlen.put(l.index(), q));
        }
        List<LinkView> out = new ArrayList<>();
        for (Link l : links) {
            Integer q = txqlen.get(l.index());
            out.add(view(l, names, flags, details, q == null ? l.txqlen() : OptionalInt.of(q)));
        }
        return out;
    }

    /** Fills {@code names} and {@code flags} (IFF_*) by ifindex from one dump: what {@link #fromMessage} needs. */
    static void known(NsSession s, String text, Map<Integer, String> names, Map<Integer, Integer> flags) throws CliException {
        known(links(s, text, false, AddressFamily.UNSPEC), names, flags);
    }

    private static void known(List<Link> links, Map<Integer, String> names, Map<Integer, Integer> flags) {
        for (Link l : links) {
            names.put(l.index(), name(l));
            flags.put(l.index(), l.flags());
        }
    }

    /** The link's name; {@code ifN} if the kernel sent none. */
    private static String name(Link l) {
        return l.name().isEmpty() ? "if" + l.index() : l.name();
    }

    private static List<Link> links(NsSession s, String text, boolean stats, int family) throws CliException {
        NlRequest request;
        if (family == AddressFamily.INET6) {
            request = LinkRequests.dump(AddressFamily.INET6);
        } else {
            NlWriter w = new NlWriter(32);
            w.zeros(16);
            w.attrU32(IFLA_EXT_MASK, stats ? 0 : RtConst.RTEXT_FILTER_SKIP_STATS);
            request = new NlRequest(RtConst.RTM_GETLINK, 0, w.toByteArray(), text);
        }
        List<Link> links = new ArrayList<>();
        try {
            for (NlMessage m : s.socket().dump(request)) {
                if (m.type() == RtConst.RTM_NEWLINK) links.add(Link.decode(m));
            }
        } catch (ErrnoException e) {
            throw Kernel.error(text, e);
        }
        return links;
    }

    /**
     * One link from a kernel notification ({@code monitor}), named with what
     * the caller knows: {@code names} and {@code flagsOf} by ifindex.
     */
    static LinkView fromMessage(NlMessage m, Map<Integer, String> names, Map<Integer, Integer> flagsOf) {
        Link l = Link.decode(m);
        return view(l, names, flagsOf, true, l.txqlen());
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

    private static LinkView view(Link l, Map<Integer, String> names, Map<Integer, Integer> flagsOf, boolean details,
                                 OptionalInt txqlen) {
        Optional<String> link = Optional.empty();
        boolean linkDown = false;
        if (l.linkNone()) {
            link = Optional.of("NONE");
        } else if (l.link().isPresent()) {
            int lower = l.link().getAsInt();
            if (l.linkNetnsId().isPresent()) link = Optional.of("if" + lower);
            else {
                link = Optional.of(names.getOrDefault(lower, "if" + lower));
                linkDown = (flagsOf.getOrDefault(lower, 0) & IFF_UP) == 0;
            }
        }
        return new LinkView(l.index(), name(l), link, l.linkNetnsId(), l.flagNames(linkDown),
                l.mtu().orElse(0), l.qdisc(), l.master().stream().mapToObj(m -> names.getOrDefault(m, "if" + m)).findFirst(),
                l.operState().name(), group(l), txqlen, l.linkTypeName(), l.address().map(LinkLayerAddress::toString),
                l.broadcast().map(LinkLayerAddress::toString), l.alias(), l.kindName(),
                details ? Optional.of(LinkDetailViews.of(l, names)) : Optional.empty(), Optional.empty(),
                stats(l));
    }

    private static Optional<String> group(Link l) {
        OptionalInt g = l.attrs().u32(IFLA_GROUP);
        return g.isPresent() ? Optional.of(DeviceGroups.name(g.getAsInt())) : Optional.empty();
    }

    /**
     * The link's counters; the IPv6 layer's message has none, and ip (get_rtnl_link_stats_rta) prints its
     * IFLA_INET6_STATS MIB in their place, all zero when even that is missing.
     */
    private static Optional<LinkStats> stats(Link l) {
        Optional<byte[]> s64 = l.attrs().bytes(IFLA_STATS64);
        if (s64.isPresent()) return Optional.of(LinkStats.decode(s64.get(), carrierChanges(l)));
        if (l.attrs().bytes(IFLA_PROTINFO).isEmpty()) return Optional.empty();
        return Optional.of(LinkStats.fromInet6Mib(l.attrs().nested(IFLA_PROTINFO).bytes(IFLA_INET6_STATS).orElse(new byte[0])));
    }

    private static OptionalLong carrierChanges(Link l) {
        OptionalInt c = l.attrs().u32(IFLA_CARRIER_CHANGES);
        return c.isPresent() ? OptionalLong.of(Integer.toUnsignedLong(c.getAsInt())) : OptionalLong.empty();
    }

    /** Refuses -d for a link whose details nslab cannot print exactly as ip does: one line naming the link and what. */
    static void requirePrintableDetails(List<LinkView> links, String text) throws CliException {
        for (LinkView l : links) {
            String why = l.details().flatMap(d -> d.refusal()).orElse(null);
            if (why != null) throw CliException.failed(text + ": -d: nslab cannot print " + why + " (link " + l.ifname() + ") as ip does");
        }
    }
}
