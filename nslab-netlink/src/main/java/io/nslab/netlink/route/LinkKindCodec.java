package io.nslab.netlink.route;

import io.nslab.netlink.wire.Attr;
import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.DecodeException;
import io.nslab.netlink.wire.NlWriter;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static io.nslab.netlink.route.LinkConst.*;

/**
 * IFLA_LINKINFO for each kind, both ways. Attribute order on encode follows
 * {@code ip link add} (iproute2 6.1), so requests match its bytes exactly.
 */
final class LinkKindCodec {
    private LinkKindCodec() {}

    /** Writes IFLA_LINKINFO { IFLA_INFO_KIND, IFLA_INFO_DATA } for a kind being created. */
    static void writeLinkInfo(NlWriter w, LinkKind kind, String forName) {
        int li = w.beginNest(IFLA_LINKINFO);
        // ip sends the kind without its NUL; the kernel accepts both.
        w.attr(IFLA_INFO_KIND, kind.kind().getBytes(StandardCharsets.UTF_8));
        switch (kind) {
            case LinkKind.Veth v -> {
                if (v.peerName().isPresent() || v.peerNetns().isPresent() || v.peerAddress().isPresent() || v.peerIndex().isPresent()
                        || v.peerMtu().isPresent()) {
                    int d = w.beginNest(IFLA_INFO_DATA);
                    int p = w.beginNest(VETH_INFO_PEER);
                    LinkRequests.ifinfomsg(w, 0, v.peerIndex().orElse(0), 0, 0);
                    // ip writes the peer's attributes in the order its words come, the name last;
                    // this is the order of "peer name B address MAC mtu N netns NS"
                    v.peerAddress().ifPresent(a -> w.attr(IFLA_ADDRESS, a.bytes()));
                    v.peerMtu().ifPresent(m -> w.attrU32(IFLA_MTU, m));
                    v.peerNetns().ifPresent(ns -> LinkRequests.writeNetns(w, ns, forName));
                    v.peerName().ifPresent(n -> w.attrString(IFLA_IFNAME, n));
                    w.endNest(p);
                    w.endNest(d);
                }
            }
            case LinkKind.Bridge b -> {
                if (b.stp().isPresent() || b.vlanFiltering().isPresent() || !b.settings().isEmpty()) {
                    int d = w.beginNest(IFLA_INFO_DATA);
                    b.stp().ifPresent(on -> BridgeSetting.stpState(on).write(w));
                    b.vlanFiltering().ifPresent(on -> BridgeSetting.vlanFiltering(on).write(w));
                    for (BridgeSetting x : b.settings()) x.write(w);
                    w.endNest(d);
                }
            }
            case LinkKind.Macvlan m -> {
                int d = w.beginNest(IFLA_INFO_DATA);
                w.attrU32(IFLA_MACVLAN_MODE, m.mode().value);
                w.endNest(d);
            }
            case LinkKind.Ipvlan m -> {
                int d = w.beginNest(IFLA_INFO_DATA);
                w.attrU16(IFLA_IPVLAN_MODE, m.mode().value);
                w.attrU16(IFLA_IPVLAN_FLAGS, m.flags());
                w.endNest(d);
            }
            case LinkKind.Vlan v -> {
                int d = w.beginNest(IFLA_INFO_DATA);
                v.protocol().ifPresent(p -> w.attrBe16(IFLA_VLAN_PROTOCOL, p.ethertype));
                w.attrU16(IFLA_VLAN_ID, v.id());
                w.endNest(d);
            }
            case LinkKind.Vxlan x -> {
                int d = w.beginNest(IFLA_INFO_DATA);
                x.dev().ifPresent(dev -> w.attrU32(IFLA_VXLAN_LINK, LinkRequests.index(dev, "vxlan dev", forName)));
                w.attrU32(IFLA_VXLAN_ID, x.vni());
                x.local().ifPresent(a -> w.attrIp(a instanceof Inet6Address ? IFLA_VXLAN_LOCAL6 : IFLA_VXLAN_LOCAL, a));
                x.remote().or(x::group).ifPresent(a -> w.attrIp(a instanceof Inet6Address ? IFLA_VXLAN_GROUP6 : IFLA_VXLAN_GROUP, a));
                w.attrU8(IFLA_VXLAN_LEARNING, x.learning() ? 1 : 0);
                x.dstPort().ifPresent(p -> w.attrBe16(IFLA_VXLAN_PORT, p));
                w.endNest(d);
            }
            case LinkKind.Tuntap t -> throw new IllegalArgumentException("link add " + forName
                    + ": tun/tap devices cannot be created over rtnetlink (the kernel refuses); use Links.add, which uses /dev/net/tun");
            case LinkKind.Dummy x -> { }
            case LinkKind.Vrf v -> {
                int d = w.beginNest(IFLA_INFO_DATA);
                w.attrU32(IFLA_VRF_TABLE, v.table());
                w.endNest(d);
            }
            case LinkKind.Gre g -> {
                // Every field ip sends for "type gre local A remote B" (zeros are its defaults).
                int d = w.beginNest(IFLA_INFO_DATA);
                w.attrU32(IFLA_GRE_IKEY, 0);
                w.attrU32(IFLA_GRE_OKEY, 0);
                w.attrU16(IFLA_GRE_IFLAGS, 0);
                w.attrU16(IFLA_GRE_OFLAGS, 0);
                w.attr(IFLA_GRE_LOCAL, v4(g.local()));
                w.attr(IFLA_GRE_REMOTE, v4(g.remote()));
                w.attrU8(IFLA_GRE_PMTUDISC, 1);
                w.attrU8(IFLA_GRE_TOS, 0);
                w.attrU8(IFLA_GRE_TTL, g.ttl());
                w.attrU32(IFLA_GRE_FWMARK, 0);
                w.attrU16(IFLA_GRE_ENCAP_TYPE, 0);
                w.attrU16(IFLA_GRE_ENCAP_FLAGS, 0);
                w.attrU16(IFLA_GRE_ENCAP_SPORT, 0);
                w.attrU16(IFLA_GRE_ENCAP_DPORT, 0);
                w.endNest(d);
            }
            case LinkKind.Ipip t -> {
                int d = w.beginNest(IFLA_INFO_DATA);
                w.attrU8(IFLA_IPTUN_PROTO, 0);
                w.attr(IFLA_IPTUN_LOCAL, v4(t.local()));
                w.attr(IFLA_IPTUN_REMOTE, v4(t.remote()));
                w.attrU8(IFLA_IPTUN_PMTUDISC, 1);
                w.attrU8(IFLA_IPTUN_TOS, 0);
                w.attrU8(IFLA_IPTUN_TTL, t.ttl());
                w.attrU32(IFLA_IPTUN_LINK, 0);
                w.attrU32(IFLA_IPTUN_FWMARK, 0);
                w.attrU16(IFLA_IPTUN_ENCAP_TYPE, 0);
                w.attrU16(IFLA_IPTUN_ENCAP_FLAGS, 0);
                w.attrU16(IFLA_IPTUN_ENCAP_SPORT, 0);
                w.attrU16(IFLA_IPTUN_ENCAP_DPORT, 0);
                w.endNest(d);
            }
            case LinkKind.Other o -> {
                if (!o.data().isEmpty()) w.attr(IFLA_INFO_DATA, o.data().encode());
            }
        }
        w.endNest(li);
    }

