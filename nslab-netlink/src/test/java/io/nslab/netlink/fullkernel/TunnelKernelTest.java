package io.nslab.netlink.fullkernel;

import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.LinkChange;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkSpec;
import io.nslab.testing.KernelTest;
import io.nslab.netlink.testing.Observer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Tag;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GRE and IP-in-IP tunnels between two namespaces joined by a veth (the
 * underlay, 10.200.1.0/24): each end has a tunnel device with the other's
 * underlay address as remote, and the overlay subnet (10.200.201.0/30)
 * answers a ping through it.
 */
@KernelTest
@Tag("full-kernel")
class TunnelKernelTest {
    private static Inet4Address v4(String s) throws Exception {
        return (Inet4Address) InetAddress.getByName(s);
    }

    private static LinkKind tunnel(String kind, String local, String remote) throws Exception {
        return switch (kind) {
            case "gre" -> new LinkKind.Gre(Optional.of(v4(local)), Optional.of(v4(remote)), 64);
            case "ipip" -> new LinkKind.Ipip(Optional.of(v4(local)), Optional.of(v4(remote)), 64);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gre", "ipip"})
    void tunnelBetweenTwoNamespacesCarriesPing(String kind) throws Exception {
        KernelKinds.requireKind(kind, kind.equals("gre") ? "CONFIG_NET_IPGRE" : "CONFIG_NET_IPIP");
        try (Node a = Node.create("a"); Node b = Node.create("b")) {
            a.run((links, addresses, routes) -> {
                links.add(LinkSpec.of("va", LinkKind.veth("vb").withPeerNetns(b.netns())).withUp(true));
                addresses.add("va", IpPrefix.parse("10.200.1.1/24"));
                links.add(LinkSpec.of("t0", tunnel(kind, "10.200.1.1", "10.200.1.2")).withUp(true));
                addresses.add("t0", IpPrefix.parse("10.200.201.1/30"));
            });
            b.run((links, addresses, routes) -> {
                links.set("vb", LinkChange.up());
                addresses.add("vb", IpPrefix.parse("10.200.1.2/24"));
                links.add(LinkSpec.of("t0", tunnel(kind, "10.200.1.2", "10.200.1.1")).withUp(true));
                addresses.add("t0", IpPrefix.parse("10.200.201.2/30"));
            });

            var shown = Observer.ipJson(a.path(), "link", "show", "t0").get(0);
            assertThat(shown.path("linkinfo").path("info_kind").asText()).isEqualTo(kind);
            var data = shown.path("linkinfo").path("info_data");
            assertThat(data.path("local").asText()).isEqualTo("10.200.1.1");
            assertThat(data.path("remote").asText()).isEqualTo("10.200.1.2");
            assertThat(data.path("ttl").asInt()).isEqualTo(64);
            var decoded = a.call((links, addresses, routes) -> links.require("t0"));
            assertThat(decoded.kind()).contains(tunnel(kind, "10.200.1.1", "10.200.1.2"));

            Ping.assertReaches(a, "10.200.201.2");
            Ping.assertReaches(b, "10.200.201.1");
        }
    }
}
