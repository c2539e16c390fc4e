package io.nslab.netlink;

import com.fasterxml.jackson.databind.JsonNode;
import io.nslab.netlink.route.Link;
import io.nslab.netlink.route.LinkChange;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkKindMissingException;
import io.nslab.netlink.route.LinkLayerAddress;
import io.nslab.netlink.route.LinkNetns;
import io.nslab.netlink.route.LinkOperState;
import io.nslab.netlink.route.LinkRef;
import io.nslab.netlink.route.LinkRequests;
import io.nslab.netlink.route.LinkSlave;
import io.nslab.netlink.route.LinkSpec;
import io.nslab.netlink.sys.LibC;
import io.nslab.testing.KernelTest;
import io.nslab.netlink.testing.Observer;
import io.nslab.netlink.testing.ScratchNs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Links against the real kernel, each test in its own throwaway namespace, checked with ip -j -d. */
@KernelTest
class LinksKernelTest {
    ScratchNs ns;

    @BeforeEach void setUp() throws Exception { ns = ScratchNs.create(); }
    @AfterEach void tearDown() { ns.close(); }

    interface WithLinks { void run(Links links) throws Exception; }

    static void in(ScratchNs n, WithLinks body) throws Exception {
        n.run(() -> {
            try (Rtnl r = Rtnl.open()) { body.run(r.links()); }
        });
    }

    JsonNode ip(String dev) throws Exception {
        JsonNode a = Observer.ipJson(ns.path(), "link", "show", "dev", dev);
        assertThat(a).hasSize(1);
        return a.get(0);
    }

    static LinkLayerAddress mac(String s) { return LinkLayerAddress.parse(s); }

    /** Interface names ip sees in a namespace. */
    static Set<String> names(String nsPath) throws Exception {
        Set<String> out = new TreeSet<>();
        for (JsonNode n : Observer.ipJson(nsPath, "link", "show")) out.add(n.get("ifname").asText());
        return out;
    }

    /**
     * What a fresh namespace holds before a test adds anything: lo, and on
     * kernels with ip_gre/ipip/sit loaded also their fallback devices (gre0,
     * tunl0...), which take the low ifindexes.
     */
    Set<String> baseline() throws Exception { return names(ns.path()); }

    @Test
    void vethPairWithAddressesAndAGetThatDecodesIt() throws Exception {
        in(ns, links -> {
            links.add(LinkSpec.of("veth0", LinkKind.veth("veth1").withPeerAddress(mac("02:00:00:00:00:11"))).withAddress(mac("02:00:00:00:00:10")));
            Link v0 = links.get("veth0").orElseThrow();
            Link v1 = links.get("veth1").orElseThrow();
            assertThat(v0.kindName()).contains("veth");
            assertThat(v0.address()).contains(mac("02:00:00:00:00:10"));
            assertThat(v0.link()).hasValue(v1.index());
            assertThat(v1.link()).hasValue(v0.index());
            assertThat(links.index("veth1")).hasValue(v1.index());
        });
        JsonNode v0 = ip("veth0");
        assertThat(v0.at("/linkinfo/info_kind").asText()).isEqualTo("veth");
        assertThat(v0.get("address").asText()).isEqualTo("02:00:00:00:00:10");
        assertThat(v0.get("link").asText()).isEqualTo("veth1");
        assertThat(ip("veth1").get("address").asText()).isEqualTo("02:00:00:00:00:11");
    }

    @Test
    void vethPeerPlacedIntoAnotherNamespaceAtCreation() throws Exception {
        try (ScratchNs other = ScratchNs.create()) {
            in(ns, links -> {
                links.add(LinkSpec.of("veth0", LinkKind.veth("eth0").withPeerNetns(LinkNetns.path(other.path()))));
                Link v0 = links.get("veth0").orElseThrow();
                assertThat(v0.linkNetnsId()).isPresent();
                assertThat(links.get("eth0")).isEmpty();
            });
            JsonNode peer = Observer.ipJson(other.path(), "link", "show", "dev", "eth0").get(0);
            assertThat(peer.at("/linkinfo/info_kind").asText()).isEqualTo("veth");
            assertThat(ip("veth0").has("link_netnsid")).isTrue();
        }
    }

    @Test
    void bridgeMasterAndNomaster() throws Exception {
        in(ns, links -> {
            links.add(LinkSpec.of("br0", LinkKind.bridge().withStp(false)));
            links.add(LinkSpec.of("veth0", LinkKind.veth("veth1")));
            links.set("veth0", LinkChange.master("br0"), LinkChange.up());
            Link port = links.get("veth0").orElseThrow();
            assertThat(port.master()).hasValue(links.require("br0").index());
            assertThat(port.slave()).containsInstanceOf(LinkSlave.BridgePort.class);
            assertThat(links.require("br0").kind()).contains(new LinkKind.Bridge(Optional.of(false), Optional.of(false)));
        });
        assertThat(ip("veth0").get("master").asText()).isEqualTo("br0");
        assertThat(ip("veth0").at("/linkinfo/info_slave_kind").asText()).isEqualTo("bridge");
        in(ns, links -> links.set("veth0", LinkChange.noMaster()));
        assertThat(ip("veth0").has("master")).isFalse();
    }