    private static byte[] v4(Optional<Inet4Address> a) {
        return a.map(InetAddress::getAddress).orElse(new byte[4]);
    }

    /** The kind of a decoded link, from IFLA_LINKINFO and (for stacked kinds) IFLA_LINK. */
    static Optional<LinkKind> decode(Attrs top) {
        Attrs info = top.nested(IFLA_LINKINFO);
        Optional<String> kindName = info.string(IFLA_INFO_KIND);
        if (kindName.isEmpty()) return Optional.empty();
        Attrs data = info.nested(IFLA_INFO_DATA);
        OptionalInt link = top.u32(IFLA_LINK);
        Optional<LinkRef> parent = link.isPresent() && link.getAsInt() > 0 ? Optional.of(LinkRef.of(link.getAsInt())) : Optional.empty();
        String k = kindName.get();
        return Optional.of(switch (LinkKind.Type.of(k).orElse(LinkKind.Type.OTHER)) {
            case VETH -> decodeVeth(data, link);
            case BRIDGE -> new LinkKind.Bridge(data.u32(IFLA_BR_STP_STATE).stream().mapToObj(v -> v != 0).findFirst(),
                    data.u8(IFLA_BR_VLAN_FILTERING).stream().mapToObj(v -> v != 0).findFirst());
            case MACVLAN, MACVTAP -> new LinkKind.Macvlan(parent,
                    LinkKind.MacvlanMode.of(data.u32(IFLA_MACVLAN_MODE).orElse(MACVLAN_MODE_VEPA)).orElse(LinkKind.MacvlanMode.VEPA),
                    k.equals(LinkKind.Type.MACVTAP.word()));
            case IPVLAN -> new LinkKind.Ipvlan(parent,
                    LinkKind.IpvlanMode.of(data.u16(IFLA_IPVLAN_MODE).orElse(IPVLAN_MODE_L3)).orElse(LinkKind.IpvlanMode.L3),
                    data.u16(IFLA_IPVLAN_FLAGS).orElse(0));
            case VLAN -> new LinkKind.Vlan(parent, data.u16(IFLA_VLAN_ID).orElse(0),
                    data.be16(IFLA_VLAN_PROTOCOL).stream().mapToObj(LinkKind.VlanProtocol::of).flatMap(Optional::stream).findFirst());
            case VXLAN -> decodeVxlan(data);
            case TUN -> new LinkKind.Tuntap(
                    data.u8(IFLA_TUN_TYPE).orElse(IFF_TUN) == IFF_TAP ? LinkKind.TuntapMode.TAP : LinkKind.TuntapMode.TUN,
                    uid(data.u32(IFLA_TUN_OWNER)), uid(data.u32(IFLA_TUN_GROUP)),
                    data.u8(IFLA_TUN_PI).orElse(0) != 0, data.u8(IFLA_TUN_VNET_HDR).orElse(0) != 0,
                    data.u8(IFLA_TUN_MULTI_QUEUE).orElse(0) != 0);
            case DUMMY -> new LinkKind.Dummy();
            case VRF -> new LinkKind.Vrf(data.u32(IFLA_VRF_TABLE).orElse(0));
            case GRE -> new LinkKind.Gre(ip4(data, IFLA_GRE_LOCAL), ip4(data, IFLA_GRE_REMOTE), data.u8(IFLA_GRE_TTL).orElse(0));
            case IPIP -> new LinkKind.Ipip(ip4(data, IFLA_IPTUN_LOCAL), ip4(data, IFLA_IPTUN_REMOTE), data.u8(IFLA_IPTUN_TTL).orElse(0));
            case OTHER -> new LinkKind.Other(k, data);
        });
    }

