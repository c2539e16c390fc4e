package io.nslab.lab.plan;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.Optional;
import java.util.OptionalInt;

/** The kind-specific part of a link to create, in kernel terms ({@code ip link add NAME type KIND ...}). */
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
    /** The kernel's kind word ({@code IFLA_INFO_KIND}) this spec creates. */
    String kind();

    /** A veth pair; the peer is created directly in {@code peerNs} (no move step). */
    record Veth(String peer, NsRef peerNs) implements LinkSpec {
        public String kind() { return "veth"; }
    }

    record Bridge(boolean stp) implements LinkSpec {
        public String kind() { return "bridge"; }
    }

    /** MACVLAN on {@code parent} of the same namespace (moved afterwards if its node is elsewhere). */
    record Macvlan(String parent, String mode) implements LinkSpec {
        public String kind() { return "macvlan"; }
    }

    record Ipvlan(String parent, String mode) implements LinkSpec {
        public String kind() { return "ipvlan"; }
    }

    record Vlan(String parent, int id, String proto) implements LinkSpec {
        public String kind() { return "vlan"; }
    }

    record Vxlan(int vni, Optional<String> local, Optional<String> remote, Optional<String> group,
                 Optional<String> dev, int dstPort, boolean learning) implements LinkSpec {
        public String kind() { return "vxlan"; }
    }

    /** A persistent TUN ({@code tap == false}) or TAP device. */
    record Tuntap(boolean tap, OptionalInt owner, OptionalInt group) implements LinkSpec {
        public String kind() { return "tun"; }
    }
}
