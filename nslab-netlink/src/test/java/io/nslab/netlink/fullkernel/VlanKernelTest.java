package io.nslab.netlink.fullkernel;

import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.Link;
import io.nslab.netlink.route.LinkChange;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkRef;
import io.nslab.netlink.route.LinkSpec;
import io.nslab.testing.KernelTest;
import io.nslab.netlink.testing.Observer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * S5: a VLAN (id 100) on both ends of a veth between two namespaces, its own
 * subnet over the tag, and a ping that can only cross tagged.
 */
@KernelTest
@Tag("full-kernel")
class VlanKernelTest {
    @BeforeEach
    void needs8021q() {
        KernelKinds.requireKind("vlan", "CONFIG_VLAN_8021Q");
    }

    @Test
    void vlan100OnBothEndsOfAVethCarriesPing() throws Exception {
        // The tutorial's S5: ns1/ns2 joined by a veth (172.16.0.0/24 untagged), VLAN 100 on both ends (10.10.10.0/24).
        try (Node ns1 = Node.create("ns1"); Node ns2 = Node.create("ns2")) {
            ns1.run((links, addresses, routes) -> {
                links.add(LinkSpec.of("veth-ns1", LinkKind.veth("veth-ns2").withPeerNetns(ns2.netns())).withUp(true));
                addresses.add("veth-ns1", IpPrefix.parse("172.16.0.1/24"));
                links.add(LinkSpec.of("veth-ns1.100", LinkKind.vlan(LinkRef.of("veth-ns1"), 100)));
                addresses.add("veth-ns1.100", IpPrefix.parse("10.10.10.1/24"));
                links.set("veth-ns1.100", LinkChange.up());
            });
            ns2.run((links, addresses, routes) -> {
                links.set("veth-ns2", LinkChange.up());
                addresses.add("veth-ns2", IpPrefix.parse("172.16.0.2/24"));
                links.add(LinkSpec.of("veth-ns2.100", LinkKind.vlan(LinkRef.of("veth-ns2"), 100)));
                addresses.add("veth-ns2.100", IpPrefix.parse("10.10.10.2/24"));
                links.set("veth-ns2.100", LinkChange.up());
            });

            // The kernel made what was asked: iproute2 sees an 802.1Q VLAN, id 100, on veth-ns1.
            var shown = Observer.ipJson(ns1.path(), "link", "show", "veth-ns1.100").get(0);
            assertThat(shown.path("linkinfo").path("info_kind").asText()).isEqualTo("vlan");
            assertThat(shown.path("linkinfo").path("info_data").path("protocol").asText()).isEqualTo("802.1Q");
            assertThat(shown.path("linkinfo").path("info_data").path("id").asInt()).isEqualTo(100);
            assertThat(shown.path("link").asText()).isEqualTo("veth-ns1");

            // ... and the library decodes it back, parent included.
            Link decoded = ns1.call((links, addresses, routes) -> links.require("veth-ns1.100"));
            int parent = ns1.call((links, addresses, routes) -> links.require("veth-ns1")).index();
            assertThat(decoded.kind().orElseThrow()).isInstanceOfSatisfying(LinkKind.Vlan.class, v -> assertThat(v.id()).isEqualTo(100));
            assertThat(decoded.link()).hasValue(parent);

            Ping.assertReaches(ns1, "172.16.0.2");
            // Over the tag: the echo request crosses the veth as an 802.1Q frame with id 100.
            try (Capture wire = Capture.start(ns2, "veth-ns2", "vlan 100 and icmp")) {
                Ping.assertReaches(ns1, "10.10.10.2");
                assertThat(wire.firstPacket(20)).contains("802.1Q", "vlan 100", "10.10.10.1 > 10.10.10.2");
            }
            Ping.assertReaches(ns2, "10.10.10.1");
        }
    }

    @Test
    void aDifferentVlanIdDoesNotReach() throws Exception {
        try (Node a = Node.create("a"); Node b = Node.create("b")) {
            a.run((links, addresses, routes) -> {
                links.add(LinkSpec.of("va", LinkKind.veth("vb").withPeerNetns(b.netns())).withUp(true));
                links.add(LinkSpec.of("va.100", LinkKind.vlan(LinkRef.of("va"), 100)).withUp(true));
                addresses.add("va.100", IpPrefix.parse("10.200.100.1/24"));
            });
            b.run((links, addresses, routes) -> {
                links.set("vb", LinkChange.up());
                links.add(LinkSpec.of("vb.200", LinkKind.vlan(LinkRef.of("vb"), 200)).withUp(true));
                addresses.add("vb.200", IpPrefix.parse("10.200.100.2/24"));
            });
            Ping.assertDoesNotReach(a, "10.200.100.2");
        }
    }
}