    @Test
    void bridgeWithStp() throws Exception {
        in(ns, links -> {
            links.add(LinkSpec.of("br0", LinkKind.bridge().withStp(true)));
            assertThat(links.require("br0").kind()).contains(new LinkKind.Bridge(Optional.of(true), Optional.of(false)));
        });
        assertThat(ip("br0").at("/linkinfo/info_data/stp_state").asInt()).isEqualTo(1);
    }

    @Test
    void bridgeWithVlanFilteringOrTheKernelOptionItLacks() throws Exception {
        boolean[] has = {true};
        in(ns, links -> {
            try {
                links.add(LinkSpec.of("br0", LinkKind.bridge().withVlanFiltering(true)));
            } catch (LinkKindMissingException e) {
                assertThat(e).hasMessage("link add br0: kernel lacks bridge VLAN filtering support (CONFIG_BRIDGE_VLAN_FILTERING)");
                assertThat(links.get("br0")).isEmpty();
                has[0] = false;
            }
        });
        Assumptions.assumeTrue(has[0], "kernel lacks CONFIG_BRIDGE_VLAN_FILTERING");
        assertThat(ip("br0").at("/linkinfo/info_data/vlan_filtering").asInt()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = LinkKind.MacvlanMode.class, names = {"BRIDGE", "VEPA", "PRIVATE", "PASSTHRU"})
    void macvlanInEachMode(LinkKind.MacvlanMode mode) throws Exception {
        in(ns, links -> {
            links.add(LinkSpec.of("veth0", LinkKind.veth("veth1")));
            links.add(LinkSpec.of("mv0", LinkKind.macvlan(LinkRef.of("veth0"), mode)));
            Link mv = links.require("mv0");
            assertThat(mv.kind()).contains(new LinkKind.Macvlan(Optional.of(LinkRef.of(links.require("veth0").index())), mode, false));
        });
        JsonNode mv = ip("mv0");
        assertThat(mv.at("/linkinfo/info_kind").asText()).isEqualTo("macvlan");
        assertThat(mv.at("/linkinfo/info_data/mode").asText()).isEqualTo(mode.keyword());
        assertThat(mv.get("link").asText()).isEqualTo("veth0");
    }

    @Test
    void vxlanUnicastAndMulticast() throws Exception {
        in(ns, links -> {
            links.add(LinkSpec.of("veth0", LinkKind.veth("veth1")));
            links.add(LinkSpec.of("vx0", LinkKind.vxlan(100).withDstPort(4789).withLocal(InetAddress.getByName("10.0.1.1"))
                    .withRemote(InetAddress.getByName("10.0.1.2")).withDev(LinkRef.of("veth0"))));
            links.add(LinkSpec.of("vx1", LinkKind.vxlan(200).withDstPort(4790).withGroup(InetAddress.getByName("239.1.1.1"))
                    .withDev(LinkRef.of("veth0")).withLearning(false)));
            LinkKind.Vxlan x = (LinkKind.Vxlan) links.require("vx0").kind().orElseThrow();
            assertThat(x.vni()).isEqualTo(100);
            assertThat(x.remote()).contains(InetAddress.getByName("10.0.1.2"));
            assertThat(x.dev()).contains(LinkRef.of(links.require("veth0").index()));
            LinkKind.Vxlan y = (LinkKind.Vxlan) links.require("vx1").kind().orElseThrow();
            assertThat(y.group()).contains(InetAddress.getByName("239.1.1.1"));
            assertThat(y.learning()).isFalse();
        });
        JsonNode d = ip("vx0").at("/linkinfo/info_data");
        assertThat(d.get("id").asInt()).isEqualTo(100);
        assertThat(d.get("remote").asText()).isEqualTo("10.0.1.2");
        assertThat(d.get("local").asText()).isEqualTo("10.0.1.1");
        assertThat(d.get("link").asText()).isEqualTo("veth0");
        assertThat(d.get("port").asInt()).isEqualTo(4789);
        assertThat(d.get("learning").asBoolean()).isTrue();
        JsonNode e = ip("vx1").at("/linkinfo/info_data");
        assertThat(e.get("group").asText()).isEqualTo("239.1.1.1");
        assertThat(e.get("learning").asBoolean()).isFalse();
        assertThat(e.get("port").asInt()).isEqualTo(4790);
    }

    @Test
    void tunAndTapThroughDevNetTun() throws Exception {
        in(ns, links -> {
            links.add(LinkSpec.of("tun0", LinkKind.tun()).withMtu(1400));
            links.add(LinkSpec.of("tap0", LinkKind.tap().withOwner(0)).withAddress(mac("02:00:00:00:00:50")).withUp(true));
            LinkKind.Tuntap t = (LinkKind.Tuntap) links.require("tap0").kind().orElseThrow();
            assertThat(t.mode()).isEqualTo(LinkKind.TuntapMode.TAP);
            assertThat(t.owner()).hasValue(0);
            assertThat(((LinkKind.Tuntap) links.require("tun0").kind().orElseThrow()).mode()).isEqualTo(LinkKind.TuntapMode.TUN);
            assertThatThrownBy(() -> links.add(LinkSpec.of("tun0", LinkKind.tun())))
                    .isInstanceOf(ErrnoException.class).hasMessage("link add tun0 failed: EEXIST (File exists)");
        });
        JsonNode tun = ip("tun0");
        assertThat(tun.at("/linkinfo/info_kind").asText()).isEqualTo("tun");
        assertThat(tun.at("/linkinfo/info_data/type").asText()).isEqualTo("tun");
        assertThat(tun.get("mtu").asInt()).isEqualTo(1400);
        JsonNode tap = ip("tap0");
        assertThat(tap.at("/linkinfo/info_data/type").asText()).isEqualTo("tap");
        assertThat(tap.get("address").asText()).isEqualTo("02:00:00:00:00:50");
        assertThat(tap.get("flags").toString()).contains("\"UP\"");
        in(ns, links -> links.delete("tap0"));
        assertThat(names(ns.path())).doesNotContain("tap0").contains("tun0");
    }

    @Test
    void setMtuAddressNameAliasUpDown() throws Exception {
        in(ns, links -> {
            links.add(LinkSpec.of("veth0", LinkKind.veth("veth1")));
            links.set("veth0", LinkChange.mtu(1400), LinkChange.address("02:00:00:00:00:01"), LinkChange.alias("uplink"));
            links.set("veth0", LinkChange.name("foo"));
            links.set("foo", LinkChange.up());
            links.set("veth1", LinkChange.up());
        });
        JsonNode foo = ip("foo");
        assertThat(foo.get("mtu").asInt()).isEqualTo(1400);
        assertThat(foo.get("address").asText()).isEqualTo("02:00:00:00:00:01");
        assertThat(foo.get("ifalias").asText()).isEqualTo("uplink");
        assertThat(foo.get("flags").toString()).contains("\"UP\"", "\"LOWER_UP\"");
        assertThat(foo.get("operstate").asText()).isEqualTo("UP");
        in(ns, links -> {
            Link l = links.require("foo");
            assertThat(l.isUp()).isTrue();
            assertThat(l.isLowerUp()).isTrue();
            assertThat(l.alias()).contains("uplink");
            links.set(l.index(), LinkChange.down(), LinkChange.alias(""));
            assertThat(links.require("foo").isUp()).isFalse();
            assertThat(links.require("foo").alias()).isEmpty();
        });
        assertThat(ip("foo").get("flags").toString()).doesNotContain("\"UP\"");
    }

    @Test
    void moveIntoAnotherNamespaceByPathAndByPid() throws Exception {
        try (ScratchNs other = ScratchNs.create()) {
            long tid = Long.parseLong(other.path().replaceAll(".*/task/(\\d+)/ns/net", "$1"));
            in(ns, links -> {
                links.add(LinkSpec.of("veth0", LinkKind.veth("veth1")));
                links.set("veth0", LinkChange.netns(LinkNetns.path(other.path())));
                links.set("veth1", LinkChange.netns(LinkNetns.pid(tid)));
                assertThat(links.get("veth0")).isEmpty();
                assertThat(links.get("veth1")).isEmpty();
            });
            in(other, links -> {
                assertThat(links.get("veth0")).isPresent();
                assertThat(links.get("veth1")).isPresent();
            });
            assertThat(names(other.path())).contains("veth0", "veth1");
        }
    }

    @Test
    void moveIntoAMissingNamedNamespaceIsAClearError() throws Exception {
        in(ns, links -> {
            links.add(LinkSpec.of("veth0", LinkKind.veth("veth1")));
            assertThatThrownBy(() -> links.set("veth0", LinkChange.netns(LinkNetns.name("nosuchns"))))
                    .isInstanceOf(ErrnoException.class)
                    .hasMessage("link set veth0 failed: ENOENT (No such file or directory): no namespace \"nosuchns\" (/run/netns/nosuchns)");
            assertThat(links.get("veth0")).isPresent();
        });
    }

    @Test
    void deleteAndMissingLinks() throws Exception {
        Set<String> before = baseline();
        in(ns, links -> {
            links.add(LinkSpec.of("veth0", LinkKind.veth("veth1")));
            links.delete("veth0");
            assertThat(links.get("veth0")).isEmpty();
            assertThat(links.get("veth1")).isEmpty();
            assertThat(links.index("veth0")).isEmpty();
            assertThat(links.get(9999)).isEmpty();
            assertThatThrownBy(() -> links.require("veth0")).isInstanceOf(ErrnoException.class)
                    .hasMessageStartingWith("link show veth0 failed: ENODEV (No such device)");
            assertThatThrownBy(() -> links.delete("veth0")).isInstanceOf(ErrnoException.class)
                    .hasMessageStartingWith("link del veth0 failed: ENODEV").satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(Errno.ENODEV));
            assertThatThrownBy(() -> links.set("veth0", LinkChange.up())).isInstanceOf(ErrnoException.class)
                    .hasMessageStartingWith("link set veth0 failed: ENODEV");
            assertThatThrownBy(() -> links.add(LinkSpec.of("mv0", LinkKind.macvlan(LinkRef.of("nosuch"), LinkKind.MacvlanMode.BRIDGE))))
                    .isInstanceOf(ErrnoException.class).hasMessageStartingWith("link add mv0 failed: ENODEV").hasMessageContaining("nosuch");
        });
        assertThat(names(ns.path())).isEqualTo(before);
    }

