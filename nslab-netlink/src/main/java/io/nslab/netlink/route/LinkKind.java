package io.nslab.netlink.route;

import io.nslab.netlink.wire.Attrs;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What kind of interface a link is (IFLA_INFO_KIND) and its kind-specific
 * settings (IFLA_INFO_DATA). The same records describe a link to create and a
 * link decoded from the kernel; fields the kernel does not report on a dump
 * (a veth's peer name, say) are empty there.
 */
public sealed interface LinkKind {
    /** The IFLA_INFO_KIND string ("veth", "bridge", ...). */
    String kind();

    /** A veth pair; the peer can be named, addressed, numbered and placed in another namespace at creation. */
    record Veth(Optional<String> peerName, Optional<LinkNetns> peerNetns, Optional<LinkLayerAddress> peerAddress,
                OptionalInt peerIndex) implements LinkKind {
        public Veth {
            peerName.ifPresent(LinkNames::check);
            peerIndex.ifPresent(i -> { if (i <= 0) throw new IllegalArgumentException("bad peer ifindex " + i); });
        }
        @Override public String kind() { return "veth"; }
        public Veth withPeerNetns(LinkNetns ns) { return new Veth(peerName, Optional.of(ns), peerAddress, peerIndex); }
        public Veth withPeerAddress(LinkLayerAddress a) { return new Veth(peerName, peerNetns, Optional.of(a), peerIndex); }
        public Veth withPeerIndex(int index) { return new Veth(peerName, peerNetns, peerAddress, OptionalInt.of(index)); }
    }

    /** A bridge; empty options keep the kernel's defaults. */
    record Bridge(Optional<Boolean> stp, Optional<Boolean> vlanFiltering) implements LinkKind {
        @Override public String kind() { return "bridge"; }
        public Bridge withStp(boolean on) { return new Bridge(Optional.of(on), vlanFiltering); }
        public Bridge withVlanFiltering(boolean on) { return new Bridge(stp, Optional.of(on)); }
    }

    enum MacvlanMode {
        PRIVATE(LinkConst.MACVLAN_MODE_PRIVATE), VEPA(LinkConst.MACVLAN_MODE_VEPA), BRIDGE(LinkConst.MACVLAN_MODE_BRIDGE),
        PASSTHRU(LinkConst.MACVLAN_MODE_PASSTHRU), SOURCE(LinkConst.MACVLAN_MODE_SOURCE);
        public final int value;
        MacvlanMode(int v) { value = v; }
        public static Optional<MacvlanMode> of(int v) {
            for (MacvlanMode m : values()) if (m.value == v) return Optional.of(m);
            return Optional.empty();
        }
        /** The keyword {@code ip} uses ("bridge", "vepa", ...). */
        public String keyword() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** A MACVLAN on {@code parent}; {@code macvtap} when {@code tap} (same attributes, kind "macvtap"). */
    record Macvlan(Optional<LinkRef> parent, MacvlanMode mode, boolean tap) implements LinkKind {
        @Override public String kind() { return tap ? "macvtap" : "macvlan"; }
    }

    enum IpvlanMode {
        L2(LinkConst.IPVLAN_MODE_L2), L3(LinkConst.IPVLAN_MODE_L3), L3S(LinkConst.IPVLAN_MODE_L3S);
        public final int value;
        IpvlanMode(int v) { value = v; }
        public static Optional<IpvlanMode> of(int v) {
            for (IpvlanMode m : values()) if (m.value == v) return Optional.of(m);
            return Optional.empty();
        }
        public String keyword() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** An IPVLAN on {@code parent}; flags 0 = bridge, IPVLAN_F_PRIVATE, IPVLAN_F_VEPA. */
    record Ipvlan(Optional<LinkRef> parent, IpvlanMode mode, int flags) implements LinkKind {
        @Override public String kind() { return "ipvlan"; }
    }

    enum VlanProtocol {
        DOT1Q(0x8100, "802.1Q"), DOT1AD(0x88a8, "802.1ad");
        public final int ethertype;
        public final String keyword;
        VlanProtocol(int e, String k) { ethertype = e; keyword = k; }
        public static Optional<VlanProtocol> of(int ethertype) {
            for (VlanProtocol p : values()) if (p.ethertype == ethertype) return Optional.of(p);
            return Optional.empty();
        }
    }

    /** An 802.1Q/802.1ad VLAN on {@code parent}; an empty protocol leaves the kernel's default (802.1Q). */
    record Vlan(Optional<LinkRef> parent, int id, Optional<VlanProtocol> protocol) implements LinkKind {
        public Vlan {
            if (id < 0 || id > 4094) throw new IllegalArgumentException("VLAN id " + id + " out of range 0-4094");
        }
        @Override public String kind() { return "vlan"; }
    }

    /**
     * A VXLAN: {@code remote} is a unicast peer, {@code group} a multicast group
     * (both travel in IFLA_VXLAN_GROUP/GROUP6, so at most one may be set).
     */
    record Vxlan(int vni, Optional<InetAddress> local, Optional<InetAddress> remote, Optional<InetAddress> group,
                 Optional<LinkRef> dev, OptionalInt dstPort, boolean learning) implements LinkKind {
        public Vxlan {
            if (vni < 0 || vni > 0xffffff) throw new IllegalArgumentException("VXLAN id " + vni + " out of range 0-16777215");
            if (remote.isPresent() && group.isPresent()) throw new IllegalArgumentException("VXLAN: remote and group are exclusive");
            group.ifPresent(g -> { if (!g.isMulticastAddress()) throw new IllegalArgumentException("VXLAN group " + g.getHostAddress() + " is not multicast"); });
            remote.ifPresent(r -> { if (r.isMulticastAddress()) throw new IllegalArgumentException("VXLAN remote " + r.getHostAddress() + " is multicast (use group)"); });
            dstPort.ifPresent(p -> { if (p < 0 || p > 65535) throw new IllegalArgumentException("bad VXLAN port " + p); });
        }
        @Override public String kind() { return "vxlan"; }
        public Vxlan withLocal(InetAddress a) { return new Vxlan(vni, Optional.of(a), remote, group, dev, dstPort, learning); }
        public Vxlan withRemote(InetAddress a) { return new Vxlan(vni, local, Optional.of(a), group, dev, dstPort, learning); }
        public Vxlan withGroup(InetAddress a) { return new Vxlan(vni, local, remote, Optional.of(a), dev, dstPort, learning); }
        public Vxlan withDev(LinkRef d) { return new Vxlan(vni, local, remote, group, Optional.of(d), dstPort, learning); }
        public Vxlan withDstPort(int p) { return new Vxlan(vni, local, remote, group, dev, OptionalInt.of(p), learning); }
        public Vxlan withLearning(boolean l) { return new Vxlan(vni, local, remote, group, dev, dstPort, l); }
    }

    enum TuntapMode {
        TUN(LinkConst.IFF_TUN), TAP(LinkConst.IFF_TAP);
        public final int flag;
        TuntapMode(int f) { flag = f; }
        public String keyword() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /**
     * A persistent TUN or TAP device. The kernel cannot create these over
     * rtnetlink; {@code Links.add} uses /dev/net/tun (TUNSETIFF, TUNSETOWNER,
     * TUNSETGROUP, TUNSETPERSIST) exactly like {@code ip tuntap add}.
     */
    record Tuntap(TuntapMode mode, OptionalLong owner, OptionalLong group, boolean pi, boolean vnetHdr,
                  boolean multiQueue) implements LinkKind {
        @Override public String kind() { return "tun"; }
        public Tuntap withOwner(long uid) { return new Tuntap(mode, OptionalLong.of(uid), group, pi, vnetHdr, multiQueue); }
        public Tuntap withGroup(long gid) { return new Tuntap(mode, owner, OptionalLong.of(gid), pi, vnetHdr, multiQueue); }
    }

    record Dummy() implements LinkKind {
        @Override public String kind() { return "dummy"; }
    }

    record Vrf(int table) implements LinkKind {
        @Override public String kind() { return "vrf"; }
    }

    /** A GRE tunnel (IPv4); ttl 0 inherits. */
    record Gre(Optional<Inet4Address> local, Optional<Inet4Address> remote, int ttl) implements LinkKind {
        public Gre {
            if (ttl < 0 || ttl > 255) throw new IllegalArgumentException("bad ttl " + ttl);
        }
        @Override public String kind() { return "gre"; }
    }

    /** An IP-in-IP tunnel; ttl 0 inherits. */
    record Ipip(Optional<Inet4Address> local, Optional<Inet4Address> remote, int ttl) implements LinkKind {
        public Ipip {
            if (ttl < 0 || ttl > 255) throw new IllegalArgumentException("bad ttl " + ttl);
        }
        @Override public String kind() { return "ipip"; }
    }

    /** Any other kind: its name and raw IFLA_INFO_DATA, sent and kept as they are. */
    record Other(String kind, Attrs data) implements LinkKind {}

    // ---- factories for the common cases ----

    static Veth veth(String peerName) { return new Veth(Optional.of(peerName), Optional.empty(), Optional.empty(), OptionalInt.empty()); }
    static Veth veth() { return new Veth(Optional.empty(), Optional.empty(), Optional.empty(), OptionalInt.empty()); }
    static Bridge bridge() { return new Bridge(Optional.empty(), Optional.empty()); }
    static Macvlan macvlan(LinkRef parent, MacvlanMode mode) { return new Macvlan(Optional.of(parent), mode, false); }
    static Macvlan macvtap(LinkRef parent, MacvlanMode mode) { return new Macvlan(Optional.of(parent), mode, true); }
    static Ipvlan ipvlan(LinkRef parent, IpvlanMode mode) { return new Ipvlan(Optional.of(parent), mode, 0); }
    static Vlan vlan(LinkRef parent, int id) { return new Vlan(Optional.of(parent), id, Optional.empty()); }
    static Vlan vlan(LinkRef parent, int id, VlanProtocol protocol) { return new Vlan(Optional.of(parent), id, Optional.of(protocol)); }
    static Vxlan vxlan(int vni) { return new Vxlan(vni, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), OptionalInt.empty(), true); }
    static Tuntap tun() { return new Tuntap(TuntapMode.TUN, OptionalLong.empty(), OptionalLong.empty(), false, false, false); }
    static Tuntap tap() { return new Tuntap(TuntapMode.TAP, OptionalLong.empty(), OptionalLong.empty(), false, false, false); }
    static Dummy dummy() { return new Dummy(); }
    static Vrf vrf(int table) { return new Vrf(table); }
    static Gre gre(Inet4Address local, Inet4Address remote) { return new Gre(Optional.ofNullable(local), Optional.ofNullable(remote), 0); }
    static Ipip ipip(Inet4Address local, Inet4Address remote) { return new Ipip(Optional.ofNullable(local), Optional.ofNullable(remote), 0); }

    /** A kernel build option ({@code CONFIG_VLAN_8021Q}) and the feature it provides ("802.1Q VLAN"). */
    record KernelOption(String config, String feature) {}

    /**
     * The kernel option that provides a kind, and what it is, for the error
     * when the kernel refuses it ("Unknown device type").
     */
    static Optional<KernelOption> kernelOption(String kind) {
        return Optional.ofNullable(switch (kind) {
            case "vlan" -> new KernelOption("CONFIG_VLAN_8021Q", "802.1Q VLAN");
            case "ipvlan" -> new KernelOption("CONFIG_IPVLAN", "IPVLAN");
            case "dummy" -> new KernelOption("CONFIG_DUMMY", "dummy interface");
            case "vrf" -> new KernelOption("CONFIG_NET_VRF", "VRF");
            case "gre", "gretap" -> new KernelOption("CONFIG_NET_IPGRE", "GRE tunnel");
            case "ipip" -> new KernelOption("CONFIG_NET_IPIP", "IP-in-IP tunnel");
            case "macvlan" -> new KernelOption("CONFIG_MACVLAN", "MACVLAN");
            case "macvtap" -> new KernelOption("CONFIG_MACVTAP", "MACVTAP");
            case "vxlan" -> new KernelOption("CONFIG_VXLAN", "VXLAN");
            case "veth" -> new KernelOption("CONFIG_VETH", "veth");
            case "bridge" -> new KernelOption("CONFIG_BRIDGE", "bridge");
            case "tun" -> new KernelOption("CONFIG_TUN", "TUN/TAP");
            default -> null;
        });
    }
}
