package io.nslab.cli.run;

import io.nslab.cli.CliException;
import io.nslab.cli.ip.IpCommand.*;
import io.nslab.cli.out.LinkView;
import io.nslab.netlink.Links;
import io.nslab.netlink.NlRequest;
import io.nslab.netlink.netns.NetNsException;
import io.nslab.netlink.route.LinkChange;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkLayerAddress;
import io.nslab.netlink.route.LinkNetns;
import io.nslab.netlink.route.LinkRef;
import io.nslab.netlink.route.LinkRequests;
import io.nslab.netlink.route.LinkSpec;
import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.wire.Attrs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

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
        if (c.kind().orElse(null) instanceof VethArgs v && v.peer().netns().isPresent()) {
            return sessions.get(v.peer().netns(), c.text());
        }
        return c.netns().isPresent() ? sessions.get(c.netns(), c.text()) : s;
    }

    private static LinkNetns netnsFd(String ns, Sessions sessions, String text) throws CliException {
        NsSession t = sessions.get(Optional.of(ns), text);
        return LinkNetns.fd(t.netns().orElseThrow().fd());
    }

    private static LinkKind kind(LinkAdd c, NsSession s, Sessions sessions) throws CliException {
        KindArgs k = c.kind().orElseThrow();
        return switch (k) {
            case VethArgs v -> {
                LinkAdd p = v.peer();
                LinkKind.Veth veth = new LinkKind.Veth(p.name(), Optional.empty(), Optional.empty(), OptionalInt.empty());
                if (p.netns().isPresent()) veth = veth.withPeerNetns(netnsFd(p.netns().get(), sessions, c.text()));
                if (p.mac().isPresent()) veth = veth.withPeerAddress(LinkLayerAddress.parse(p.mac().get()));
                yield veth;
            }
            case BridgeArgs b -> new LinkKind.Bridge(b.stpState().stream().mapToObj(x -> x != 0).findFirst(),
                    b.vlanFiltering().stream().mapToObj(x -> x != 0).findFirst());
            case MacvlanArgs m -> new LinkKind.Macvlan(Optional.of(parent(c, s)),
                    LinkKind.MacvlanMode.valueOf(m.mode().orElse("vepa").toUpperCase(Locale.ROOT)), m.macvtap());
            case IpvlanArgs i -> new LinkKind.Ipvlan(Optional.of(parent(c, s)),
                    LinkKind.IpvlanMode.valueOf(i.mode().orElse("l3").toUpperCase(Locale.ROOT)),
                    i.flag().map(f -> switch (f) { case "private" -> 1; case "vepa" -> 2; default -> 0; }).orElse(0));
            case VlanArgs v -> new LinkKind.Vlan(Optional.of(parent(c, s)), v.id(),
                    v.protocol().map(p -> p.equalsIgnoreCase("802.1ad") ? LinkKind.VlanProtocol.DOT1AD : LinkKind.VlanProtocol.DOT1Q));
            case VxlanArgs x -> {
                LinkKind.Vxlan vx = new LinkKind.Vxlan(x.vni(), x.local(), x.remote(), x.group(), Optional.empty(), x.dstport(),
                        x.learning().orElse(true));
                if (x.dev().isPresent()) vx = vx.withDev(LinkRef.of(Kernel.index(s, x.dev().get(), c.text())));
                yield vx;
            }
            case TuntapArgs t -> new LinkKind.Tuntap(t.tap() ? LinkKind.TuntapMode.TAP : LinkKind.TuntapMode.TUN,
                    OptionalLong.empty(), OptionalLong.empty(), false, false, false);
            case PlainArgs p -> switch (p.kind()) {
                case "dummy" -> LinkKind.dummy();
                default -> new LinkKind.Other(p.kind(), Attrs.EMPTY);
            };
        };
    }

    private static LinkRef parent(LinkAdd c, NsSession s) throws CliException {
        return LinkRef.of(Kernel.index(s, c.parent().orElseThrow(), c.text()));
    }

    /** tun/tap: made through /dev/net/tun on a thread inside the namespace, like ip tuntap add. */
    static void addTuntap(String text, String name, LinkKind.Tuntap t, NsSession s) throws CliException {
        s.beforeLookup.run();
        Links links = s.rtnl().links();
        LinkSpec spec = LinkSpec.of(name, t);
        try {
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
        s.ifindex.remove(name);
        s.known.add(name);
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
        return new Planned(c.text(), List.of(LinkRequests.set(target, ch)), linksChange, e -> noDevice(e, dev));
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
        List<LinkView> all = LinkViews.dump(s, c.text());
        if (c.dev().isPresent() && all.stream().noneMatch(l -> l.ifname().equals(c.dev().get()))) {
            throw CliException.failed(c.text() + ": Device \"" + c.dev().get() + "\" does not exist.");
        }
        return all.stream()
                .filter(l -> c.dev().map(d -> d.equals(l.ifname())).orElse(true))
                .filter(l -> !c.upOnly() || l.flags().contains("UP"))
                .filter(l -> c.type().map(t -> l.kind().map(t::equals).orElse(false)).orElse(true))
                .filter(l -> c.master().map(m -> l.master().map(m::equals).orElse(false)).orElse(true))
                .toList();
    }
}
