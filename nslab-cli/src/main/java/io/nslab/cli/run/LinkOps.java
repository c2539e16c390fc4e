package io.nslab.cli.run;

import io.nslab.cli.CliException;
import io.nslab.cli.ip.IpCommand.LinkAdd;
import io.nslab.cli.ip.IpCommand.LinkDel;
import io.nslab.cli.ip.IpCommand.LinkSet;
import io.nslab.cli.ip.IpCommand.LinkShow;
import io.nslab.cli.ip.IpCommand.TuntapDel;
import io.nslab.cli.out.LinkView;
import io.nslab.netlink.route.AddressFamily;
import io.nslab.netlink.Links;
import io.nslab.netlink.NlRequest;
import io.nslab.netlink.netns.NetNsException;
import io.nslab.netlink.route.LinkChange;
import io.nslab.netlink.route.LinkConst;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkLayerAddress;
import io.nslab.netlink.route.LinkNetns;
import io.nslab.netlink.route.LinkRef;
import io.nslab.netlink.route.LinkRequests;
import io.nslab.netlink.route.LinkSpec;
import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code link add/set/del/show} and {@code tuntap add/del/show}. */
final class LinkOps {
    private LinkOps() {}

    static Planned planAdd(LinkAdd c, NsSession s, Sessions sessions) throws CliException {
        String name = c.name().orElseThrow(() -> CliException.usage(c.text() + ": give the new interface a name"));
        LinkKind kind = kind(c, s, sessions);
        if (kind instanceof LinkKind.Tuntap) throw new IllegalStateException("tun/tap is not pipelined");
        LinkSpec spec = LinkSpec.of(name, kind);
        if (c.mac().isPresent()) spec = spec.withAddress(LinkLayerAddress.parse(c.mac().get()));
        if (c.mtu().isPresent()) spec = spec.withMtu(c.mtu().getAsInt());
        if (c.txqlen().isPresent()) spec = spec.withTxqlen(c.txqlen().getAsInt());
        if (c.netns().isPresent()) spec = spec.withNetns(netnsFd(c.netns().get(), sessions, c.text()));
        if (c.master().isPresent()) spec = spec.withMaster(LinkRef.of(Kernel.index(s, c.master().get(), c.text())));
        if (c.up()) spec = spec.withUp(true);
        NsSession home = c.netns().isPresent() ? sessions.get(c.netns(), c.text()) : s;
        home.ifindex.remove(name);
        home.known.add(name);
        // In a namespace this run made, links get the next free index explicitly: later lines need no look-up.
        OptionalInt idx = home.claimIndex(name);
        if (idx.isPresent()) spec = spec.withIndex(idx.getAsInt());
        if (kind instanceof LinkKind.Veth v && v.peerName().isPresent()) {
            NsSession peer = peerSession(c, s, sessions);
            peer.ifindex.remove(v.peerName().get());
            peer.known.add(v.peerName().get());
            OptionalInt pidx = peer.claimIndex(v.peerName().get());
            if (pidx.isPresent()) spec = spec.withKind(((LinkKind.Veth) spec.kind()).withPeerIndex(pidx.getAsInt()));
        }
        NlRequest r = LinkRequests.add(spec);
        LinkKind k = kind;
        return new Planned(c.text(), List.of(r), true, e -> Links.explain(k, e));
    }

    private static NsSession peerSession(LinkAdd c, NsSession s, Sessions sessions) throws CliException {
        if (c.kind().orElse(null) instanceof LinkKind.Veth v && v.peerNetns().orElse(null) instanceof LinkNetns.Name n) {
            return sessions.get(Optional.of(n.name()), c.text());
        }
        return c.netns().isPresent() ? sessions.get(c.netns(), c.text()) : s;
    }

    private static LinkNetns netnsFd(String ns, Sessions sessions, String text) throws CliException {
        NsSession t = sessions.get(Optional.of(ns), text);
        return LinkNetns.fd(t.netns().orElseThrow().fd());
    }

