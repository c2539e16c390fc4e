package io.nslab.netlink.route;

import io.nslab.netlink.wire.Attrs;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Locale;
import java.util.List;
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
    /**
     * One constant per kind this library models: the word {@code ip link add
     * ... type WORD} and IFLA_INFO_KIND use for it and the kernel option that
     * provides it. Adding a kind adds a constant here, a record below
     * returning it, and its cases in {@code LinkKindCodec} (switches without a
     * default, so the compiler lists every place that needs one).
     */
    enum Type {
        VETH("veth", "CONFIG_VETH", "veth"),
        BRIDGE("bridge", "CONFIG_BRIDGE", "bridge"),
        MACVLAN("macvlan", "CONFIG_MACVLAN", "MACVLAN"),
        MACVTAP("macvtap", "CONFIG_MACVTAP", "MACVTAP"),
        IPVLAN("ipvlan", "CONFIG_IPVLAN", "IPVLAN"),
        VLAN("vlan", "CONFIG_VLAN_8021Q", "802.1Q VLAN"),
        VXLAN("vxlan", "CONFIG_VXLAN", "VXLAN"),
        /** TUN and TAP devices (one kind to the kernel; {@link TuntapMode} tells them apart). */
        TUN("tun", "CONFIG_TUN", "TUN/TAP"),
        DUMMY("dummy", "CONFIG_DUMMY", "dummy interface"),
        VRF("vrf", "CONFIG_NET_VRF", "VRF"),
        GRE("gre", "CONFIG_NET_IPGRE", "GRE tunnel"),
        IPIP("ipip", "CONFIG_NET_IPIP", "IP-in-IP tunnel"),
        /** A kind this library does not model ({@link Other}): its word is the record's. */
        OTHER("", "", "");

        private final String word;
        private final Optional<KernelOption> option;

        Type(String word, String config, String feature) {
            this.word = word;
            this.option = config.isEmpty() ? Optional.empty() : Optional.of(new KernelOption(config, feature));
        }

        /** The word as {@code ip} and IFLA_INFO_KIND spell it ("veth", "macvtap"); empty for {@link #OTHER}. */
        public String word() { return word; }

        /** The kernel build option that provides this kind; empty for {@link #OTHER}. */
        public Optional<KernelOption> kernelOption() { return option; }

        /** The modelled kind spelt {@code word} (case as the kernel spells it); empty for any other word. */
        public static Optional<Type> of(String word) {
            for (Type t : values()) if (t != OTHER && t.word.equals(word)) return Optional.of(t);
            return Optional.empty();
        }
    }

    /** This kind's descriptor. */
    Type type();

    /** The IFLA_INFO_KIND string ("veth", "bridge", ...): {@link #type()}'s word. */
    default String kind() { return type().word(); }

    /**
     * A veth pair; the peer can be named, addressed, numbered, given its own MTU and placed in another
     * namespace at creation.
     */
    record Veth(Optional<String> peerName, Optional<LinkNetns> peerNetns, Optional<LinkLayerAddress> peerAddress,
                OptionalInt peerIndex, OptionalInt peerMtu) implements LinkKind {
        public Veth {
            peerName.ifPresent(LinkNames::check);
            peerIndex.ifPresent(i -> { if (i <= 0) throw new IllegalArgumentException("bad peer ifindex " + i); });
            peerMtu.ifPresent(m -> { if (m <= 0) throw new IllegalArgumentException("bad peer mtu " + m); });
        }
        public Veth(Optional<String> peerName, Optional<LinkNetns> peerNetns, Optional<LinkLayerAddress> peerAddress, OptionalInt peerIndex) {
            this(peerName, peerNetns, peerAddress, peerIndex, OptionalInt.empty());
        }
        @Override public Type type() { return Type.VETH; }
        public Veth withPeerNetns(LinkNetns ns) { return new Veth(peerName, Optional.of(ns), peerAddress, peerIndex, peerMtu); }
        public Veth withPeerAddress(LinkLayerAddress a) { return new Veth(peerName, peerNetns, Optional.of(a), peerIndex, peerMtu); }
        public Veth withPeerIndex(int index) { return new Veth(peerName, peerNetns, peerAddress, OptionalInt.of(index), peerMtu); }
        public Veth withPeerMtu(int mtu) { return new Veth(peerName, peerNetns, peerAddress, peerIndex, OptionalInt.of(mtu)); }
    }

    /** A bridge; empty options keep the kernel's defaults. */
    record Bridge(Optional<Boolean> stp, Optional<Boolean> vlanFiltering, List<BridgeSetting> settings) implements LinkKind {
        /** {@code settings}: further IFLA_BR_* options (forward_delay, priority, ...), sent after these two, in order. */
        public Bridge {
            settings = List.copyOf(settings);
        }

        public Bridge(Optional<Boolean> stp, Optional<Boolean> vlanFiltering) { this(stp, vlanFiltering, List.of()); }

        @Override public Type type() { return Type.BRIDGE; }
        public Bridge withStp(boolean on) { return new Bridge(Optional.of(on), vlanFiltering, settings); }
        public Bridge withVlanFiltering(boolean on) { return new Bridge(stp, Optional.of(on), settings); }
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
        public String keyword() { return name().toLowerCase(Locale.ROOT); }
        /** The mode {@code ip} calls {@code keyword} (any case). */
        public static Optional<MacvlanMode> ofKeyword(String keyword) {
            for (MacvlanMode m : values()) if (m.keyword().equalsIgnoreCase(keyword)) return Optional.of(m);
            return Optional.empty();
        }
    }

    /** A MACVLAN on {@code parent}; {@code macvtap} when {@code tap} (same attributes, kind "macvtap"). */
    record Macvlan(Optional<LinkRef> parent, MacvlanMode mode, boolean tap) implements LinkKind {
        @Override public Type type() { return tap ? Type.MACVTAP : Type.MACVLAN; }
    }

    enum IpvlanMode {
        L2(LinkConst.IPVLAN_MODE_L2), L3(LinkConst.IPVLAN_MODE_L3), L3S(LinkConst.IPVLAN_MODE_L3S);
        public final int value;
        IpvlanMode(int v) { value = v; }
        public static Optional<IpvlanMode> of(int v) {
            for (IpvlanMode m : values()) if (m.value == v) return Optional.of(m);
            return Optional.empty();
        }
        /** The keyword {@code ip} uses ("l2", "l3", "l3s"). */
        public String keyword() { return name().toLowerCase(Locale.ROOT); }
        /** The mode {@code ip} calls {@code keyword} (any case). */
        public static Optional<IpvlanMode> ofKeyword(String keyword) {
            for (IpvlanMode m : values()) if (m.keyword().equalsIgnoreCase(keyword)) return Optional.of(m);
            return Optional.empty();
        }
    }

    /** An IPVLAN on {@code parent}; flags 0 = bridge, IPVLAN_F_PRIVATE, IPVLAN_F_VEPA. */
    record Ipvlan(Optional<LinkRef> parent, IpvlanMode mode, int flags) implements LinkKind {
        @Override public Type type() { return Type.IPVLAN; }
    }

    enum VlanProtocol {
        DOT1Q(0x8100, "802.1Q"), DOT1AD(0x88a8, "802.1ad");
        public final int ethertype;
        public final String keyword;
        VlanProtocol(int e, String k) { ethertype = e; keyword = k; }
        /** The keyword {@code ip} uses ("802.1Q", "802.1ad"). */
        public String keyword() { return keyword; }
        /** The protocol {@code ip} calls {@code keyword} (any case: "802.1q" too). */
        public static Optional<VlanProtocol> ofKeyword(String keyword) {
            for (VlanProtocol p : values()) if (p.keyword.equalsIgnoreCase(keyword)) return Optional.of(p);
            return Optional.empty();
        }
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
        @Override public Type type() { return Type.VLAN; }
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
        @Override public Type type() { return Type.VXLAN; }
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
        public String keyword() { return name().toLowerCase(Locale.ROOT); }
    }

    /**
     * A persistent TUN or TAP device. The kernel cannot create these over
     * rtnetlink; {@code Links.add} uses /dev/net/tun (TUNSETIFF, TUNSETOWNER,
     * TUNSETGROUP, TUNSETPERSIST) exactly like {@code ip tuntap add}.
     */
    record Tuntap(TuntapMode mode, OptionalLong owner, OptionalLong group, boolean pi, boolean vnetHdr,
                  boolean multiQueue, boolean oneQueue) implements LinkKind {
        /** Without IFF_ONE_QUEUE (the kernel keeps that flag in tun_flags and otherwise ignores it). */
        public Tuntap(TuntapMode mode, OptionalLong owner, OptionalLong group, boolean pi, boolean vnetHdr, boolean multiQueue) {
            this(mode, owner, group, pi, vnetHdr, multiQueue, false);
        }
        @Override public Type type() { return Type.TUN; }
        public Tuntap withOwner(long uid) { return new Tuntap(mode, OptionalLong.of(uid), group, pi, vnetHdr, multiQueue, oneQueue); }
        public Tuntap withGroup(long gid) { return new Tuntap(mode, owner, OptionalLong.of(gid), pi, vnetHdr, multiQueue, oneQueue); }
    }

    record Dummy() implements LinkKind {
        @Override public Type type() { return Type.DUMMY; }
    }

    record Vrf(int table) implements LinkKind {
        @Override public Type type() { return Type.VRF; }
    }

    /** A GRE tunnel (IPv4); ttl 0 inherits. */
    record Gre(Optional<Inet4Address> local, Optional<Inet4Address> remote, int ttl) implements LinkKind {
        public Gre {
            if (ttl < 0 || ttl > 255) throw new IllegalArgumentException("bad ttl " + ttl);
        }
        @Override public Type type() { return Type.GRE; }
    }

    /** An IP-in-IP tunnel; ttl 0 inherits. */
    record Ipip(Optional<Inet4Address> local, Optional<Inet4Address> remote, int ttl) implements LinkKind {
        public Ipip {
            if (ttl < 0 || ttl > 255) throw new IllegalArgumentException("bad ttl " + ttl);
        }
        @Override public Type type() { return Type.IPIP; }
    }

    /** Any other kind: its name and raw IFLA_INFO_DATA, sent and kept as they are. */
    record Other(String kind, Attrs data) implements LinkKind {
        @Override public Type type() { return Type.OTHER; }
    }

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
     * when the kernel refuses it ("Unknown device type"); see {@link Type#kernelOption()}.
     */
    static Optional<KernelOption> kernelOption(String kind) {
        // gretap is GRE's layer-2 twin, not modelled as a record of its own
        return Type.of(kind.equals("gretap") ? Type.GRE.word() : kind).flatMap(Type::kernelOption);
    }
}
