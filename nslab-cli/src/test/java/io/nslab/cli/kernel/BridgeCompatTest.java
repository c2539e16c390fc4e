package io.nslab.cli.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.nslab.cli.kernel.Cli.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * nslab as a drop-in for iproute2's bridge tool, and for {@code ip link set ... type bridge|bridge_slave}:
 * the same commands run with the real tools in namespace "brc-ip" and with nslab in "brc-nslab", each
 * holding the same bridge (fixed MACs, links down so nothing is learned); then the exit statuses, the
 * output (text and -j) and the state as {@code bridge -j} and {@code ip -j -d} see it must be the same.
 */
@KernelTest
class BridgeCompatTest {
    static final String IP = "brc-ip", NS = "brc-nslab";

    /** br0 with two ports (veth va, VXLAN vx0); vb stays outside. Fixed MACs, so both namespaces list the same fdb. */
    static final List<String> SETUP = List.of("link add br0 address 02:00:00:00:01:01 type bridge",
            "link add va address 02:00:00:00:01:02 type veth peer name vb address 02:00:00:00:01:03",
            "link add vx0 address 02:00:00:00:01:04 type vxlan id 42 dstport 4789 local 10.9.0.1 nolearning",
            "link set va master br0", "link set vx0 master br0");

    @BeforeEach void setUp() throws Exception {
        cleanup();
        ok("netns add " + IP, "netns add " + NS);
        for (String ns : List.of(IP, NS)) for (String l : SETUP) ShowParityTest.ip("-n " + ns + " " + l);
    }

    @AfterEach void tearDown() throws Exception { cleanup(); }

    static Result bridge(String ns, String line) throws Exception {
        List<String> w = ShowParityTest.words("bridge -n " + ns + " " + line);
        return run(w);
    }

    /** Runs {@code line} with bridge in IP and with nslab in NS: the same success. */
    static void both(String line) throws Exception {
        Result i = bridge(IP, line), n = nslab("bridge -n " + NS + " " + line);
        assertThat(n.code()).as("exit status of bridge %s (bridge said %s, nslab said %s)", line, i.err(), n.err()).isEqualTo(i.code());
    }

    /** The same with ip and nslab's ip. */
    static void bothIp(String line) throws Exception {
        Result i = run(ShowParityTest.words("ip -n " + IP + " " + line)), n = nslab("-n " + NS + " " + line);
        assertThat(n.code() == 0).as("success of ip %s (ip said %s, nslab said %s)", line, i.err(), n.err()).isEqualTo(i.code() == 0);
    }

    /** Text and -j output and exit status of {@code bridge ARGS} and {@code nslab bridge ARGS}, each in its namespace. */
    static void sameOutput(String args) throws Exception {
        Result i = bridge(IP, args), n = nslab("bridge -n " + NS + " " + args);
        assertThat(n.code()).as("exit status of bridge %s (nslab: %s)", args, n.err()).isEqualTo(i.code());
        assertThat(n.out()).as("bridge " + args).isEqualTo(i.out());
        if (i.code() != 0) return;
        Result ij = bridge(IP, "-j " + args), nj = nslab("bridge -n " + NS + " -j " + args);
        assertThat(nj.json()).as("bridge -j " + args).isEqualTo(JSON.readTree(ij.out()));
    }

    /** Ports (bridge -j -d link), fdb (bridge -j fdb show) and the bridge's and ports' options (ip -j -d), timers and ids left out. */
    static String state(String ns) throws Exception {
        StringBuilder sb = new StringBuilder();
        sb.append(JSON.readTree(bridge(ns, "-j -d link").out())).append('\n');
        sb.append(JSON.readTree(bridge(ns, "-j fdb show").out())).append('\n');
        for (JsonNode l : ip(ns, "link show")) {
            if (!(l.path("linkinfo") instanceof ObjectNode li)) continue;
            ObjectNode info = li.deepCopy();
            for (String d : List.of("info_data", "info_slave_data")) {
                if (info.get(d) instanceof ObjectNode o) {
                    o.remove(List.of("hello_timer", "tcn_timer", "topology_change_timer", "gc_timer", "forward_delay_timer",
                            "hold_timer", "message_age_timer"));
                }
            }
            sb.append(l.get("ifname").asText()).append(' ').append(info).append('\n');
        }
        return sb.toString();
    }