    /** The parsed kind with what it names resolved here: a peer's namespace to an fd, a parent or VXLAN dev to an ifindex. */
    private static LinkKind kind(LinkAdd c, NsSession s, Sessions sessions) throws CliException {
        LinkKind k = c.kind().orElseThrow();
        return switch (k) {
            case LinkKind.Veth v when v.peerNetns().orElse(null) instanceof LinkNetns.Name n ->
                    new LinkKind.Veth(v.peerName(), Optional.of(netnsFd(n.name(), sessions, c.text())), v.peerAddress(), v.peerIndex(), v.peerMtu());
            case LinkKind.Macvlan m -> new LinkKind.Macvlan(Optional.of(index(m.parent().orElseThrow(), c, s)), m.mode(), m.tap());
            case LinkKind.Ipvlan i -> new LinkKind.Ipvlan(Optional.of(index(i.parent().orElseThrow(), c, s)), i.mode(), i.flags());
            case LinkKind.Vlan v -> new LinkKind.Vlan(Optional.of(index(v.parent().orElseThrow(), c, s)), v.id(), v.protocol());
            case LinkKind.Vxlan x when x.dev().isPresent() -> x.withDev(index(x.dev().get(), c, s));
            default -> k;
        };
    }

    /** A link named in the command, as an ifindex in {@code s}. */
    private static LinkRef index(LinkRef r, LinkAdd c, NsSession s) throws CliException {
        return switch (r) {
            case LinkRef.ByName n -> LinkRef.of(Kernel.index(s, n.name(), c.text()));
            case LinkRef.ByIndex i -> i;
        };
    }

    /** tun/tap: made through /dev/net/tun on a thread inside the namespace, like ip tuntap add. */
    /** {@code name} empty: the kernel names the device (tun0, tap1, ...), as ip tuntap add without a name. */
    static void addTuntap(String text, Optional<String> name, LinkKind.Tuntap t, NsSession s) throws CliException {
        s.beforeLookup.run();
        Links links = s.rtnl().links();
        try {
            if (name.isEmpty()) {
                String made = s.netns().isPresent() ? s.netns().get().call(() -> links.addTuntap(t)) : links.addTuntap(t);
                s.known.add(made);
                s.fresh = false;
                return;
            }
            LinkSpec spec = LinkSpec.of(name.get(), t);
            if (s.netns().isPresent()) {
                s.netns().get().run(() -> links.add(spec));
            } else {
                links.add(spec);
            }
        } catch (NetNsException e) {
            throw CliException.failed(text + ": " + e.getMessage());
        } catch (ErrnoException e) {
            throw Kernel.error(text, e);
        }
        s.ifindex.remove(name.get());
        s.known.add(name.get());
        s.fresh = false;
    }

    /** ip tuntap del's ioctls, on the namespace's thread; as iptuntap.c, any failure is status 1. */
    static void delTuntap(TuntapDel c, NsSession s) throws CliException {
        s.beforeLookup.run();
        Links links = s.rtnl().links();
        LinkKind.Tuntap t = new LinkKind.Tuntap(c.tap() ? LinkKind.TuntapMode.TAP : LinkKind.TuntapMode.TUN,
                OptionalLong.empty(), OptionalLong.empty(), c.pi(), c.vnetHdr(), c.multiQueue(), c.oneQueue());
        String name = c.name().orElse("");
        try {
            if (s.netns().isPresent()) s.netns().get().run(() -> links.deleteTuntap(name, t));
            else links.deleteTuntap(name, t);
        } catch (NetNsException e) {
            throw CliException.usage(c.text() + ": " + e.getMessage());
        } catch (ErrnoException e) {
            throw CliException.usage(c.text() + ": " + Errno.describe(e.errno()));
        }
        s.ifindex.remove(name);
        s.known.remove(name);
        s.fresh = false;
    }

