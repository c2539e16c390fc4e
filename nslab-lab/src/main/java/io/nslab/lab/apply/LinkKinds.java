package io.nslab.lab.apply;

import io.nslab.lab.plan.LinkSpec;
import io.nslab.lab.plan.NsRef;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkNetns;
import io.nslab.netlink.route.LinkRef;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** A planned link ({@link LinkSpec}) as the library's {@link LinkKind}: pure, one case per kind, no default. */
final class LinkKinds {
    private LinkKinds() {}

    /** The kind to create; a veth's peer goes to its namespace by name (or, for the host, by nslab's own pid). */
    static LinkKind of(LinkSpec s) {
        return switch (s) {
            case LinkSpec.Veth v -> veth(v, Optional.of(netns(v.peerNs())), OptionalInt.empty());
            case LinkSpec.Bridge b -> new LinkKind.Bridge(Optional.of(b.stp()), Optional.empty());
            case LinkSpec.Macvlan m -> LinkKind.macvlan(LinkRef.of(m.parent()), m.mode());
            case LinkSpec.Ipvlan m -> LinkKind.ipvlan(LinkRef.of(m.parent()), m.mode());
            case LinkSpec.Vlan v -> LinkKind.vlan(LinkRef.of(v.parent()), v.id(), v.proto());
            case LinkSpec.Vxlan v -> new LinkKind.Vxlan(v.vni(), v.local().map(IpPrefix::parseAddress), v.remote().map(IpPrefix::parseAddress),
                    v.group().map(IpPrefix::parseAddress), v.dev().map(LinkRef::of), OptionalInt.of(v.dstPort()), v.learning());
            case LinkSpec.Tuntap t -> new LinkKind.Tuntap(t.mode(),
                    t.owner().isPresent() ? OptionalLong.of(t.owner().getAsInt()) : OptionalLong.empty(),
                    t.group().isPresent() ? OptionalLong.of(t.group().getAsInt()) : OptionalLong.empty(), false, false, false);
        };
    }

    /** A veth whose peer is made in {@code peerNs} (empty: beside it) with ifindex {@code peerIndex} if given. */
    static LinkKind.Veth veth(LinkSpec.Veth v, Optional<LinkNetns> peerNs, OptionalInt peerIndex) {
        return new LinkKind.Veth(Optional.of(v.peer()), peerNs, Optional.empty(), peerIndex);
    }

    /** Where a link goes when moved to {@code ns}. */
    static LinkNetns netns(NsRef ns) {
        // the namespace nslab runs in is the one of its main thread (workers setns, the main thread never does)
        return ns.isHost() ? LinkNetns.path("/proc/" + ProcessHandle.current().pid() + "/ns/net") : LinkNetns.name(ns.name());
    }
}