    @Test
    void addingAnExistingNameNamesTheLink() throws Exception {
        in(ns, links -> {
            links.add(LinkSpec.of("br0", LinkKind.bridge()));
            assertThatThrownBy(() -> links.add(LinkSpec.of("br0", LinkKind.bridge())))
                    .isInstanceOf(ErrnoException.class).hasMessageStartingWith("link add br0 failed: EEXIST (File exists)");
        });
    }

    @Test
    void explicitIfindexesForBatches() throws Exception {
        in(ns, links -> {
            links.add(LinkSpec.of("br0", LinkKind.bridge()).withIndex(100).withUp(true));
            links.add(LinkSpec.of("veth0", LinkKind.veth("veth1").withPeerIndex(201)).withIndex(200).withMaster(LinkRef.of(100)));
            assertThat(links.require("br0").index()).isEqualTo(100);
            assertThat(links.require("br0").isUp()).isTrue();
            assertThat(links.require("veth0").index()).isEqualTo(200);
            assertThat(links.require("veth1").index()).isEqualTo(201);
            assertThat(links.require("veth0").master()).hasValue(100);
        });
        assertThat(ip("veth0").get("ifindex").asInt()).isEqualTo(200);
    }

    @Test
    void pipelinedBatchOfPureRequests() throws Exception {
        in(ns, links -> {
            List<NlRequest> batch = List.of(
                    LinkRequests.add(LinkSpec.of("br0", LinkKind.bridge()).withIndex(10)),
                    LinkRequests.add(LinkSpec.of("a0", LinkKind.veth("a1")).withMaster(LinkRef.of(10)).withUp(true)),
                    LinkRequests.add(LinkSpec.of("br0", LinkKind.bridge())),
                    LinkRequests.set("br0", LinkChange.up()));
            var results = links.socket().executeAll(batch);
            assertThat(results.get(0)).isEmpty();
            assertThat(results.get(1)).isEmpty();
            assertThat(results.get(2)).hasValueSatisfying(e -> assertThat(e.getMessage()).startsWith("link add br0 failed: EEXIST"));
            assertThat(results.get(3)).isEmpty();
            assertThat(links.dump()).extracting(Link::name).contains("lo", "br0", "a0", "a1");
        });
    }