    static Planned planSet(LinkSet c, NsSession s, Sessions sessions) throws CliException {
        Kernel.requireExists(s, c.dev(), c.text());
        List<LinkChange> ch = new ArrayList<>();
        c.up().ifPresent(u -> ch.add(u ? LinkChange.up() : LinkChange.down()));
        c.mtu().ifPresent(m -> ch.add(LinkChange.mtu(m)));
        if (c.mac().isPresent()) ch.add(LinkChange.address(c.mac().get()));
        if (c.master().isPresent()) ch.add(LinkChange.master(Kernel.index(s, c.master().get(), c.text())));
        if (c.nomaster()) ch.add(LinkChange.noMaster());
        if (c.alias().isPresent()) ch.add(LinkChange.alias(c.alias().get()));
        c.txqlen().ifPresent(q -> ch.add(LinkChange.txqlen(q)));
        boolean linksChange = false;
        if (c.netns().isPresent()) {
            NsSession target = sessions.get(c.netns(), c.text());
            ch.add(LinkChange.netns(LinkNetns.fd(target.netns().orElseThrow().fd())));
            target.ifindex.remove(c.newName().orElse(c.dev()));
            target.known.add(c.newName().orElse(c.dev()));
            target.fresh = false; // a moved link keeps its index if free there: no longer predictable
            linksChange = true;
        }
        c.promisc().ifPresent(on -> ch.add(LinkChange.promisc(on)));
        c.arp().ifPresent(on -> ch.add(LinkChange.arp(on)));
        c.multicast().ifPresent(on -> ch.add(LinkChange.multicast(on)));
        c.allmulticast().ifPresent(on -> ch.add(LinkChange.allmulticast(on)));
        c.addrGenMode().ifPresent(m -> ch.add(LinkChange.addrGenMode(m)));
        c.typeOptions().ifPresent(ch::add);
        LinkRef target = LinkRef.of(c.dev());
        if (c.newName().isPresent()) {
            target = LinkRef.of(Kernel.index(s, c.dev(), c.text()));
            ch.add(LinkChange.name(c.newName().get()));
            s.ifindex.remove(c.newName().get());
            linksChange = true;
        }
        if (linksChange) {
            Integer old = s.ifindex.remove(c.dev());
            if (old != null && c.newName().isPresent() && c.netns().isEmpty()) s.ifindex.put(c.newName().get(), old);
            s.known.remove(c.dev());
            if (c.newName().isPresent() && c.netns().isEmpty()) s.known.add(c.newName().get());
        }
        if (ch.isEmpty()) return new Planned(c.text(), List.of(), false, e -> e);
        String dev = c.dev();
        // vlan_filtering on a kernel without CONFIG_BRIDGE_VLAN_FILTERING: named as link add names it
        boolean vlanFiltering = c.typeOptions().orElse(null) instanceof LinkChange.BridgeOptions b
                && b.settings().stream().anyMatch(x -> x.attr() == LinkConst.IFLA_BR_VLAN_FILTERING && x.value() != 0);
        return new Planned(c.text(), List.of(LinkRequests.set(target, ch)), linksChange,
                e -> vlanFiltering ? Links.explain(LinkKind.bridge().withVlanFiltering(true), noDevice(e, dev)) : noDevice(e, dev));
    }

    static Planned planDel(LinkDel c, NsSession s) throws CliException {
        Kernel.requireExists(s, c.dev(), c.text());
        s.ifindex.remove(c.dev());
        s.known.remove(c.dev());
        String dev = c.dev();
        return new Planned(c.text(), List.of(LinkRequests.delete(c.dev())), true, e -> noDevice(e, dev));
    }

    /** The kernel's bare ENODEV for a link given by name, said as ip says it. */
    static ErrnoException noDevice(ErrnoException e, String dev) {
        if (e.is(Errno.ENODEV) && e.detail().isEmpty()) return new ErrnoException(e.call(), Errno.ENODEV, "Cannot find device \"" + dev + "\"");
        return e;
    }

    static List<LinkView> show(LinkShow c, NsSession s) throws CliException {
        return show(c, s, false);
    }

    /** {@code stats}: with the counters (-s). */
    static List<LinkView> show(LinkShow c, NsSession s, boolean stats) throws CliException {
        return show(c, s, stats, AddressFamily.UNSPEC, false);
    }

    /**
     * {@code family}: the link dump's family ({@link LinkViews#dump(NsSession, String, boolean, int, boolean)});
     * {@code details}: with what -d prints, refused for a listed link nslab cannot print as ip does.
     */
    /** The ifindexes ip's "up" filter leaves out, which it lists in -j as empty objects (Printer). */
    static Set<Integer> withheld(List<LinkView> links, boolean upOnly) {
        if (!upOnly) return Set.of();
        return links.stream().filter(l -> !l.flags().contains("UP")).map(LinkView::ifindex).collect(Collectors.toSet());
    }

    static List<LinkView> show(LinkShow c, NsSession s, boolean stats, int family, boolean details) throws CliException {
        List<LinkView> all = LinkViews.dump(s, c.text(), stats, family, details);
        // as ip: exit status 1 for a device that is not there
        if (c.dev().isPresent() && all.stream().noneMatch(l -> l.ifname().equals(c.dev().get()))) {
            throw CliException.usage(c.text() + ": Device \"" + c.dev().get() + "\" does not exist.");
        }
        List<LinkView> shown = all.stream()
                .filter(l -> c.dev().map(d -> d.equals(l.ifname())).orElse(true))
                .filter(l -> !c.upOnly() || l.flags().contains("UP"))
                .filter(l -> c.type().map(t -> l.kind().map(t::equals).orElse(false)).orElse(true))
                .filter(l -> c.master().map(m -> l.master().map(m::equals).orElse(false)).orElse(true))
                .toList();
        if (details) LinkViews.requirePrintableDetails(shown, c.text());
        return shown;
    }
}
