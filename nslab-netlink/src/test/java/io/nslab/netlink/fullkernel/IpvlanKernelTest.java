package io.nslab.netlink.fullkernel;

import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.LinkChange;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkKind.IpvlanMode;
import io.nslab.netlink.route.LinkRef;
import io.nslab.netlink.route.LinkSpec;
import io.nslab.netlink.route.RouteSpec;
import io.nslab.netlink.testing.Observer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * S7: IPVLAN children of one parent, each moved into its own namespace. In l2
 * mode they share the parent's subnet and reach each other, but the parent
 * cannot reach them; in l3 mode children in different subnets route to each
 * other through the parent without ARP.
 */
@Tag("full-kernel")
class IpvlanKernelTest {
    @BeforeEach
    void needsIpvlan() {
        KernelKinds.requireKind("ipvlan", "CONFIG_IPVLAN");
    }

    /** The host side: a veth pair p0/p1, both up (p0 is the parent and needs a carrier). */
    private static void parent(Node host) throws Exception {
        host.run((links, addresses, routes) -> {
            links.add(LinkSpec.of("p0", LinkKind.veth("p1")).withUp(true));
            links.set("p1", LinkChange.up());
            addresses.add("p0", IpPrefix.parse("10.200.7.254/24"));
        });
    }

    /** An ipvlan child of p0 made in {@code host}, moved into {@code into}, addressed and up there. */
    private static void child(Node host, Node into, String name, IpvlanMode mode, String cidr) throws Exception {
        host.run((links, addresses, routes) -> {
            links.add(LinkSpec.of(name, LinkKind.ipvlan(LinkRef.of("p0"), mode)));
            links.set(name, LinkChange.netns(into.netns()));
        });
        into.run((links, addresses, routes) -> {
            addresses.add(name, IpPrefix.parse(cidr));
            links.set(name, LinkChange.up());
        });
    }

    @Test
    void l2ChildrenReachEachOtherButNotTheParent() throws Exception {
        try (Node host = Node.create("host"); Node a = Node.create("a"); Node b = Node.create("b")) {
            parent(host);
            child(host, a, "iv1", IpvlanMode.L2, "10.200.7.1/24");
            child(host, b, "iv2", IpvlanMode.L2, "10.200.7.2/24");

            var shown = Observer.ipJson(a.path(), "link", "show", "iv1").get(0);
            assertThat(shown.path("linkinfo").path("info_kind").asText()).isEqualTo("ipvlan");
            assertThat(shown.path("linkinfo").path("info_data").path("mode").asText()).isEqualTo("l2");
            var decoded = a.call((links, addresses, routes) -> links.require("iv1"));
            assertThat(decoded.kind().orElseThrow()).isInstanceOfSatisfying(LinkKind.Ipvlan.class,
                    k -> assertThat(k.mode()).isEqualTo(IpvlanMode.L2));

            Ping.assertReaches(a, "10.200.7.2");
            Ping.assertReaches(b, "10.200.7.1");
            // The parent's packets leave through p0 and never come back to the children on it.
            Ping.assertDoesNotReach(host, "10.200.7.1");
        }
    }

    @Test
    void l3ChildrenRouteBetweenSubnets() throws Exception {
        try (Node host = Node.create("host"); Node c = Node.create("c"); Node d = Node.create("d")) {
            parent(host);
            child(host, c, "iv3", IpvlanMode.L3, "10.200.8.1/24");
            child(host, d, "iv4", IpvlanMode.L3, "10.200.9.1/24");
            c.run((links, addresses, routes) -> routes.add(RouteSpec.defaultRoute().dev("iv3")));
            d.run((links, addresses, routes) -> routes.add(RouteSpec.defaultRoute().dev("iv4")));

            var shown = Observer.ipJson(c.path(), "link", "show", "iv3").get(0);
            assertThat(shown.path("linkinfo").path("info_data").path("mode").asText()).isEqualTo("l3");
            // l3 children do no ARP.
            assertThat(shown.path("flags").toString()).contains("NOARP");

            Ping.assertReaches(c, "10.200.9.1");
            Ping.assertReaches(d, "10.200.8.1");
        }
    }
}