    /**
     * A veth: in a request, VETH_INFO_PEER carries the peer's ifinfomsg and
     * attributes; a kernel reply has no peer data, only IFLA_LINK (the peer's index).
     */
    private static LinkKind.Veth decodeVeth(Attrs data, OptionalInt link) {
        Optional<Attr> peer = data.get(VETH_INFO_PEER);
        if (peer.isEmpty()) {
            return new LinkKind.Veth(Optional.empty(), Optional.empty(), Optional.empty(),
                    link.isPresent() && link.getAsInt() > 0 ? link : OptionalInt.empty());
        }
        byte[] p = peer.get().bytes();
        if (p.length < Link.HEADER_LEN) throw new DecodeException("veth peer shorter than ifinfomsg", 0);
        int index = ByteBuffer.wrap(p).order(ByteOrder.nativeOrder()).getInt(4);
        Attrs pa = Attrs.parse(p, Link.HEADER_LEN, p.length - Link.HEADER_LEN);
        Optional<LinkNetns> ns = pa.u32(IFLA_NET_NS_FD).stream().mapToObj(LinkNetns::fd).findFirst()
                .or(() -> pa.u32(IFLA_NET_NS_PID).stream().mapToObj(v -> LinkNetns.pid(Integer.toUnsignedLong(v))).findFirst());
        return new LinkKind.Veth(pa.string(IFLA_IFNAME), ns, pa.bytes(IFLA_ADDRESS).map(LinkLayerAddress::of),
                index > 0 ? OptionalInt.of(index) : OptionalInt.empty(), pa.u32(IFLA_MTU));
    }