    static void sameState() throws Exception {
        assertThat(state(NS)).isEqualTo(state(IP));
    }

    @Test void showsWhatBridgeShows() throws Exception {
        for (String ns : List.of(IP, NS)) {
            for (String l : List.of("fdb append 00:00:00:00:00:00 dev vx0 dst 10.9.0.2 self permanent",
                    "fdb append 00:00:00:00:00:00 dev vx0 dst 10.9.0.3", "fdb add 02:00:00:00:00:30 dev vx0 dst 10.9.0.4 port 4790 vni 7",
                    "fdb add 02:00:00:00:00:01 dev va master static", "fdb add 02:00:00:00:00:02 dev va master")) {
                assertThat(bridge(ns, l).code()).as(l).isZero();
            }
        }
        ShowParityTest.ip("-n " + IP + " link set va type bridge_slave cost 9 hairpin on");
        ShowParityTest.ip("-n " + NS + " link set va type bridge_slave cost 9 hairpin on");
        for (String c : List.of("link", "link show", "link show dev va", "-d link", "-d link show dev vx0", "l sh", "l s dev va", "fdb", "fdb show",
                "fdb show br br0", "fdb show brport va", "fdb show dev vx0", "fdb show state static", "fdb show state permanent",
                "fdb show dynamic", "fdb show br br0 brport vx0", "vlan", "vlan show", "vlan show dev va",
                "link show dev nosuch", "fdb show br nosuch")) {
            sameOutput(c);
        }
        // the launcher's "bridge" name and nslab's own -n before the word mean the same
        assertThat(nslab("-n " + NS + " bridge link").out()).isEqualTo(bridge(IP, "link").out());
    }

    @Test void changesLeaveWhatBridgeLeaves() throws Exception {
        for (String l : List.of("fdb append 00:00:00:00:00:00 dev vx0 dst 10.9.0.2 self permanent",
                "fdb append 00:00:00:00:00:00 dev vx0 dst 10.9.0.3", "fdb append 00:00:00:00:00:00 dev vx0 dst 10.9.0.3",
                "fdb add 02:00:00:00:00:30 dev vx0 dst 10.9.0.4 port 4790 vni 7 via vb", "fdb add 02:00:00:00:00:01 dev va master static",
                "fdb add 02:00:00:00:00:01 dev va master static", "fdb replace 02:00:00:00:00:01 dev va master",
                "fdb add 02:00:00:00:00:05 dev va", "fdb add 02:00:00:00:00:06 dev va master local", "fdb del 02:00:00:00:00:05 dev va",
                "fdb del 02:00:00:00:00:05 dev va", "fdb add 02:00:00:00:00:07 dev nosuch master", "fdb add zz dev va",
                "fdb add 02:00:00:00:00:08 dev va sticky master static",
                "link set dev va cost 7 priority 3 guard on hairpin on learning off flood off root_block on isolated on neigh_suppress on mcast_flood off bcast_flood off",
                "link set dev vx0 learning off mcast_router 2 mcast_to_unicast on", "link set dev va state forwarding", "link set dev nosuch cost 5",
                "link set dev va cost 0", "vlan del vid 10 dev va")) {
            both(l);
        }
        sameState();
    }