    @Test
    void dumpListsEveryLink() throws Exception {
        Set<String> expected = new TreeSet<>(baseline());
        expected.addAll(List.of("br0", "veth0", "veth1"));
        in(ns, links -> {
            links.add(LinkSpec.of("br0", LinkKind.bridge()));
            links.add(LinkSpec.of("veth0", LinkKind.veth("veth1")));
            List<Link> all = links.dump();
            assertThat(all).extracting(Link::name).containsExactlyInAnyOrderElementsOf(expected);
            Link lo = all.stream().filter(l -> l.name().equals("lo")).findFirst().orElseThrow();
            assertThat(lo.isLoopback()).isTrue();
            assertThat(lo.kind()).isEmpty();
        });
        assertThat(names(ns.path())).isEqualTo(expected);
    }

    static Stream<Arguments> kindsThisKernelMayLack() throws Exception {
        LinkRef parent = LinkRef.of("veth0");
        Inet4Address a = (Inet4Address) InetAddress.getByName("10.0.1.1"), b = (Inet4Address) InetAddress.getByName("10.0.1.2");
        return Stream.of(
                Arguments.of(LinkSpec.of("veth0.100", LinkKind.vlan(parent, 100)), "CONFIG_VLAN_8021Q", "802.1Q VLAN"),
                Arguments.of(LinkSpec.of("veth0.200", LinkKind.vlan(parent, 200, LinkKind.VlanProtocol.DOT1AD)), "CONFIG_VLAN_8021Q", "802.1Q VLAN"),
                Arguments.of(LinkSpec.of("ipvl0", LinkKind.ipvlan(parent, LinkKind.IpvlanMode.L2)), "CONFIG_IPVLAN", "IPVLAN"),
                Arguments.of(LinkSpec.of("ipvl1", LinkKind.ipvlan(parent, LinkKind.IpvlanMode.L3)), "CONFIG_IPVLAN", "IPVLAN"),
                Arguments.of(LinkSpec.of("ipvl2", LinkKind.ipvlan(parent, LinkKind.IpvlanMode.L3S)), "CONFIG_IPVLAN", "IPVLAN"),
                Arguments.of(LinkSpec.of("dummy0", LinkKind.dummy()), "CONFIG_DUMMY", "dummy interface"),
                Arguments.of(LinkSpec.of("vrf10", LinkKind.vrf(10)), "CONFIG_NET_VRF", "VRF"),
                Arguments.of(LinkSpec.of("gre1", LinkKind.gre(a, b)), "CONFIG_NET_IPGRE", "GRE tunnel"),
                Arguments.of(LinkSpec.of("ipip1", LinkKind.ipip(a, b)), "CONFIG_NET_IPIP", "IP-in-IP tunnel"));
    }

