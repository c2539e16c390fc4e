package io.nslab.cli.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static io.nslab.cli.kernel.Cli.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code -d} listings ({@code link show}, {@code addr show}, text, {@code -j}, {@code -o}) print what ip 6.1
 * prints, byte for byte, for every kind nslab makes: made with ip (the observer). The bridge's and ports'
 * STP timers run between the two listings, so only their values are masked; everything else must match.
 * Kinds this kernel lacks skip naming their kernel option and run in the full-kernel lane.
 */
@KernelTest
class LinkDetailsParityTest {
    @BeforeEach @AfterEach void clean() throws Exception { cleanup(); }

    static final List<String> LISTINGS = List.of("-d link show", "-d addr show", "-d link show dev v0", "-4 -d addr show",
            "-o -d link show", "-d link show type bridge");

    static boolean ip(String line) throws Exception {
        return run(words("ip " + line)).code() == 0;
    }

    static void ipOk(String line) throws Exception {
        Result r = run(words("ip " + line));
        assertThat(r.code()).as("ip %s: %s", line, r.err()).isZero();
    }

    static List<String> words(String line) {
        return new ArrayList<>(List.of(line.trim().split("\\s+")));
    }

    static String maskTimers(String s) {
        return s.replaceAll("(_timer) +[0-9]+\\.[0-9]+", "$1 T");
    }

