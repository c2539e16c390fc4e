package io.nslab.netlink.route;

import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.DecodeException;
import io.nslab.netlink.wire.NlMessage;
import io.nslab.netlink.wire.NlWriter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static io.nslab.netlink.route.LinkConst.*;

/**
 * A link as the kernel reports it (RTM_NEWLINK: ifinfomsg + attributes).
 * The header and every attribute are kept raw in {@code attrs}, so
 * {@link #encodeBody()} gives back exactly what was decoded; the typed fields are
 * read from them.
 *
 * @param family    ifi_family (AF_UNSPEC in replies; AF_INET6 in the IPv6 layer's answer to {@link LinkRequests#dump(int)})
 * @param type      ifi_type, ARPHRD_* (1 = Ethernet, 772 = loopback)
 * @param index     ifindex
 * @param flags     IFF_* device flags (see {@link #isUp()} ...)
 * @param change    ifi_change as sent
 * @param link      IFLA_LINK: the lower device (macvlan/vlan parent) or the veth peer's index,
 *                  in the namespace {@code linkNetnsId} names when that is present
 * @param linkNetnsId IFLA_LINK_NETNSID: the peer/parent lives in another namespace (its id as seen from here)
 * @param kind      decoded IFLA_LINKINFO kind and data; empty for a link without a kind (lo, physical NICs)
 * @param slave     decoded port data when the link has a master (a bridge port's state...)
 */