    /**
     * Kinds the kernel here lacks: the error must name the kernel option (a
     * real check of this kernel). Where the kernel has the kind, the link is
     * created and checked instead; where it lacks it, the rest is skipped.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kindsThisKernelMayLack")
    void aMissingKindNamesTheKernelOption(LinkSpec spec, String config, String feature) throws Exception {
        boolean[] has = {true};
        in(ns, links -> {
            links.add(LinkSpec.of("veth0", LinkKind.veth("veth1")));
            try {
                links.add(spec);
            } catch (LinkKindMissingException e) {
                assertThat(e).hasMessage("link add " + spec.name() + ": kernel lacks " + feature + " support (" + config + ")");
                assertThat(e.errno()).isEqualTo(Errno.EOPNOTSUPP);
                assertThat(e.option().config()).isEqualTo(config);
                assertThat(e.kind()).isEqualTo(spec.kind().kind());
                assertThat(links.get(spec.name())).isEmpty();
                has[0] = false;
            }
        });
        Assumptions.assumeTrue(has[0], "kernel lacks " + config);
        // The kernel has the kind (the full-kernel lane): what it reports back decodes to what was asked.
        in(ns, links -> {
            LinkKind got = links.require(spec.name()).kind().orElseThrow();
            LinkRef veth0 = LinkRef.of(links.require("veth0").index());
            switch (spec.kind()) {
                case LinkKind.Vlan v -> assertThat(got).isEqualTo(new LinkKind.Vlan(Optional.of(veth0), v.id(),
                        Optional.of(v.protocol().orElse(LinkKind.VlanProtocol.DOT1Q))));
                case LinkKind.Ipvlan v -> assertThat(got).isEqualTo(new LinkKind.Ipvlan(Optional.of(veth0), v.mode(), v.flags()));
                default -> assertThat(got).isEqualTo(spec.kind());
            }
        });
        JsonNode j = ip(spec.name());
        assertThat(j.at("/linkinfo/info_kind").asText()).isEqualTo(spec.kind().kind());
        JsonNode d = j.at("/linkinfo/info_data");
        switch (spec.kind()) {
            case LinkKind.Vlan v -> {
                assertThat(d.get("id").asInt()).isEqualTo(v.id());
                assertThat(d.get("protocol").asText()).isEqualToIgnoringCase(v.protocol().orElse(LinkKind.VlanProtocol.DOT1Q).keyword);
                assertThat(j.get("link").asText()).isEqualTo("veth0");
            }
            case LinkKind.Ipvlan v -> assertThat(d.get("mode").asText()).isEqualToIgnoringCase(v.mode().keyword());
            case LinkKind.Vrf v -> assertThat(d.get("table").asInt()).isEqualTo(v.table());
            case LinkKind.Gre g -> {
                assertThat(d.get("local").asText()).isEqualTo(g.local().orElseThrow().getHostAddress());
                assertThat(d.get("remote").asText()).isEqualTo(g.remote().orElseThrow().getHostAddress());
            }
            case LinkKind.Ipip g -> {
                assertThat(d.get("local").asText()).isEqualTo(g.local().orElseThrow().getHostAddress());
                assertThat(d.get("remote").asText()).isEqualTo(g.remote().orElseThrow().getHostAddress());
            }
            default -> { }
        }
    }

    @Test
    void aliasGivenAtCreation() throws Exception {
        in(ns, links -> {
            links.add(LinkSpec.of("br0", LinkKind.bridge()).withAlias("the lab bridge").withMtu(1400).withTxqlen(500));
            Link br = links.require("br0");
            assertThat(br.alias()).contains("the lab bridge");
            assertThat(br.mtu()).hasValue(1400);
            assertThat(br.txqlen()).hasValue(500);
        });
        assertThat(ip("br0").get("ifalias").asText()).isEqualTo("the lab bridge");
        assertThat(ip("br0").get("txqlen").asInt()).isEqualTo(500);
    }

    @Test
    void namedNamespacesAreOpenedForTheRequest() throws Exception {
        try (ScratchNs other = ScratchNs.create()) {
            Path p = Path.of("/run/netns/links-test");
            Files.createDirectories(p.getParent());
            Files.deleteIfExists(p);
            Files.createFile(p);
            LibC.mount(other.path(), p.toString(), null, LibC.MS_BIND, null);
            try {
                in(ns, links -> {
                    links.add(LinkSpec.of("veth0", LinkKind.veth("peer0").withPeerNetns(LinkNetns.name("links-test"))));
                    links.set("veth0", LinkChange.netns(LinkNetns.name("links-test")));
                    assertThat(links.get("veth0")).isEmpty();
                    links.add(LinkSpec.of("br0", LinkKind.bridge()));
                    // A bridge is NETIF_F_NETNS_LOCAL (6.18 adds "The interface netns is immutable").
                    assertThatThrownBy(() -> links.set("br0", LinkChange.netns(LinkNetns.name("links-test"))))
                            .isInstanceOf(ErrnoException.class).hasMessageStartingWith("link set br0 failed: EINVAL (Invalid argument)");
                });
                assertThat(names(other.path())).contains("peer0", "veth0");
            } finally {
                LibC.umount2(p.toString(), LibC.MNT_DETACH);
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void macvtapOnAVeth() throws Exception {
        in(ns, links -> {
            links.add(LinkSpec.of("veth0", LinkKind.veth("veth1")));
            links.add(LinkSpec.of("mvt0", LinkKind.macvtap(LinkRef.of("veth0"), LinkKind.MacvlanMode.BRIDGE)));
            LinkKind.Macvlan k = (LinkKind.Macvlan) links.require("mvt0").kind().orElseThrow();
            assertThat(k.tap()).isTrue();
            assertThat(k.mode()).isEqualTo(LinkKind.MacvlanMode.BRIDGE);
        });
        assertThat(ip("mvt0").at("/linkinfo/info_kind").asText()).isEqualTo("macvtap");
    }

    @Test
    void tapWithOwnerAndGroupAndVnetHeader() throws Exception {
        in(ns, links -> {
            LinkKind.Tuntap t = LinkKind.tap().withOwner(1000).withGroup(100);
            links.add(LinkSpec.of("tap1", new LinkKind.Tuntap(t.mode(), t.owner(), t.group(), false, true, false)));
            LinkKind.Tuntap back = (LinkKind.Tuntap) links.require("tap1").kind().orElseThrow();
            assertThat(back.owner()).hasValue(1000);
            assertThat(back.group()).hasValue(100);
            assertThat(back.vnetHdr()).isTrue();
            assertThat(back.pi()).isFalse();
        });
        JsonNode d = ip("tap1").at("/linkinfo/info_data");
        assertThat(d.get("type").asText()).isEqualTo("tap");
        assertThat(d.get("vnet_hdr").asBoolean()).isTrue();
        assertThat(d.get("persist").asBoolean()).isTrue();
    }

    @Test
    void vxlanOverIpv6() throws Exception {
        in(ns, links -> {
            links.add(LinkSpec.of("vx6", LinkKind.vxlan(7).withDstPort(4789).withLocal(InetAddress.getByName("fd00::1"))
                    .withRemote(InetAddress.getByName("fd00::2"))));
            LinkKind.Vxlan x = (LinkKind.Vxlan) links.require("vx6").kind().orElseThrow();
            assertThat(x.local()).contains(InetAddress.getByName("fd00::1"));
            assertThat(x.remote()).contains(InetAddress.getByName("fd00::2"));
        });
        JsonNode d = ip("vx6").at("/linkinfo/info_data");
        assertThat(d.get("remote6").asText()).isEqualTo("fd00::2");
        assertThat(d.get("local6").asText()).isEqualTo("fd00::1");
    }

    @Test
    void flagNamesMatchIp() throws Exception {
        in(ns, links -> {
            links.add(LinkSpec.of("veth0", LinkKind.veth("veth1")).withUp(true));
            links.add(LinkSpec.of("br0", LinkKind.bridge()));
            links.add(LinkSpec.of("veth2", LinkKind.veth("veth3")).withUp(true));
            links.set("veth1", LinkChange.up());
            links.set("lo", LinkChange.up());
            // Carrier and operstate settle asynchronously (linkwatch): wait, so ip and we see the same.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < deadline && links.dump().stream().anyMatch(l -> l.isUp() && l.operState() == LinkOperState.UNKNOWN && !l.isLoopback())) {
                Thread.sleep(20);
            }
        });
        JsonNode all = Observer.ipJson(ns.path(), "link", "show");
        in(ns, links -> {
            List<Link> dump = links.dump();
            for (Link l : dump) {
                JsonNode j = null;
                for (JsonNode n : all) if (n.get("ifname").asText().equals(l.name())) j = n;
                assertThat(j).as(l.name()).isNotNull();
                List<String> ipFlags = new ArrayList<>();
                j.get("flags").forEach(f -> ipFlags.add(f.asText()));
                boolean lowerDown = l.link().isPresent() && dump.stream().anyMatch(o -> o.index() == l.link().getAsInt() && !o.isUp());
                assertThat(l.flagNames(lowerDown)).as(l.name()).isEqualTo(ipFlags);
                assertThat(l.operState().name()).as(l.name()).isEqualTo(j.get("operstate").asText());
            }
        });
    }

    @Test
    void tunFromAThreadOutsideTheSocketsNamespaceIsRefusedAndCleanedUp() throws Exception {
        try (ScratchNs other = ScratchNs.create()) {
            Rtnl r = ns.call(Rtnl::open);
            try {
                other.run(() -> assertThatThrownBy(() -> r.links().add(LinkSpec.of("tun9", LinkKind.tun())))
                        .isInstanceOf(ErrnoException.class)
                        .hasMessageContaining("link add tun9 failed: ENODEV")
                        .hasMessageContaining("not in the socket's network namespace"));
            } finally {
                r.close();
            }
            assertThat(names(other.path())).doesNotContain("tun9");
            assertThat(names(ns.path())).doesNotContain("tun9");
        }
    }

    @Test
    void bridgePortDataIsDecoded() throws Exception {
        in(ns, links -> {
            links.add(LinkSpec.of("br0", LinkKind.bridge()).withUp(true));
            links.add(LinkSpec.of("veth0", LinkKind.veth("veth1")).withMaster(LinkRef.of("br0")));
            LinkSlave.BridgePort p = (LinkSlave.BridgePort) links.require("veth0").slave().orElseThrow();
            assertThat(p.stateName()).isEqualTo("disabled");
            assertThat(p.priority()).isEqualTo(32);
            assertThat(p.cost()).isPositive();
            assertThat(p.learning()).isTrue();
            assertThat(p.unicastFlood()).isTrue();
            assertThat(p.isolated()).isFalse();
        });
        JsonNode d = ip("veth0").at("/linkinfo/info_slave_data");
        assertThat(d.get("state").asText()).isEqualTo("disabled");
        assertThat(d.get("priority").asInt()).isEqualTo(32);
        assertThat(d.get("learning").asBoolean()).isTrue();
    }

    @Test
    void linkDetailsMatchIp() throws Exception {
        in(ns, links -> links.add(LinkSpec.of("veth0", LinkKind.veth("veth1")).withMtu(9000)));
        JsonNode j = ip("veth0");
        in(ns, links -> {
            Link l = links.require("veth0");
            assertThat(l.linkTypeName()).isEqualTo(j.get("link_type").asText());
            assertThat(l.mtu()).hasValue(j.get("mtu").asInt());
            assertThat(l.minMtu()).hasValue(j.get("min_mtu").asInt());
            assertThat(l.maxMtu()).hasValue(j.get("max_mtu").asInt());
            assertThat(l.promiscuity()).isEqualTo(j.get("promiscuity").asInt());
            assertThat(l.numTxQueues()).hasValue(j.get("num_tx_queues").asInt());
            assertThat(l.numRxQueues()).hasValue(j.get("num_rx_queues").asInt());
            assertThat(l.qdisc()).contains(j.get("qdisc").asText());
            assertThat(l.txqlen()).hasValue(j.get("txqlen").asInt());
            assertThat(l.address().orElseThrow().toString()).isEqualTo(j.get("address").asText());
            assertThat(l.broadcast().orElseThrow().toString()).isEqualTo(j.get("broadcast").asText());
            assertThat(l.group()).isZero();
            assertThat(j.get("group").asText()).isEqualTo("default");
            assertThat(l.linkMode()).isZero();
            assertThat(links.require("lo").linkTypeName()).isEqualTo("loopback");
        });
    }

    @Test
    void starBatchWithPeersPlacedIntoNamespacesByFdAndChosenIndexes() throws Exception {
        List<ScratchNs> nodes = new ArrayList<>();
        List<Integer> fds = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                ScratchNs n = ScratchNs.create();
                nodes.add(n);
                fds.add(LibC.open(n.path(), LibC.O_RDONLY, 0));
            }
            in(ns, links -> {
                List<NlRequest> batch = new ArrayList<>();
                batch.add(LinkRequests.add(LinkSpec.of("br0", LinkKind.bridge()).withIndex(100).withUp(true)));
                for (int i = 0; i < fds.size(); i++) {
                    batch.add(LinkRequests.add(LinkSpec.of("h" + i,
                            LinkKind.veth("eth0").withPeerNetns(LinkNetns.fd(fds.get(i))).withPeerIndex(20))
                            .withIndex(1000 + i).withMaster(LinkRef.of(100)).withUp(true)));
                }
                assertThat(links.socket().executeAll(batch)).allMatch(Optional::isEmpty);
                assertThat(links.require("h1").index()).isEqualTo(1001);
                assertThat(links.require("h1").master()).hasValue(100);
            });
            for (ScratchNs n : nodes) {
                JsonNode eth0 = Observer.ipJson(n.path(), "link", "show", "dev", "eth0").get(0);
                assertThat(eth0.get("ifindex").asInt()).isEqualTo(20);
            }
        } finally {
            for (int fd : fds) LibC.close(fd);
            for (ScratchNs n : nodes) n.close();
        }
    }

    @Test
    void moveAndRenameInOneRequest() throws Exception {
        try (ScratchNs other = ScratchNs.create()) {
            in(ns, links -> {
                links.add(LinkSpec.of("tmp0", LinkKind.veth("veth1")));
                links.set("tmp0", LinkChange.netns(LinkNetns.path(other.path())), LinkChange.name("eth0"), LinkChange.mtu(1400),
                        LinkChange.netnsIndex(77));
                assertThat(links.get("tmp0")).isEmpty();
            });
            JsonNode eth0 = Observer.ipJson(other.path(), "link", "show", "dev", "eth0").get(0);
            assertThat(eth0.get("mtu").asInt()).isEqualTo(1400);
            assertThat(eth0.get("ifindex").asInt()).isEqualTo(77);
            assertThat(eth0.get("link_netnsid").isNumber()).isTrue();
        }
    }

    @Test
    void addAllPipelinesAndReportsPerSpec() throws Exception {
        try (ScratchNs other = ScratchNs.create()) {
            in(ns, links -> {
                links.add(LinkSpec.of("br0", LinkKind.bridge()));
                var results = links.addAll(List.of(
                        LinkSpec.of("br1", LinkKind.bridge()).withIndex(50).withUp(true),
                        LinkSpec.of("a0", LinkKind.veth("a1").withPeerNetns(LinkNetns.path(other.path()))).withMaster(LinkRef.of("br0")),
                        LinkSpec.of("b0", LinkKind.veth("b1")).withMaster(LinkRef.of(50)).withAlias("port of br1"),
                        LinkSpec.of("t0", LinkKind.tap()),
                        LinkSpec.of("br0", LinkKind.bridge()),
                        LinkSpec.of("m0", LinkKind.macvlan(LinkRef.of("nosuch"), LinkKind.MacvlanMode.BRIDGE)),
                        LinkSpec.of("d0", LinkKind.dummy())));
                assertThat(results.subList(0, 4)).allMatch(Optional::isEmpty);
                assertThat(results.get(4).orElseThrow()).hasMessageStartingWith("link add br0 failed: EEXIST");
                assertThat(results.get(5).orElseThrow()).hasMessageStartingWith("link add m0 failed: ENODEV");
                // This kernel lacks dummy (the error names the option); one that has it creates it.
                results.get(6).ifPresent(e -> assertThat(e).isInstanceOf(LinkKindMissingException.class)
                        .hasMessage("link add d0: kernel lacks dummy interface support (CONFIG_DUMMY)"));
                assertThat(links.require("a0").master()).hasValue(links.require("br0").index());
                assertThat(links.require("b0").master()).hasValue(50);
                assertThat(links.require("b0").alias()).contains("port of br1");
                assertThat(links.require("t0").kindName()).contains("tun");
            });
            assertThat(names(other.path())).contains("a1");
        }
    }

    @Test
    void aNamePatternLetsTheKernelChooseLikeIpLinkAddTypeVeth() throws Exception {
        in(ns, links -> {
            links.add(LinkSpec.of("veth%d", LinkKind.veth()));
            assertThat(links.dump()).extracting(Link::name).contains("veth0", "veth1");
            links.add(LinkSpec.of("br%d", LinkKind.bridge()));
            assertThat(links.get("br0")).isPresent();
        });
    }

    /** ioctl(SIOCGIFINDEX) on the socket finds links in the socket's namespace, whichever thread asks. */
    @Test
    void linkIndexByIoctlMatchesNetlinkInTheSocketsNamespace() throws Exception {
        Rtnl r = ns.call(() -> {
            Rtnl x = Rtnl.open();
            x.links().add(LinkSpec.of("ix0", LinkKind.veth("ix1")));
            return x;
        });
        try {
            // asked from the test's own thread, which stands in another namespace
            Links links = r.links();
            for (String name : List.of("lo", "ix0", "ix1")) {
                assertThat(r.socket().linkIndex(name)).as(name).hasValue(links.get(name).orElseThrow().index());
                assertThat(links.index(name)).as(name).hasValue(ip(name).get("ifindex").asInt());
            }
            assertThat(r.socket().linkIndex("nope")).isEmpty();
            assertThat(r.socket().linkIndex("a-name-far-too-long")).isEmpty();
            assertThat(r.socket().linkIndex("")).isEmpty();
            try (Rtnl here = Rtnl.open()) {
                assertThat(here.socket().linkIndex("ix0")).as("not in the test's namespace").isEmpty();
            }
        } finally {
            r.close();
        }
    }
}