    private static OptionalLong uid(OptionalInt v) {
        // The kernel reports an owner/group only when set; (uid_t)-1 would mean "none" too.
        return v.isPresent() && v.getAsInt() != -1 ? OptionalLong.of(Integer.toUnsignedLong(v.getAsInt())) : OptionalLong.empty();
    }

    private static Optional<Inet4Address> ip4(Attrs a, int type) {
        return a.ip(type).filter(x -> x instanceof Inet4Address && !x.isAnyLocalAddress()).map(x -> (Inet4Address) x);
    }

    private static LinkKind.Vxlan decodeVxlan(Attrs data) {
        Optional<InetAddress> local = nonZero(data.ip(IFLA_VXLAN_LOCAL).or(() -> data.ip(IFLA_VXLAN_LOCAL6)));
        Optional<InetAddress> far = nonZero(data.ip(IFLA_VXLAN_GROUP).or(() -> data.ip(IFLA_VXLAN_GROUP6)));
        Optional<InetAddress> group = far.filter(InetAddress::isMulticastAddress);
        Optional<InetAddress> remote = far.filter(a -> !a.isMulticastAddress());
        OptionalInt link = data.u32(IFLA_VXLAN_LINK);
        Optional<LinkRef> dev = link.isPresent() && link.getAsInt() > 0 ? Optional.of(LinkRef.of(link.getAsInt())) : Optional.empty();
        return new LinkKind.Vxlan(data.u32(IFLA_VXLAN_ID).orElse(0), local, remote, group, dev, data.be16(IFLA_VXLAN_PORT),
                data.u8(IFLA_VXLAN_LEARNING).orElse(1) != 0);
    }

    private static Optional<InetAddress> nonZero(Optional<InetAddress> a) {
        return a.filter(x -> !x.isAnyLocalAddress());
    }

    /** Slave (port) data: IFLA_INFO_SLAVE_KIND / IFLA_INFO_SLAVE_DATA. */
    static Optional<LinkSlave> decodeSlave(Attrs top) {
        Attrs info = top.nested(IFLA_LINKINFO);
        Optional<String> kind = info.string(IFLA_INFO_SLAVE_KIND);
        if (kind.isEmpty()) return Optional.empty();
        Attrs data = info.nested(IFLA_INFO_SLAVE_DATA);
        if (kind.get().equals("bridge")) {
            return Optional.of(new LinkSlave.BridgePort(data.u8(IFLA_BRPORT_STATE).orElse(0), data.u16(IFLA_BRPORT_PRIORITY).orElse(0),
                    data.u32(IFLA_BRPORT_COST).orElse(0), data.u8(IFLA_BRPORT_LEARNING).orElse(0) != 0,
                    data.u8(IFLA_BRPORT_UNICAST_FLOOD).orElse(0) != 0, data.u8(IFLA_BRPORT_ISOLATED).orElse(0) != 0, data));
        }
        return Optional.of(new LinkSlave.Other(kind.get(), data));
    }

}
