package io.nslab.lab.plan;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkKind.IpvlanMode;
import io.nslab.netlink.route.LinkKind.MacvlanMode;
import io.nslab.netlink.route.LinkKind.TuntapMode;
import io.nslab.netlink.route.LinkKind.VlanProtocol;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * The kind-specific part of a link to create, in kernel terms ({@code ip link add NAME type KIND ...}): each
 * names its {@link LinkKind.Type}, and modes and protocols are the library's enums (journaled as {@code ip}'s
 * keywords, see {@link StepJson}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LinkSpec.Veth.class, name = "veth"),
    @JsonSubTypes.Type(value = LinkSpec.Bridge.class, name = "bridge"),
    @JsonSubTypes.Type(value = LinkSpec.Macvlan.class, name = "macvlan"),
    @JsonSubTypes.Type(value = LinkSpec.Ipvlan.class, name = "ipvlan"),
    @JsonSubTypes.Type(value = LinkSpec.Vlan.class, name = "vlan"),
    @JsonSubTypes.Type(value = LinkSpec.Vxlan.class, name = "vxlan"),
    @JsonSubTypes.Type(value = LinkSpec.Tuntap.class, name = "tuntap"),
})
public sealed interface LinkSpec {
    /** The kind this spec creates. */
    LinkKind.Type type();

    /** The kernel's kind word ({@code IFLA_INFO_KIND}) this spec creates. */
    default String kind() { return type().word(); }

    /** A veth pair; the peer is created directly in {@code peerNs} (no move step). */
    record Veth(String peer, NsRef peerNs) implements LinkSpec {
        public LinkKind.Type type() { return LinkKind.Type.VETH; }
    }

    record Bridge(boolean stp) implements LinkSpec {
        public LinkKind.Type type() { return LinkKind.Type.BRIDGE; }
    }

    /** MACVLAN on {@code parent} of the same namespace (moved afterwards if its node is elsewhere). */
    record Macvlan(String parent, MacvlanMode mode) implements LinkSpec {
        public LinkKind.Type type() { return LinkKind.Type.MACVLAN; }
    }

    record Ipvlan(String parent, IpvlanMode mode) implements LinkSpec {
        public LinkKind.Type type() { return LinkKind.Type.IPVLAN; }
    }

    record Vlan(String parent, int id, VlanProtocol proto) implements LinkSpec {
        public LinkKind.Type type() { return LinkKind.Type.VLAN; }
    }

    record Vxlan(int vni, Optional<String> local, Optional<String> remote, Optional<String> group,
                 Optional<String> dev, int dstPort, boolean learning) implements LinkSpec {
        public LinkKind.Type type() { return LinkKind.Type.VXLAN; }
    }

    /** A persistent TUN ({@code tap == false}) or TAP device. */
    record Tuntap(boolean tap, OptionalInt owner, OptionalInt group) implements LinkSpec {
        public LinkKind.Type type() { return LinkKind.Type.TUN; }
        /** TUN or TAP, as the library says it. */
        public TuntapMode mode() { return tap ? TuntapMode.TAP : TuntapMode.TUN; }
    }
}
