package io.nslab.cli.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.nslab.cli.kernel.Cli.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** S5-S8 and S12: the link kinds of advanced-networking.md, made with nslab, checked with ip -j and ping. */
@KernelTest
class LinkKindScenariosTest {
    @BeforeEach @AfterEach void clean() throws Exception { cleanup(); }

    /** The parent "ens41": one end of a veth whose other end is up in the test's namespace. */
    private void parent() {
        ok("link add ens41 type veth peer name ens41-sw", "link set ens41-sw up", "link set ens41 up",
                "addr add 10.40.1.246/24 dev ens41", "netns add ns2", "netns add ns3");
    }

    private void children(String mode) {
        ok("link add ens41m1 link ens41 type macvlan mode " + mode, "link add ens41m2 link ens41 type macvlan mode " + mode,
                "link set ens41m1 netns ns2", "link set ens41m2 netns ns3",
                "-n ns2 addr add 10.40.1.247/24 dev ens41m1", "-n ns2 link set ens41m1 up",
                "-n ns3 addr add 10.40.1.248/24 dev ens41m2", "-n ns3 link set ens41m2 up");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bridge", "private", "vepa"})
    void s6MacvlanModesAndTheirIsolation(String mode) throws Exception {
        parent();
        children(mode);
        JsonNode m1 = link("ns2", "ens41m1");
        assertThat(m1.get("linkinfo").get("info_kind").asText()).isEqualTo("macvlan");
        assertThat(m1.get("linkinfo").get("info_data").get("mode").asText()).isEqualTo(mode);
        assertThat(nslab("-n ns2 -j -d link show ens41m1").ok().json().get(0).get("linkinfo").get("info_data").get("mode").asText()).isEqualTo(mode);
        // bridge: children talk to each other; private: never; vepa: only through a hairpinning switch, which this "LAN" is not
        assertThat(ping("ns2", "10.40.1.248")).as("child to child in %s mode", mode).isEqualTo(mode.equals("bridge"));
        // the parent cannot reach its children in any mode
        assertThat(ping(null, "10.40.1.247")).as("parent to child").isFalse();
    }

    @Test void s6PassthruTakesTheWholeParentForOneChild() throws Exception {
        parent();
        ok("link add macvlan1 link ens41 type macvlan mode passthru", "link set macvlan1 netns ns2");
        Result second = nslab("link add macvlan2 link ens41 type macvlan mode passthru");
        assertThat(second.code()).isNotZero();
        assertThat(second.err()).startsWith("nslab: link add macvlan2 link ens41 type macvlan mode passthru: ").doesNotContain("\n" + "nslab");
        assertThat(link("ns2", "macvlan1").get("linkinfo").get("info_data").get("mode").asText()).isEqualTo("passthru");
    }

    @Test void s8VxlanOverAnUnderlayVeth() throws Exception {
        ok("netns add h1", "netns add h2",
                "link add eth0 type veth peer name eth0 netns h2", "link set eth0 netns h1",
                "-n h1 addr add 172.16.0.10/24 dev eth0", "-n h1 link set eth0 up",
                "-n h2 addr add 172.16.0.20/24 dev eth0", "-n h2 link set eth0 up",
                "-n h1 link add vx0 type vxlan id 100 local 172.16.0.10 remote 172.16.0.20 dev eth0 dstport 4789",
                "-n h2 link add vx0 type vxlan id 100 local 172.16.0.20 remote 172.16.0.10 dev eth0 dstport 4789",
                "-n h1 address add 172.20.0.10/24 dev vx0", "-n h1 link set vx0 up",
                "-n h2 address add 172.20.0.20/24 dev vx0", "-n h2 link set vx0 up");
        JsonNode d = link("h1", "vx0").get("linkinfo").get("info_data");
        assertThat(d.get("id").asInt()).isEqualTo(100);
        assertThat(d.get("port").asInt()).isEqualTo(4789);
        assertThat(d.get("remote").asText()).isEqualTo("172.16.0.20");
        assertThat(d.get("local").asText()).isEqualTo("172.16.0.10");
        assertThat(d.get("link").asText()).isEqualTo("eth0");
        JsonNode mine = nslab("-n h1 -j -d link show vx0").ok().json().get(0).get("linkinfo").get("info_data");
        for (String k : new String[] {"id", "remote", "local", "link", "port"}) assertThat(mine.get(k)).as(k).isEqualTo(d.get(k));
        assertThat(ping("h1", "172.20.0.20")).isTrue();
        assertThat(ping("h2", "172.20.0.10")).isTrue();
    }

    @Test void s12TunAndTap() throws Exception {
        ok("netns add t", "tuntap add dev tap0 mode tap", "tuntap add tun0 mode tun", "-n t tuntap add dev tap9 mode tap",
                "link set tap0 up", "addr add 10.50.0.1/24 dev tap0");
        JsonNode tap = link(null, "tap0");
        assertThat(tap.get("linkinfo").get("info_kind").asText()).isEqualTo("tun");
        assertThat(tap.get("linkinfo").get("info_data").get("type").asText()).isEqualTo("tap");
        assertThat(tap.get("link_type").asText()).isEqualTo("ether");
        assertThat(link(null, "tun0").get("linkinfo").get("info_data").get("type").asText()).isEqualTo("tun");
        assertThat(link(null, "tun0").get("link_type").asText()).isEqualTo("none");
        assertThat(link("t", "tap9").get("linkinfo").get("info_data").get("type").asText()).isEqualTo("tap");
        assertThat(addrs(null, "tap0")).contains("10.50.0.1/24");
        assertThat(nslab("tuntap show").ok().out()).contains("tap0", "tun0");
        ok("tuntap del dev tap0 mode tap", "tuntap del tun0 mode tun", "-n t tuntap del dev tap9 mode tap");
        assertThat(ip(null, "link show").toString()).doesNotContain("tap0").doesNotContain("tun0");
    }

    @Test void s5VlanNeedsAKernelOption() throws Exception {
        ok("link add veth-ns1 type veth peer name veth-ns2");
        Result r = nslab("link add link veth-ns1 name veth-ns1.100 type vlan id 100");
        if (r.code() == 0) return; // a kernel with 802.1Q: made as asked
        assertThat(r.err()).contains("CONFIG_VLAN_8021Q").doesNotContain("\n" + "nslab");
        assumeTrue(false, "kernel lacks CONFIG_VLAN_8021Q; the error names it");
    }

    @Test void s7IpvlanNeedsAKernelOption() throws Exception {
        ok("link add ens41 type veth peer name ens41-sw");
        Result r = nslab("link add ipvlan1 link ens41 type ipvlan mode l2");
        if (r.code() == 0) return;
        assertThat(r.err()).contains("CONFIG_IPVLAN");
        assumeTrue(false, "kernel lacks CONFIG_IPVLAN; the error names it");
    }
}
