package io.nslab.netlink.fullkernel;

import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.Link;
import io.nslab.netlink.route.LinkChange;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkSpec;
import io.nslab.testing.KernelTest;
import io.nslab.netlink.testing.Observer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One namespace, two VRFs (red: table 10, blue: table 20), the same address
 * in both: each VRF's table holds its own connected route, and each address
 * answers a ping bound to its VRF.
 */
@KernelTest
@Tag("full-kernel")
class VrfKernelTest {
    @BeforeEach
    void needsVrfAndDummy() {
        KernelKinds.requireKind("vrf", "CONFIG_NET_VRF");
        KernelKinds.requireKind("dummy", "CONFIG_DUMMY");
    }

    @Test
    void twoVrfsHoldOverlappingAddresses() throws Exception {
        try (Node v = Node.create("v")) {
            v.run((links, addresses, routes) -> {
                links.add(LinkSpec.of("red", LinkKind.vrf(10)).withUp(true));
                links.add(LinkSpec.of("blue", LinkKind.vrf(20)).withUp(true));
                links.add(LinkSpec.of("d1", LinkKind.dummy()));
                links.add(LinkSpec.of("d2", LinkKind.dummy()));
                links.set("d1", LinkChange.master("red"), LinkChange.up());
                links.set("d2", LinkChange.master("blue"), LinkChange.up());
                addresses.add("d1", IpPrefix.parse("10.200.50.1/24"));
                addresses.add("d2", IpPrefix.parse("10.200.50.1/24"));
            });

            var red = Observer.ipJson(v.path(), "link", "show", "red").get(0);
            assertThat(red.path("linkinfo").path("info_kind").asText()).isEqualTo("vrf");
            assertThat(red.path("linkinfo").path("info_data").path("table").asInt()).isEqualTo(10);
            assertThat(Observer.ipJson(v.path(), "link", "show", "d1").get(0).path("master").asText()).isEqualTo("red");

            var decoded = v.call((links, addresses, routes) -> links.require("blue"));
            assertThat(decoded.kind()).contains(LinkKind.vrf(20));
            int blueIndex = decoded.index();
            Link d2 = v.call((links, addresses, routes) -> links.require("d2"));
            assertThat(d2.master()).hasValue(blueIndex);

            // The same prefix, once per VRF table, each on its own device.
            assertThat(Observer.ipJson(v.path(), "route", "show", "vrf", "red", "10.200.50.0/24").get(0).path("dev").asText())
                    .isEqualTo("d1");
            assertThat(Observer.ipJson(v.path(), "route", "show", "vrf", "blue", "10.200.50.0/24").get(0).path("dev").asText())
                    .isEqualTo("d2");
            // ... and the main table has neither.
            assertThat(Observer.ipJson(v.path(), "route", "show", "table", "main")).isEmpty();

            Ping.assertReachesVia(v, "red", "10.200.50.1");
            Ping.assertReachesVia(v, "blue", "10.200.50.1");
        }
    }
}
