package io.nslab.netlink.route;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One change {@code ip link set} can make. Several changes to one link travel
 * in a single request.
 */
public sealed interface LinkChange {
    record Up() implements LinkChange {}
    record Down() implements LinkChange {}
    record Mtu(int mtu) implements LinkChange {
        public Mtu { if (mtu <= 0) throw new IllegalArgumentException("bad mtu " + mtu); }
    }
    record Address(LinkLayerAddress address) implements LinkChange {}
    /** Enslave to a bridge (or VRF...); a name is resolved by {@code Links}. */
    record Master(LinkRef master) implements LinkChange {}
    record NoMaster() implements LinkChange {}
    /** Move into another namespace. */
    record Netns(LinkNetns netns) implements LinkChange {}
    /** With {@link Netns}: the ifindex the link takes in the target namespace (IFLA_NEW_IFINDEX). */
    record NetnsIndex(int index) implements LinkChange {
        public NetnsIndex { if (index <= 0) throw new IllegalArgumentException("bad ifindex " + index); }
    }
    /** Rename; needs the link's index (a name lookup is done by {@code Links}). */
    record Name(String name) implements LinkChange {
        public Name { LinkNames.check(name); }
    }
    /** Set the alias; an empty string clears it. */
    record Alias(String alias) implements LinkChange {
        public Alias {
            if (alias.getBytes(StandardCharsets.UTF_8).length >= 256) throw new IllegalArgumentException("alias longer than 255 bytes");
        }
    }
    record Txqlen(int txqlen) implements LinkChange {}
    /**
     * Sets or clears one interface flag that {@code ip link set} turns on and
     * off: IFF_PROMISC, IFF_NOARP, IFF_MULTICAST or IFF_ALLMULTI (in
     * ifi_flags, with the same bit in ifi_change). IFF_UP has {@link Up}/{@link Down}.
     */
    record Flag(int mask, boolean set) implements LinkChange {
        public Flag {
            if (mask != LinkConst.IFF_PROMISC && mask != LinkConst.IFF_NOARP && mask != LinkConst.IFF_MULTICAST && mask != LinkConst.IFF_ALLMULTI)
                throw new IllegalArgumentException("not a flag ip link set changes: 0x" + Integer.toHexString(mask));
        }
    }

    /**
     * How the kernel makes the link's IPv6 link-local address
     * ({@code ip link set DEV addrgenmode MODE}); NONE makes none, so the link
     * sends no DAD probe, MLD report or router solicitation of its own.
     */
    record AddrGenMode(Inet6AddrGen mode) implements LinkChange {
        public AddrGenMode { Objects.requireNonNull(mode); }
    }

    /**
     * Options of a bridge ({@code ip link set BR type bridge vlan_filtering 1
     * stp_state 1 ...}): IFLA_BR_* attributes, sent in the given order inside
     * IFLA_LINKINFO { IFLA_INFO_KIND "bridge", IFLA_INFO_DATA }.
     */
    record BridgeOptions(List<BridgeSetting> settings) implements LinkChange {
        public BridgeOptions {
            settings = List.copyOf(settings);
            if (settings.isEmpty()) throw new IllegalArgumentException("no bridge options");
        }
    }

    /**
     * Options of a bridge port ({@code ip link set DEV type bridge_slave cost 7
     * hairpin on ...}): IFLA_BRPORT_* attributes, sent in the given order inside
     * IFLA_LINKINFO { IFLA_INFO_KIND "bridge_slave", IFLA_INFO_SLAVE_DATA }; the
     * kernel hands them to the port's master. Hairpin mode, for one, lets the
     * bridge send a frame back out of the port it came in by, which a container
     * reaching its own published port through the host needs.
     */
    record BridgePortOptions(List<BridgeSetting> settings) implements LinkChange {
        public BridgePortOptions {
            settings = List.copyOf(settings);
            if (settings.isEmpty()) throw new IllegalArgumentException("no bridge port options");
        }
    }

    /** IN6_ADDR_GEN_MODE_* (if_link.h), with iproute2's keywords. */
    enum Inet6AddrGen {
        EUI64(0, "eui64"), NONE(1, "none"), STABLE_PRIVACY(2, "stable_secret"), RANDOM(3, "random");

        public final int value;
        public final String keyword;

        Inet6AddrGen(int value, String keyword) {
            this.value = value;
            this.keyword = keyword;
        }

        /** The mode iproute2 calls {@code keyword}, if any. */
        public static Optional<Inet6AddrGen> of(String keyword) {
            for (Inet6AddrGen m : values()) if (m.keyword.equals(keyword)) return Optional.of(m);
            return Optional.empty();
        }
    }

    static LinkChange up() { return new Up(); }
    /** {@code type bridge_slave hairpin on|off}. */
    static LinkChange hairpin(boolean on) { return new BridgePortOptions(List.of(BridgeSetting.hairpin(on))); }
    static LinkChange down() { return new Down(); }
    static LinkChange mtu(int mtu) { return new Mtu(mtu); }
    static LinkChange address(LinkLayerAddress a) { return new Address(a); }
    static LinkChange address(String mac) { return new Address(LinkLayerAddress.parse(mac)); }
    static LinkChange master(String name) { return new Master(LinkRef.of(name)); }
    static LinkChange master(int index) { return new Master(LinkRef.of(index)); }
    static LinkChange noMaster() { return new NoMaster(); }
    static LinkChange netns(LinkNetns ns) { return new Netns(ns); }
    static LinkChange netnsIndex(int index) { return new NetnsIndex(index); }
    static LinkChange name(String name) { return new Name(name); }
    static LinkChange alias(String alias) { return new Alias(alias); }
    static LinkChange txqlen(int q) { return new Txqlen(q); }
    /** {@code promisc on|off}. */
    static LinkChange promisc(boolean on) { return new Flag(LinkConst.IFF_PROMISC, on); }
    /** {@code arp on|off}: off sets IFF_NOARP. */
    static LinkChange arp(boolean on) { return new Flag(LinkConst.IFF_NOARP, !on); }
    /** {@code multicast on|off}. */
    static LinkChange multicast(boolean on) { return new Flag(LinkConst.IFF_MULTICAST, on); }
    /** {@code addrgenmode eui64|none|stable_secret|random}. */
    static LinkChange addrGenMode(Inet6AddrGen mode) { return new AddrGenMode(mode); }
    /** {@code allmulticast on|off}. */
    static LinkChange allmulticast(boolean on) { return new Flag(LinkConst.IFF_ALLMULTI, on); }
}
