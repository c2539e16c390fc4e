package io.nslab.lab.model;

import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkKind.IpvlanMode;
import io.nslab.netlink.route.LinkKind.MacvlanMode;
import io.nslab.netlink.route.LinkKind.TuntapMode;
import io.nslab.netlink.route.LinkKind.VlanProtocol;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What an interface is. Each kind knows the word used for it in a topology file ({@code kind: macvlan}): the
 * library's word for the kind ({@link LinkKind.Type#word()}, {@link TuntapMode#keyword()}) except for
 * {@code physical}, which is no kind of link. Modes and protocols are the library's enums.
 * Veth ends are not written with {@code kind:}; they come from {@code links:}.
 */
public sealed interface IfaceKind {
    /** The {@code kind:} word of the file (and of {@code ip link add ... type WORD}). */
    String word();

    /**
     * One end of a veth pair; the other end is {@code peer}. A {@code standIn} end plays a "physical" NIC:
     * it is created in a lab-owned namespace first and then moved into its node, like
     * {@code ip link set ens41 netns docker} in the seeds.
     */
    record Veth(IfRef peer, boolean standIn) implements IfaceKind {
        public String word() { return LinkKind.Type.VETH.word(); }
    }

    /** A Linux bridge; {@code ports} are interfaces of the same node enslaved to it. */
    record Bridge(List<String> ports, boolean stp) implements IfaceKind {
        public Bridge { ports = List.copyOf(ports); }
        public String word() { return LinkKind.Type.BRIDGE.word(); }
    }

    /** MACVLAN child of {@code parent} (which may live in another node: the child is made there, then moved). */
    record Macvlan(MacvlanMode mode, IfRef parent) implements IfaceKind {
        public String word() { return LinkKind.Type.MACVLAN.word(); }
    }

    /** IPVLAN child of {@code parent} (same rule as macvlan). */
    record Ipvlan(IpvlanMode mode, IfRef parent) implements IfaceKind {
        public String word() { return LinkKind.Type.IPVLAN.word(); }
    }

    /** 802.1Q (or 802.1ad) sub-interface of {@code parent}. */
    record Vlan(int id, IfRef parent, VlanProtocol proto) implements IfaceKind {
        public String word() { return LinkKind.Type.VLAN.word(); }
    }

    /**
     * VXLAN tunnel end. {@code dev} is the underlay interface of the same node; {@code remote} (unicast peer) and
     * {@code group} (multicast) are exclusive; {@code dstPort} defaults to 4789 (IANA), not the kernel's 8472.
     */
    record Vxlan(int vni, Optional<InetAddress> local, Optional<InetAddress> remote, Optional<InetAddress> group,
                 Optional<String> dev, int dstPort, boolean learning) implements IfaceKind {
        public static final int IANA_PORT = 4789;
        public String word() { return LinkKind.Type.VXLAN.word(); }
    }

    /** A TUN (layer 3) device, optionally owned by a uid/gid so an unprivileged program can open it. */
    record Tun(OptionalInt owner, OptionalInt group) implements IfaceKind {
        public String word() { return TuntapMode.TUN.keyword(); }
    }

    /** A TAP (layer 2) device. */
    record Tap(OptionalInt owner, OptionalInt group) implements IfaceKind {
        public String word() { return TuntapMode.TAP.keyword(); }
    }

    /**
     * A real interface of the machine ({@code host}, in the root namespace) moved into the node for the lab's
     * life and given back on {@code down}. Only allowed with {@code external: true}: a lab never touches the
     * machine's interfaces unless the file says so. For a stand-in use a link end with {@code physical: true}.
     */
    record Physical(String host, boolean external) implements IfaceKind {
        public String word() { return "physical"; }
    }
}