    @Test void ipLinkSetTypeBridgeAndBridgeSlave() throws Exception {
        for (String l : List.of(
                "link set br0 type bridge stp_state 1 forward_delay 400 hello_time 300 max_age 2500 ageing_time 6000 priority 4096",
                "link set br0 type bridge mcast_snooping 0 group_fwd_mask 8 nf_call_iptables 1 mcast_querier 1 mcast_query_interval 5000",
                "link set dev br0 type bridge fo 500", "link set br0 type bridge fdb_flush",
                "link set va type bridge_slave cost 7 priority 3 guard on learning off flood off isolated on neigh_suppress on",
                "link set va type bridge_slave mcast_flood off bcast_flood off hairpin on proxy_arp on group_fwd_mask 8 fdb_flush",
                "link set vx0 type bridge_slave root_block on fastleave on mcast_router 0 vlan_tunnel on locked on",
                "link add br1 address 02:00:00:00:01:05 type bridge forward_delay 500 stp_state 1 ageing_time 1000", "link set va type bridge_slave state 3",
                "link set br0 type bridge priority 70000", "link set va type bridge_slave bogus 1", "link set va type bridge_slave cost",
                "link set br0 up type bridge max_age 1000")) {
            bothIp(l);
        }
        sameState();
        assertThat(nslab("-n " + NS + " link set va type bridge_slave backup_port vb").err())
                .isEqualTo("nslab: link set va type bridge_slave backup_port vb: \"bridge_slave backup_port\" is not supported by nslab\n");
        assertThat(nslab("-n " + NS + " link set vx0 type vxlan id 5").err()).contains("\"type vxlan\" is not supported by nslab");
    }

    @Test void whatNslabDoesNotBuildIsRefusedNamingIt() throws Exception {
        String before = state(NS);
        for (String[] c : new String[][] {{"mdb show", "\"mdb\""}, {"monitor", "\"monitor\""}, {"vni", "\"vni\""},
                {"fdb get 02:00:00:00:00:01 dev va", "\"fdb get\""}, {"fdb flush dev va", "\"fdb flush\""},
                {"link set dev va hwmode vepa", "\"hwmode\""}, {"vlan set dev va vid 1 state 3", "\"vlan set\""},
                {"vlan tunnelshow", "\"vlan tunnelshow\""}, {"-s link", "\"-s\""}, {"-c vlan", "\"-c\""}, {"-batch x", "\"-batch\""},
                {"link show dev va bogus", "\"bogus\""}}) {
            Result r = nslab("bridge -n " + NS + " " + c[0]);
            assertThat(r.code()).as(c[0]).isEqualTo(255);
            assertThat(r.err()).as(c[0]).contains(c[1]).startsWith("nslab: ").hasLineCount(1);
        }
        assertThat(state(NS)).isEqualTo(before);
    }

    /** VLAN-aware bridges: run where the kernel has CONFIG_BRIDGE_VLAN_FILTERING (the full-kernel lane); here the refusal names it. */
    @Test void vlansOnAVlanAwareBridge() throws Exception {
        boolean filtering = run(ShowParityTest.words("ip -n " + IP + " link set br0 type bridge vlan_filtering 1")).code() == 0;
        Result mine = nslab("-n " + NS + " link set br0 type bridge vlan_filtering 1");
        if (!filtering) {
            assertThat(mine.err()).contains("CONFIG_BRIDGE_VLAN_FILTERING");
            assertThat(nslab("bridge -n " + NS + " vlan add vid 10 dev va").err()).contains("CONFIG_BRIDGE_VLAN_FILTERING");
        }
        assumeTrue(filtering, "this kernel lacks bridge VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING): proven in the full-kernel lane");
        mine.ok();
        for (String l : List.of("vlan add vid 10 dev va pvid untagged", "vlan add vid 20-30 dev va", "vlan add vid 40 dev br0 self",
                "vlan del vid 25 dev va", "vlan add vid 10-12 dev va pvid", "vlan add vid 5000 dev va", "vlan del vid 1 dev va",
                "fdb add 02:00:00:00:00:01 dev va master static vlan 10")) {
            both(l);
        }
        for (String c : List.of("vlan", "vlan show dev va", "vlan show vid 10", "fdb show vlan 10", "fdb show")) sameOutput(c);
        sameState();
    }
}
