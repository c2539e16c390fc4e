package io.nslab.netlink.fullkernel;

import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.Link;
import io.nslab.netlink.route.LinkChange;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkKind.IpvlanMode;
import io.nslab.netlink.route.LinkRef;
import io.nslab.netlink.route.LinkSpec;
import io.nslab.netlink.route.RouteSpec;
import io.nslab.testing.KernelTest;
import io.nslab.netlink.testing.Observer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * S7, as the tutorial builds it: a "host" namespace holds the parent p0 (its
 * "physical" NIC, 10.200.7.254/24) whose wire leads to an "outside" namespace
 * (10.200.7.89). IPVLAN children of p0 are moved into namespaces of their own.
 * In l2 mode the children share the parent's subnet, reach each other and the
 * outside, but the parent and its children cannot reach one another. In l3
 * and l3s modes children in different subnets, with a default route via a
 * gateway that does not exist, reach each other without ARP, and reach the
 * outside through the host namespace's routing when the outside has a route back.
 */
@KernelTest
@Tag("full-kernel")
class IpvlanKernelTest {
    @BeforeEach
    void needsIpvlan() {
        KernelKinds.requireKind("ipvlan", "CONFIG_IPVLAN");
    }

    /** p0 (host, the parent, 10.200.7.254/24) wired to p1 (outside, 10.200.7.89/24). */
    private static void wire(Node host, Node outside) throws Exception {
        host.run((links, addresses, routes) -> {
            links.add(LinkSpec.of("p0", LinkKind.veth("p1").withPeerNetns(outside.netns())).withUp(true));
            addresses.add("p0", IpPrefix.parse("10.200.7.254/24"));
        });
        outside.run((links, addresses, routes) -> {
            links.set("p1", LinkChange.up());
            addresses.add("p1", IpPrefix.parse("10.200.7.89/24"));
        });
    }

    /** An ipvlan child of p0 made in {@code host}, moved into {@code into}, addressed, up, default route via {@code gateway}. */
    private static void child(Node host, Node into, String name, IpvlanMode mode, String cidr, String gateway) throws Exception {
        host.run((links, addresses, routes) -> {
            links.add(LinkSpec.of(name, LinkKind.ipvlan(LinkRef.of("p0"), mode)));
            links.set(name, LinkChange.netns(into.netns()));
        });
        into.run((links, addresses, routes) -> {
            addresses.add(name, IpPrefix.parse(cidr));
            links.set(name, LinkChange.up());
            routes.add(RouteSpec.defaultRoute().via(gateway).dev(name));
        });
    }

    private static void assertIpvlan(Node n, String name, IpvlanMode mode) throws Exception {
        var shown = Observer.ipJson(n.path(), "link", "show", name).get(0);
        assertThat(shown.path("linkinfo").path("info_kind").asText()).isEqualTo("ipvlan");
        assertThat(shown.path("linkinfo").path("info_data").path("mode").asText()).isEqualTo(mode.name().toLowerCase(Locale.ROOT));
        Link decoded = n.call((links, addresses, routes) -> links.require(name));
        assertThat(decoded.kind().orElseThrow()).isInstanceOfSatisfying(LinkKind.Ipvlan.class,
                k -> assertThat(k.mode()).isEqualTo(mode));
    }

    @Test
    void l2ChildrenReachEachOtherAndTheOutsideButNotTheParent() throws Exception {
        try (Node host = Node.create("host"); Node outside = Node.create("outside");
             Node ns2 = Node.create("ns2"); Node ns3 = Node.create("ns3")) {
            wire(host, outside);
            child(host, ns2, "ipvlan1", IpvlanMode.L2, "10.200.7.230/24", "10.200.7.89");
            child(host, ns3, "ipvlan2", IpvlanMode.L2, "10.200.7.240/24", "10.200.7.89");
            assertIpvlan(ns2, "ipvlan1", IpvlanMode.L2);
            // Children share the parent's MAC address.
            String parentMac = Observer.ipJson(host.path(), "link", "show", "p0").get(0).path("address").asText();
            assertThat(Observer.ipJson(ns2.path(), "link", "show", "ipvlan1").get(0).path("address").asText()).isEqualTo(parentMac);

            Ping.assertReaches(ns2, "10.200.7.240");
            Ping.assertReaches(ns3, "10.200.7.230");
            Ping.assertReaches(ns2, "10.200.7.89");
            // The parent does not answer its children's ARP, nor do they see its own.
            Ping.assertDoesNotReach(ns2, "10.200.7.254");
            Ping.assertDoesNotReach(host, "10.200.7.230");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = IpvlanMode.class, names = {"L3", "L3S"})
    void l3ChildrenRouteAcrossSubnetsAndThroughTheHost(IpvlanMode mode) throws Exception {
        try (Node host = Node.create("host"); Node outside = Node.create("outside");
             Node ns2 = Node.create("ns2"); Node ns3 = Node.create("ns3")) {
            wire(host, outside);
            // The gateways do not exist: in l3 modes the child hands bare IP packets to the parent.
            child(host, ns2, "ipvlan1", mode, "10.200.151.10/24", "10.200.151.254");
            child(host, ns3, "ipvlan2", mode, "10.200.152.10/24", "10.200.152.254");
            assertIpvlan(ns3, "ipvlan2", mode);
            assertThat(Observer.ipJson(ns2.path(), "link", "show", "ipvlan1").get(0).path("flags").toString()).contains("NOARP");

            Ping.assertReaches(ns2, "10.200.152.10");
            Ping.assertReaches(ns3, "10.200.151.10");
            // The outside must know the way back, as the tutorial's external router must.
            Ping.assertDoesNotReach(ns2, "10.200.7.89");
            outside.run((links, addresses, routes) -> routes.add(RouteSpec.to("10.200.151.0/24").via("10.200.7.254")));
            Ping.assertReaches(ns2, "10.200.7.89");
        }
    }
}