    static void maskTimers(JsonNode n) {
        if (n instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.properties().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (e.getKey().endsWith("_timer")) e.setValue(o.numberNode(0));
                else maskTimers(e.getValue());
            }
        } else if (n != null && n.isArray()) {
            n.forEach(LinkDetailsParityTest::maskTimers);
        }
    }

    /** nslab's answer equals ip's, text and -j; ip asked before and after, two equal answers count. */
    static void sameAsIp(String c) throws Exception {
        for (int i = 0; ; i++) {
            String before = maskTimers(run(words("ip " + c)).out()), mine = maskTimers(nslab(c).ok().out()),
                    after = maskTimers(run(words("ip " + c)).out());
            if (before.equals(after) || i == 30) {
                assertThat(mine).as(c).isEqualTo(after);
                break;
            }
            Thread.sleep(100);
        }
        if (c.startsWith("-o")) return;
        for (int i = 0; ; i++) {
            JsonNode before = JSON.readTree(run(words("ip -j " + c)).out()), mine = nslab("-j " + c).ok().json(),
                    after = JSON.readTree(run(words("ip -j " + c)).out());
            maskTimers(before);
            maskTimers(mine);
            maskTimers(after);
            if (before.equals(after) || i == 30) {
                assertThat(mine).as("-j %s", c).isEqualTo(after);
                // the same bytes, not only the same values: ip's numbers ("0.00") and key order
                assertThat(mine.toString()).as("-j %s", c).isEqualTo(after.toString());
                break;
            }
            Thread.sleep(100);
        }
    }

    static void allListingsSameAsIp() throws Exception {
        for (String c : LISTINGS) sameAsIp(c);
    }

    @Test void bridgePortsVethVxlanMacvlanAndTunTapListAsIp() throws Exception {
        ipOk("link add br0 type bridge");
        ipOk("link add br1 type bridge stp_state 1 group_fwd_mask 0x8 mcast_snooping 0");
        ipOk("link add v0 type veth peer name v1");
        ipOk("link add v2 type veth peer name v3");
        ipOk("link set v0 master br0");
        ipOk("link set v2 master br0");
        ipOk("link set v0 type bridge_slave group_fwd_mask 0x4005 backup_port v2 hairpin on cost 100 priority 7");
        ipOk("link set v0 up");
        ipOk("link set v1 up");
        ipOk("link set br0 up");
        ipOk("link set v1 alias side-one");
        ipOk("link set v3 addrgenmode none");
        ipOk("addr add 10.9.0.1/24 dev br0");
        ipOk("link add vx0 type vxlan id 5 dstport 4789");
        ipOk("link add vx1 type vxlan id 7 remote 10.1.2.3 local 10.1.2.4 dev v1 dstport 0 nolearning ttl 5 tos 0x10 ageing 0 maxaddr 10 noudpcsum");
        ipOk("link add vx6 type vxlan id 9 group ff05::9 dev v1 dstport 4789 ttl inherit df set flowlabel 0x123 l2miss l3miss proxy");
        ipOk("link add vx7 type vxlan id 10 remote fd00::2 local fd00::1 dstport 4789 udp6zerocsumtx udp6zerocsumrx");
        ipOk("link add vx8 type vxlan external dstport 4790");
        ipOk("link add mv0 link v1 type macvlan mode bridge");
        ipOk("link add mv1 link v1 type macvlan mode source");
        ipOk("link set dev mv1 type macvlan macaddr add 02:00:00:00:00:01");
        ipOk("link add mv2 link v3 type macvlan mode passthru nopromisc");
        ipOk("tuntap add dev tp0 mode tap");
        ipOk("tuntap add dev tp1 mode tap user 0 group 0 multi_queue vnet_hdr");
        ipOk("tuntap add dev tn0 mode tun user 4242 pi");
        allListingsSameAsIp();
        for (String dev : List.of("br0", "br1", "v0", "v1", "vx1", "vx6", "vx8", "mv1", "tp1", "tn0")) sameAsIp("-d link show dev " + dev);
        // the words the issue names, as scripts grep them
        String br = nslab("-d link show dev br0").ok().out();
        assertThat(br).contains(" promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 \n    bridge forward_delay 1500 ", " vlan_filtering 0 ");
        assertThat(nslab("-d link show dev v0").ok().out()).contains("\n    bridge_slave state forwarding priority 7 cost 100 hairpin on ");
        assertThat(nslab("-d link show dev vx0").ok().out()).contains("\n    vxlan id 5 srcport 0 0 dstport 4789 ttl auto ageing 300 udpcsum ");
        assertThat(nslab("-d link show dev tp0").ok().out()).contains("\n    tun type tap pi off vnet_hdr off persist on ");
    }

    @Test void vlanListsAsIp() throws Exception {
        ipOk("link add v0 type veth peer name v1");
        assumeTrue(ip("link add link v1 name vl0 type vlan id 3"), "this kernel lacks 802.1Q VLANs (CONFIG_VLAN_8021Q): proven in the full-kernel lane");
        ipOk("link add link v1 name vl1 type vlan proto 802.1ad id 4 egress-qos-map 1:2 2:3 ingress-qos-map 3:4 gvrp on reorder_hdr off");
        allListingsSameAsIp();
        assertThat(nslab("-d link show dev vl0").ok().out()).contains("\n    vlan protocol 802.1Q id 3 <REORDER_HDR> ");
    }

    @Test void ipvlanListsAsIp() throws Exception {
        ipOk("link add v0 type veth peer name v1");
        assumeTrue(ip("link add link v1 name ipv0 type ipvlan mode l2"), "this kernel lacks IPVLAN (CONFIG_IPVLAN): proven in the full-kernel lane");
        ipOk("link add link v1 name ipv1 type ipvlan mode l3s private");
        allListingsSameAsIp();
    }

    @Test void dummyListsAsIp() throws Exception {
        ipOk("link add v0 type veth peer name v1");
        assumeTrue(ip("link add d0 type dummy"), "this kernel lacks dummy links (CONFIG_DUMMY): proven in the full-kernel lane");
        allListingsSameAsIp();
    }

    @Test void vrfAndItsPortsListAsIp() throws Exception {
        ipOk("link add v0 type veth peer name v1");
        assumeTrue(ip("link add vrf0 type vrf table 10"), "this kernel lacks VRF (CONFIG_NET_VRF): proven in the full-kernel lane");
        ipOk("link set v1 master vrf0");
        allListingsSameAsIp();
        assertThat(nslab("-d link show dev v1").ok().out()).contains("\n    vrf_slave table 10 ");
    }

    /** gre and ipip carry what ip prints with a printer nslab does not follow: refused with -d, one line naming the kind. */
    @Test void tunnelsAreRefusedWithDetailsNotPrintedDifferently() throws Exception {
        ipOk("link add v0 type veth peer name v1");
        assumeTrue(ip("link add g0 type gre remote 10.1.1.1 local 10.1.1.2"), "this kernel lacks GRE (CONFIG_NET_IPGRE): proven in the full-kernel lane");
        Result r = nslab("-d link show");
        assertThat(r.code()).isNotZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines().count()).isEqualTo(1);
        assertThat(r.err()).contains("kind gre").contains("g0");
        // without -d, and with -d for the other links, nslab still lists
        nslab("link show dev g0").ok();
        sameAsIp("-d link show dev v0");
    }
}
