package io.nslab.netlink.fullkernel;

import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.Link;
import io.nslab.netlink.route.LinkChange;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkRef;
import io.nslab.netlink.route.LinkSpec;
import io.nslab.netlink.testing.Observer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * S5: a VLAN (id 100) on both ends of a veth between two namespaces, its own
 * subnet over the tag, and a ping that can only cross tagged.
 */
@Tag("full-kernel")
class VlanKernelTest {
    @BeforeEach
    void needs8021q() {
        KernelKinds.requireKind("vlan", "CONFIG_VLAN_8021Q");
    }

    @Test
    void vlan100OnBothEndsOfAVethCarriesPing() throws Exception {
        try (Node a = Node.create("a"); Node b = Node.create("b")) {
            a.run((links, addresses, routes) -> {
                links.add(LinkSpec.of("va", LinkKind.veth("vb").withPeerNetns(b.netns())).withUp(true));
                links.add(LinkSpec.of("va.100", LinkKind.vlan(LinkRef.of("va"), 100)));
                addresses.add("va.100", IpPrefix.parse("10.200.100.1/24"));
                links.set("va.100", LinkChange.up());
            });
            b.run((links, addresses, routes) -> {
                links.set("vb", LinkChange.up());
                links.add(LinkSpec.of("vb.100", LinkKind.vlan(LinkRef.of("vb"), 100)));
                addresses.add("vb.100", IpPrefix.parse("10.200.100.2/24"));
                links.set("vb.100", LinkChange.up());
            });

            // The kernel made what was asked: iproute2 sees an 802.1Q VLAN, id 100, on va.
            var shown = Observer.ipJson(a.path(), "link", "show", "va.100").get(0);
            assertThat(shown.path("linkinfo").path("info_kind").asText()).isEqualTo("vlan");
            assertThat(shown.path("linkinfo").path("info_data").path("protocol").asText()).isEqualTo("802.1Q");
            assertThat(shown.path("linkinfo").path("info_data").path("id").asInt()).isEqualTo(100);
            assertThat(shown.path("link").asText()).isEqualTo("va");

            // ... and the library decodes it back.
            Link decoded = a.call((links, addresses, routes) -> links.require("va.100"));
            assertThat(decoded.kind().orElseThrow()).isInstanceOfSatisfying(LinkKind.Vlan.class, v -> assertThat(v.id()).isEqualTo(100));

            // The untagged veth has no address: the only way across is over the tag.
            Ping.assertReaches(a, "10.200.100.2");
            Ping.assertReaches(b, "10.200.100.1");
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