public record Link(int family, int type, int index, int flags, int change, String name, OptionalInt mtu,
                   Optional<LinkLayerAddress> address, Optional<LinkLayerAddress> broadcast, OptionalInt master,
                   OptionalInt link, OptionalInt linkNetnsId, Optional<String> alias, LinkOperState operState,
                   Optional<String> qdisc, OptionalInt txqlen, Optional<LinkKind> kind, Optional<LinkSlave> slave,
                   Attrs attrs) {

    /** sizeof(struct ifinfomsg). */
    public static final int HEADER_LEN = 16;

    public boolean isUp() { return (flags & IFF_UP) != 0; }
    public boolean isLowerUp() { return (flags & IFF_LOWER_UP) != 0; }
    public boolean isRunning() { return (flags & IFF_RUNNING) != 0; }
    public boolean isLoopback() { return (flags & IFF_LOOPBACK) != 0; }
    public boolean isPromisc() { return (flags & IFF_PROMISC) != 0; }
    public boolean isNoArp() { return (flags & IFF_NOARP) != 0; }
    /** IFF_MASTER: the link is a bonding master (a bridge does not set it). */
    public boolean isMasterFlag() { return (flags & IFF_MASTER) != 0; }

    /**
     * The flags as {@code ip link} prints them, in its order:
     * {@code [BROADCAST, MULTICAST, UP, LOWER_UP]}, NO-CARRIER first when up
     * without carrier, unknown bits last in hex. {@code ip} appends
     * {@code M-DOWN} when the lower link ({@link #link()}) is down; see
     * {@link #flagNames(boolean)}.
     */
    public List<String> flagNames() { return flagNames(false); }

    /** {@link #flagNames()}, plus {@code M-DOWN} when {@code lowerDown} (the IFLA_LINK device is not up), as ip prints it. */
    public List<String> flagNames(boolean lowerDown) {
        List<String> out = new ArrayList<>();
        int f = flags;
        if ((f & IFF_UP) != 0 && (f & IFF_RUNNING) == 0) out.add("NO-CARRIER");
        f &= ~IFF_RUNNING;
        int[] bits = {IFF_LOOPBACK, IFF_BROADCAST, IFF_POINTOPOINT, IFF_MULTICAST, IFF_NOARP, IFF_ALLMULTI, IFF_PROMISC,
                IFF_MASTER, IFF_SLAVE, IFF_DEBUG, IFF_DYNAMIC, IFF_AUTOMEDIA, IFF_PORTSEL, IFF_NOTRAILERS, IFF_UP,
                IFF_LOWER_UP, IFF_DORMANT, IFF_ECHO};
        String[] names = {"LOOPBACK", "BROADCAST", "POINTOPOINT", "MULTICAST", "NOARP", "ALLMULTI", "PROMISC",
                "MASTER", "SLAVE", "DEBUG", "DYNAMIC", "AUTOMEDIA", "PORTSEL", "NOTRAILERS", "UP",
                "LOWER_UP", "DORMANT", "ECHO"};
        for (int i = 0; i < bits.length; i++) {
            if ((f & bits[i]) != 0) {
                out.add(names[i]);
                f &= ~bits[i];
            }
        }
        if (f != 0) out.add(Integer.toHexString(f));
        if (lowerDown) out.add("M-DOWN");
        return out;
    }

    /** ip's name for {@link #type()}: "ether", "loopback", "none", "gre", "ipip", ... or the number. */
    public String linkTypeName() {
        return switch (type) {
            case ARPHRD_ETHER -> "ether";
            case ARPHRD_LOOPBACK -> "loopback";
            case ARPHRD_NONE -> "none";
            case ARPHRD_VOID -> "void";
            case ARPHRD_IPGRE -> "gre";
            case ARPHRD_TUNNEL -> "ipip";
            case ARPHRD_TUNNEL6 -> "tunnel6";
            case ARPHRD_SIT -> "sit";
            case ARPHRD_IP6GRE -> "gre6";
            case ARPHRD_PPP -> "ppp";
            case ARPHRD_INFINIBAND -> "infiniband";
            case ARPHRD_IEEE80211 -> "ieee802.11";
            default -> "[" + type + "]";
        };
    }

    /** IFLA_GROUP (0 = "default"). */
    public int group() { return attrs.u32(IFLA_GROUP).orElse(0); }
    public int promiscuity() { return attrs.u32(IFLA_PROMISCUITY).orElse(0); }
    public OptionalInt minMtu() { return attrs.u32(IFLA_MIN_MTU); }
    public OptionalInt maxMtu() { return attrs.u32(IFLA_MAX_MTU); }
    public OptionalInt numTxQueues() { return attrs.u32(IFLA_NUM_TX_QUEUES); }
    public OptionalInt numRxQueues() { return attrs.u32(IFLA_NUM_RX_QUEUES); }
    /** IFLA_PROMISCUITY as sent: empty when the kernel sent none ({@link #promiscuity()} reads it as 0). */
    public OptionalInt promiscuityCount() { return attrs.u32(IFLA_PROMISCUITY); }
    /** IFLA_ALLMULTI: how many users asked for all multicast (kernels since 6.0). */
    public OptionalInt allmulti() { return attrs.u32(IFLA_ALLMULTI); }
    public OptionalInt gsoMaxSize() { return attrs.u32(IFLA_GSO_MAX_SIZE); }
    public OptionalInt gsoMaxSegs() { return attrs.u32(IFLA_GSO_MAX_SEGS); }
    public OptionalInt tsoMaxSize() { return attrs.u32(IFLA_TSO_MAX_SIZE); }
    public OptionalInt tsoMaxSegs() { return attrs.u32(IFLA_TSO_MAX_SEGS); }
    public OptionalInt groMaxSize() { return attrs.u32(IFLA_GRO_MAX_SIZE); }
    /** IFLA_PARENT_DEV_BUS_NAME / IFLA_PARENT_DEV_NAME: the bus and device behind a hardware NIC. */
    public Optional<String> parentBus() { return attrs.string(IFLA_PARENT_DEV_BUS_NAME); }
    public Optional<String> parentDev() { return attrs.string(IFLA_PARENT_DEV_NAME); }
    /** IFLA_AF_SPEC's AF_INET6 IFLA_INET6_ADDR_GEN_MODE: IN6_ADDR_GEN_MODE_* (0 eui64, 1 none, 2 stable_secret, 3 random). */
    public OptionalInt inet6AddrGenMode() {
        return attrs.nested(IFLA_AF_SPEC).nested(AddressFamily.INET6).u8(IFLA_INET6_ADDR_GEN_MODE);
    }
    /** IFLA_XDP's IFLA_XDP_ATTACHED: XDP_ATTACHED_* (0 none). */
    public OptionalInt xdpAttached() { return attrs.nested(IFLA_XDP).u8(IFLA_XDP_ATTACHED); }
    /** Whether IFLA_LINKINFO carries IFLA_INFO_DATA (a kind with no settings sends none). */
    public boolean hasKindData() { return attrs.nested(IFLA_LINKINFO).has(IFLA_INFO_DATA); }
    /** IFLA_LINKINFO's IFLA_INFO_DATA as sent, keyed by the kind's IFLA_&lt;KIND&gt;_* numbers; empty without. */
    public Attrs kindData() { return attrs.nested(IFLA_LINKINFO).nested(IFLA_INFO_DATA); }
    /** IFLA_INFO_SLAVE_KIND: what the link is a port of ("bridge", "vrf", "bond"...). */
    public Optional<String> slaveKindName() { return attrs.nested(IFLA_LINKINFO).string(IFLA_INFO_SLAVE_KIND); }
    public boolean hasSlaveData() { return attrs.nested(IFLA_LINKINFO).has(IFLA_INFO_SLAVE_DATA); }
    /** IFLA_INFO_SLAVE_DATA as sent (IFLA_BRPORT_* for a bridge port, IFLA_VRF_PORT_* for a VRF port). */
    public Attrs slaveData() { return attrs.nested(IFLA_LINKINFO).nested(IFLA_INFO_SLAVE_DATA); }
    /** IFLA_LINKMODE: 0 "DEFAULT", 1 "DORMANT". */
    public int linkMode() { return attrs.u8(IFLA_LINKMODE).orElse(0); }
    /** IFLA_CARRIER. */
    public Optional<Boolean> carrier() { return attrs.u8(IFLA_CARRIER).stream().mapToObj(v -> v != 0).findFirst(); }
    public Optional<LinkLayerAddress> permAddress() { return attrs.bytes(IFLA_PERM_ADDRESS).filter(x -> x.length > 0).map(LinkLayerAddress::of); }

    /**
     * IFLA_LINK is there and 0: a device that can have a lower link and has
     * none (an IP tunnel bound to no device; {@code ip} prints {@code @NONE}).
     * {@link #link()} is empty then, as for a link with no IFLA_LINK at all.
     */
    public boolean linkNone() { return attrs.u32(IFLA_LINK).orElse(-1) == 0; }

    /**
     * A bridge's IFLA_BR_STP_STATE as the kernel reports it: 0 off, 1 kernel
     * STP, 2 user-space STP ({@link LinkKind.Bridge#stp()} folds it to on/off).
     * Empty for a link that is not a bridge.
     */
    public OptionalInt bridgeStpState() {
        if (!(kind.orElse(null) instanceof LinkKind.Bridge)) return OptionalInt.empty();
        return attrs.nested(IFLA_LINKINFO).nested(IFLA_INFO_DATA).u32(IFLA_BR_STP_STATE);
    }

    /** The IFLA_INFO_KIND string, if the link has one. */
    public Optional<String> kindName() { return kind.map(LinkKind::kind); }

    /** Decodes one link message (RTM_NEWLINK/DELLINK from the kernel; GETLINK/SETLINK requests decode too). */
    public static Link decode(NlMessage m) {
        if (m.type() < RtConst.RTM_NEWLINK || m.type() > RtConst.RTM_SETLINK) {
            throw new DecodeException("message type " + m.type() + " is not a link message", 4);
        }
        return decodeBody(m.payload());
    }

    /** Decodes the payload after the nlmsghdr: ifinfomsg then attributes (as Address, Route, Neighbour, Rule do). */
    public static Link decodeBody(byte[] payload) {
        if (payload.length < HEADER_LEN) throw new DecodeException("link message of " + payload.length + " bytes, shorter than ifinfomsg", 16);
        ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder());
        int family = b.get(0) & 0xff;
        int type = b.getShort(2) & 0xffff;
        int index = b.getInt(4);
        int flags = b.getInt(8);
        int change = b.getInt(12);
        Attrs a = Attrs.parse(payload, HEADER_LEN, payload.length - HEADER_LEN);
        return new Link(family, type, index, flags, change,
                a.string(IFLA_IFNAME).orElse(""),
                a.u32(IFLA_MTU),
                a.bytes(IFLA_ADDRESS).filter(x -> x.length > 0).map(LinkLayerAddress::of),
                a.bytes(IFLA_BROADCAST).filter(x -> x.length > 0).map(LinkLayerAddress::of),
                positive(a.u32(IFLA_MASTER)),
                positive(a.u32(IFLA_LINK)),
                a.u32(IFLA_LINK_NETNSID),
                a.string(IFLA_IFALIAS).filter(s -> !s.isEmpty()),
                a.u8(IFLA_OPERSTATE).stream().mapToObj(LinkOperState::of).findFirst().orElse(LinkOperState.UNKNOWN),
                a.string(IFLA_QDISC),
                a.u32(IFLA_TXQLEN),
                LinkKindCodec.decode(a),
                LinkKindCodec.decodeSlave(a),
                a);
    }

    private static OptionalInt positive(OptionalInt v) {
        return v.isPresent() && v.getAsInt() > 0 ? v : OptionalInt.empty();
    }

    /** The message payload again: ifinfomsg + every attribute as received. */
    public byte[] encodeBody() {
        NlWriter w = new NlWriter(HEADER_LEN + 64);
        w.u8(family).u8(0).u16(type).u32(index).u32(flags).u32(change);
        attrs.write(w);
        return w.toByteArray();
    }

    @Override public String toString() {
        return "Link[" + index + ": " + name + kindName().map(k -> " " + k).orElse("") + (isUp() ? " UP" : "")
                + mtu.stream().mapToObj(m -> " mtu " + m).findFirst().orElse("") + address.map(x -> " " + x).orElse("") + "]";
    }
}
