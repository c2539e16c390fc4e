package io.nslab.cli.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import java.util.ArrayList;
import java.util.List;

import static io.nslab.cli.kernel.Cli.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * nslab as a drop-in for ip: the same commands run once with ip in namespace "ipc-ip" and once with nslab
 * in namespace "ipc-nslab", and the two namespaces end up the same (links, addresses with their flags,
 * every routing table), with the same exit statuses; listings with ip's selectors print what ip prints.
 */
@KernelTest
class IpCompatTest {
    static final String IP = "ipc-ip", NS = "ipc-nslab";

    @BeforeEach void setUp() throws Exception {
        cleanup();
        ok("netns add " + IP, "netns add " + NS, "netns add " + IP + "-peer", "netns add " + NS + "-peer");
    }

    @AfterEach void tearDown() throws Exception { cleanup(); }

    /** Runs {@code line} with ip in IP and with nslab in NS ("{peer}" is each side's second namespace); same exit status. */
    static void both(String line) throws Exception {
        Result i = run(ShowParityTest.words("ip -n " + IP + " " + line.replace("{peer}", IP + "-peer")));
        Result n = nslab("-n " + NS + " " + line.replace("{peer}", NS + "-peer"));
        assertThat(n.code() == 0).as("success of %s (ip said %s, nslab said %s)", line, i.err(), n.err()).isEqualTo(i.code() == 0);
    }

    /** The namespace as ip -j sees it, without what differs between two equal namespaces. */
    static String state(String ns) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (String what : List.of("link show", "addr show", "route show table all", "-6 route show table all")) {
            sb.append(what).append(": ");
            for (JsonNode n : ip(ns, what)) sb.append(normalise(n)).append('\n');
        }
        return sb.toString().replace(NS, "NS").replace(IP, "NS");
    }

    /** Drops ifindexes, random MACs, link-local addresses, timers and counters. */
    static String normalise(JsonNode n) {
        if (!n.isObject()) return n.toString();
        ObjectNode o = (ObjectNode) n.deepCopy();
        for (String k : List.of("ifindex", "link_index", "address", "perm_address", "stats64", "stats", "link_netnsid",
                "promiscuity", "allmulti", "inet6_addr_gen_mode", "num_tx_queues", "num_rx_queues", "gso_max_size",
                "gso_max_segs", "tso_max_size", "tso_max_segs", "gro_max_size", "gso_ipv4_max_size", "gro_ipv4_max_size",
                "parentbus", "parentdev", "operstate", "linkinfo", "qdisc", "txqlen_is_default", "expires")) o.remove(k);
        if (o.has("addr_info")) {
            var kept = JSON.createArrayNode();
            for (JsonNode a : o.get("addr_info")) {
                if (a.path("local").asText().startsWith("fe80:")) continue;
                ObjectNode c = (ObjectNode) a.deepCopy();
                for (String t : List.of("valid_life_time", "preferred_life_time")) {
                    if (c.has(t) && c.get(t).asLong() != 4294967295L) c.put(t, "timer");
                }
                kept.add(c);
            }
            o.set("addr_info", kept);
        }
        if (o.path("dst").asText().startsWith("fe80:") || o.path("dst").asText().startsWith("ff00:")
                || o.path("dst").asText().startsWith("fe80::")) return "";
        // flags such as LOWER_UP and linkdown follow the carrier, which comes up in its own time
        if (o.has("flags")) {
            var kept = JSON.createArrayNode();
            for (JsonNode f : o.get("flags")) {
                if (!List.of("LOWER_UP", "NO-CARRIER", "M-DOWN", "DORMANT", "linkdown").contains(f.asText())) kept.add(f);
            }
            o.set("flags", kept);
        }
        return o.toString();
    }

    static void sameState() throws Exception {
        for (int i = 0; ; i++) {
            String a = state(IP), b = state(NS);
            if (a.equals(b) || i == 20) {
                assertThat(b).isEqualTo(a);
                assertThat(state(IP + "-peer").replace("-peer", "")).isEqualTo(state(NS + "-peer").replace("-peer", ""));
                return;
            }
            Thread.sleep(100); // DAD and the link watcher settle in their own time
        }
    }

    @Test void localBroadcastAnycastRoutesGoToTableLocal() throws Exception {
        for (String l : List.of("link add va type veth peer name vb", "link set va up", "link set vb up",
                "addr add 10.9.0.1/24 dev va", "route add local 10.9.5.1 dev va", "route add broadcast 10.9.5.255 dev va",
                "route add nat 10.9.6.1 via 10.9.0.2", "-6 route add anycast fd00:9::/128 dev va", "route add local 10.9.7.0/24 dev lo table 100",
                "route del local 10.9.5.1 dev va", "route add local 10.9.5.2 dev va")) {
            both(l);
        }
        sameState();
        assertThat(run(ShowParityTest.words("ip -n " + NS + " route show table local type local")).out()).contains("local 10.9.5.2 dev va");
    }

    @Test void addressFlagsAndLifetimesAreHonoured() throws Exception {
        for (String l : List.of("link add va type veth peer name vb", "link set va up", "link set vb up",
                "addr add fd00::1/64 dev va nodad", "addr add fd00::2/64 dev va", "addr add 10.9.0.1/24 dev va nodad",
                "addr add 10.9.1.1/24 dev va noprefixroute", "addr add 10.9.2.1/24 dev va valid_lft 1000 preferred_lft 500",
                "addr add 10.9.3.1/24 dev va valid_lft 100", "addr add 10.9.4.1/24 dev va metric 7",
                "addr add fd00:1::1/64 dev va nodad noprefixroute")) {
            both(l);
        }
        sameState();
        // nodad: no tentative phase at all, whereas fd00::2 went through DAD
        JsonNode a = ip(NS, "addr show dev va").get(0).get("addr_info");
        List<String> nodad = new ArrayList<>();
        a.forEach(x -> { if (x.path("nodad").asBoolean()) nodad.add(x.get("local").asText()); });
        assertThat(nodad).containsExactlyInAnyOrder("fd00::1", "fd00:1::1");
        assertThat(nslab("-n " + NS + " addr add 10.9.9.1/24 dev va nodad").err())
                .isEqualTo("Warning: nodad option can be set only for IPv6 addresses\n");
    }

    @Test void vethPeerOptionsAreThePeers() throws Exception {
        for (String l : List.of("link add pa type veth peer name pb mtu 2000 netns {peer}",
                "link add pc mtu 1400 type veth peer name pd address 02:00:00:00:00:0d mtu 1300",
                "link add pe txqueuelen 300 type veth peer name pf")) {
            both(l);
        }
        sameState();
        assertThat(link(NS + "-peer", "pb").get("mtu").asInt()).isEqualTo(2000);
        assertThat(link(NS, "pd").get("mtu").asInt()).isEqualTo(1300);
        assertThat(link(NS, "pe").get("txqlen").asInt()).isEqualTo(300);
    }

    /** ip's route show selectors against one table made with ip: nslab lists exactly what ip lists. */
    @Test void routeSelectorsSelectWhatIpSelects() throws Exception {
        for (String l : List.of("link add va type veth peer name vb", "link set va up", "link add vc type veth peer name vd",
                "link set vc up", "addr add 10.9.0.1/24 dev va", "addr add 10.8.0.1/24 dev vc", "addr add fd00::1/64 dev va nodad",
                "route add default via 10.9.0.2", "route add 10.10.0.0/16 via 10.9.0.2 proto static metric 5",
                "route add 10.10.1.0/24 via 10.8.0.2 src 10.8.0.1", "route add 10.10.1.128/25 dev vc scope link",
                "route add blackhole 10.20.0.0/16", "route add unreachable 10.21.0.0/16 table 100",
                "route add 10.22.0.0/16 via 10.9.0.2 table 100 proto bgp", "-6 route add default via fd00::2",
                "-6 route add fd01::/64 via fd00::2 metric 9")) {
            ShowParityTest.ip("-n " + NS + " " + l);
        }
        for (String sel : List.of("", "default", "all", "table all", "table local", "table 100", "table main type blackhole",
                "type unicast", "type local table local", "type broadcast table all", "proto static", "proto kernel",
                "proto bgp table all", "proto all", "scope link", "scope host table local", "scope global", "dev va",
                "dev vc", "via 10.9.0.2", "via 10.8.0.0/16", "src 10.8.0.1", "root 10.10.0.0/16", "root 10.10.1.0/24",
                "match 10.10.1.200", "match 10.10.1.0/24", "exact 10.10.0.0/16", "10.10.1.0/24", "10.10.0.0/16 table all",
                "to 10.10.1.128/25", "metric 5", "exact default", "table all default", "table all match 10.10.1.200")) {
            for (String fam : List.of("", "-4 ", "-6 ")) {
                if (fam.equals("-6 ") && sel.matches(".*10\\.\\d.*")) continue;
                String c = fam + "-n " + NS + " route show " + sel;
                sameAs(c);
            }
        }
        sameAs("-6 -n " + NS + " route show fd01::/64");
        sameAs("-6 -n " + NS + " route show default");
        sameAs("-6 -n " + NS + " route show via fd00::2");
        var bad = nslab("-n " + NS + " route show tos 0x10");
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err()).isEqualTo("nslab: route show tos 0x10: \"tos\" is not supported by nslab\n");
    }

    @Test void routeFlushDeletesWhatShowSelectsAndFlushCacheWorks() throws Exception {
        for (String l : List.of("link add va type veth peer name vb", "link set va up", "link set vb up",
                "addr add 10.9.0.1/24 dev va", "route add 10.10.0.0/16 via 10.9.0.2 proto static",
                "route add 10.11.0.0/16 via 10.9.0.2", "route add 10.12.0.0/16 dev va table 100", "route flush proto static",
                "route flush cache", "route flush table 100", "route add 10.13.0.0/16 via 10.9.0.2")) {
            both(l);
        }
        both("route flush");
        sameState();
    }

    @Test void neighGetAnswersAsIpDoes() throws Exception {
        for (String l : List.of("link add va type veth peer name vb", "link set va up",
                // entries the link watcher leaves alone (it flushes the others when va's carrier is found missing)
                "neigh add 10.9.0.7 lladdr 02:00:00:00:00:07 dev va", "neigh add 10.9.0.8 lladdr 02:00:00:00:00:09 dev va nud noarp",
                "neigh add fd00::7 lladdr 02:00:00:00:00:08 dev va", "neigh add proxy 10.9.0.9 dev va")) {
            ShowParityTest.ip("-n " + NS + " " + l);
        }
        for (String g : List.of("10.9.0.7 dev va", "to 10.9.0.8 dev va", "fd00::7 dev va", "proxy 10.9.0.9 dev va")) {
            // text only: ip 6.1 answers "-j neigh get" in text (it opens no JSON object there); nslab's -j is
            // the entry as "ip -j neigh show" lists it
            String c = "-n " + NS + " neigh get " + g;
            assertThat(nslab(c).ok().out()).as(c).isEqualTo(run(ShowParityTest.words("ip " + c)).out());
        }
        assertThat(nslab("-j -n " + NS + " neigh get 10.9.0.7 dev va").ok().json())
                .isEqualTo(JSON.readTree(run(ShowParityTest.words("ip -j -n " + NS + " neigh show to 10.9.0.7")).out()));
        Result missing = nslab("-n " + NS + " neigh get 10.9.0.99 dev va");
        assertThat(missing.code()).isEqualTo(run(ShowParityTest.words("ip -n " + NS + " neigh get 10.9.0.99 dev va")).code());
        assertThat(nslab("-n " + NS + " neigh get 10.9.0.7").err()).endsWith("Device and address are required arguments.\n");
    }

    @Test void ipSpellingsOfOptionsAndObjects() throws Exception {
        ShowParityTest.ip("-n " + NS + " link add va type veth peer name vb");
        sameAs("-net " + NS + " link show dev va");
        assertThat(nslab("--json -netns " + NS + " link show dev va").ok().json().get(0).get("ifname").asText()).isEqualTo("va");
        // "nslab net" is ip's netns for ip's verbs, and nslab's Docker-style networks for their own
        ok("net add ipc-extra");
        assertThat(run(List.of("ip", "netns", "list")).out()).contains("ipc-extra");
        String listed = run(List.of("ip", "netns", "list")).out().lines().filter(l -> l.startsWith("ipc-extra")).findFirst().orElseThrow();
        nslab("netns set ipc-extra 7").ok();
        listed = run(List.of("ip", "netns", "list")).out().lines().filter(l -> l.startsWith("ipc-extra")).findFirst().orElseThrow();
        assertThat(listed).isEqualTo("ipc-extra (id: 7)");
        // a line of ip netns list fed back
        nslabArgs(("net del " + listed).split(" ")).ok();
        assertThat(run(List.of("ip", "netns", "list")).out()).doesNotContain("ipc-extra");
    }

    @Test void netnsListIdAsIpListsIt() throws Exception {
        ShowParityTest.ip("netns set " + IP + " 5");
        ShowParityTest.ip("link add va type veth peer name vb netns " + NS);   // the kernel gives NS an id here
        sameAs("netns list-id");
        sameAs("-n " + NS + " netns list-id");
        Result batch = nslabIn("netns list-id\n-n " + NS + " netns list-id\n", "-batch", "-");
        assertThat(batch.ok().out()).isEqualTo(run(List.of("ip", "netns", "list-id")).out()
                + run(ShowParityTest.words("ip -n " + NS + " netns list-id")).out());
        assertThat(nslab("netns list-id nsid 5").err()).endsWith("\"nsid\" is not supported by nslab\n");
    }

    /** {@link #both}, with the very same exit status (ip's 255, 1 and 2 told apart). */
    static void bothExact(String line) throws Exception {
        Result i = run(ShowParityTest.words("ip -n " + IP + " " + line.replace("{peer}", IP + "-peer")));
        Result n = nslab("-n " + NS + " " + line.replace("{peer}", NS + "-peer"));
        assertThat(n.code()).as("exit status of %s (ip said %s, nslab said %s)", line, i.err(), n.err()).isEqualTo(i.code());
    }

    /** The same words with ip and nslab, no namespace given: the same exit status. */
    static void sameStatus(String line) throws Exception {
        Result i = run(ShowParityTest.words("ip " + line));
        Result n = nslab(line);
        assertThat(n.code()).as("exit status of %s (ip said %s, nslab said %s)", line, i.err(), n.err()).isEqualTo(i.code());
    }

    @Test void exitStatusesAreIps() throws Exception {
        for (String l : List.of("link add va type veth peer name vb", "link add va type veth peer name vc", "link del nosuch",
                "link set nosuch up", "addr add 10.0.0.1/24 dev nosuch", "link show nosuch", "addr show dev nosuch", "link frob",
                "link set va mtu abc", "link set va bogus", "link set", "link add x", "addr add 10.9.0.1/33 dev va",
                "addr add 10.9.0.1/24 dev va scope bogus", "addr add 10.9.0.1/24 dev va", "addr add 10.9.0.1/24 dev va",
                "route add 10.0.0.0/24 via 10.99.0.1", "route add 10.0.0.1/24 dev va", "route add 10.0.0.0/24 dev va metric x",
                "route get 10.99.0.1", "route show table 999", "route show table bogus", "route flush", "neigh get 10.0.0.9 dev va",
                "neigh del 10.0.0.9 dev va", "neigh add 10.0.0.9", "neigh show nud bogus", "rule del priority 999",
                "rule add priority abc", "tuntap add dev va mode tap", "tuntap add dev t0", "tuntap add mode bogus", "tuntap frob",
                "monitor bogus", "addr frob", "route frob", "neigh frob", "rule frob", "link add x type bogus-kind")) {
            bothExact(l);
        }
        for (String l : List.of("-n nosuch link", "-foo link", "-family bogus link", "foo", "netns del nosuch", "netns frob",
                "netns exec nosuch true", "netns attach ipc-x 999999999", "netns attach ipc-x abc", "netns attach",
                "netns set nosuch 3", "netns add a/b")) {
            sameStatus(l);
        }
    }

    /** ip -batch: 1 once a line failed (kernel or missing device), 255 for a line ip rejects outright, even with -force. */
    @Test void batchStatusesAreIps(@TempDir Path tmp) throws Exception {
        Path kernel = tmp.resolve("kernel"), invalid = tmp.resolve("invalid"), invalid2 = tmp.resolve("invalid2");
        Files.writeString(kernel, "link add b1 type bridge\nlink add b1 type bridge\nlink del nosuch\nlink add b2 type bridge\n");
        Files.writeString(invalid, "link add c1 type bridge\nlink frob\nlink add c2 type bridge\n");
        Files.writeString(invalid2, "link add c3 type bridge\nlink frob\nlink add c4 type bridge\n");
        for (String f : List.of("-batch " + kernel, "-force -batch " + kernel, "-force -batch " + invalid, "-batch " + invalid2)) {
            Result i = run(ShowParityTest.words("ip -n " + IP + " " + f));
            Result n = nslab("-n " + NS + " " + f);
            assertThat(n.code()).as("%s (ip said %s, nslab said %s)", f, i.err(), n.err()).isEqualTo(i.code());
            // without -force ip has run the lines before the invalid one; nslab checks every line first and runs none
            if (!f.equals("-batch " + invalid2)) sameState();
        }
    }

    @Test void tuntapWithoutANameAndWithIpsOptions() throws Exception {
        for (String l : List.of("tuntap add mode tap", "tuntap add mode tun", "tuntap add mode tap multi_queue",
                "tuntap add mode tap one_queue", "tuntap add dev tx mode tap pi vnet_hdr user 0 group 0", "tun add mo tun",
                "tuntap del mode tap", "tuntap del dev nosuch mode tap", "tuntap add dev tx mode tap", "tuntap add mode tap mode tun",
                "tuntap del dev tap1 mode tap")) {
            bothExact(l);
        }
        sameState();
        // the kernel's names and every tun_flags bit, as ip tuntap show reads them from each namespace's /sys
        String theirs = run(ShowParityTest.words("ip -n " + IP + " tuntap show")).out();
        assertThat(run(ShowParityTest.words("ip -n " + NS + " tuntap show")).out()).isEqualTo(theirs).contains("tap2: tap one_queue persist");
        sameAs("-n " + NS + " tuntap show");
    }

    /** -oneline, -brief, -stats (twice too) for link and addr show, text and -j, byte for byte. */
    @Test void outputFormsAsIpPrintsThem() throws Exception {
        for (String l : List.of("link add va type veth peer name vb", "link add vc type veth peer name vd netns {peer}",
                "link set va alias hello", "addr add 10.9.0.1/24 dev va", "addr add 10.1.1.1 peer 10.1.1.2/32 dev va",
                "addr add fd00::1/64 dev va nodad", "tuntap add mode tap")) {
            ShowParityTest.ip("-n " + NS + " " + l.replace("{peer}", NS + "-peer"));
        }
        for (String o : List.of("-o link", "-br link", "-br addr", "-o addr", "-br -4 addr", "-o -6 addr", "-br link show dev va",
                "-s link", "-s -s link", "-s addr", "-s -s addr show dev va", "-o -s link", "-br -s link", "-o -s addr", "-oneline link",
                "-brief addr", "-statistics link show dev lo", "-o route", "-br -6 route", "-s rule", "-o neigh")) {
            sameAs(o.replace(" link", " -n " + NS + " link").replace(" addr", " -n " + NS + " addr").replace(" route", " -n " + NS + " route")
                    .replace(" rule", " -n " + NS + " rule").replace(" neigh", " -n " + NS + " neigh"));
        }
        Result r = nslab("-s -n " + NS + " neigh show");
        assertThat(r.code()).isEqualTo(255);
        assertThat(r.err()).isEqualTo("nslab: neigh show: -s is not supported by nslab with this command\n");
    }

    @Test void ruleTosAsIpSendsAndPrintsIt() throws Exception {
        for (String l : List.of("rule add from 10.0.0.0/8 tos 0x10 table 100 priority 1000", "rule add dsfield AF11 lookup 100",
                "rule add ds 08 lookup 101 pref 5", "rule add tos 0x1c to 10.2.0.0/16 lookup 102 pref 6", "rule add tos zz lookup 5",
                "rule del tos 0x08 pref 5")) {
            bothExact(l);
        }
        assertThat(ip(NS, "rule show")).isEqualTo(ip(IP, "rule show"));
        sameAs("-n " + NS + " rule show");
        assertThat(run(ShowParityTest.words("ip -n " + NS + " rule show")).out()).contains("1000:\tfrom 10.0.0.0/8 tos 0x10 lookup 100");
    }

    @Test void routeShowCacheAsIp() throws Exception {
        ShowParityTest.ip("-n " + NS + " link add va type veth peer name vb");
        for (String c : List.of("route show cache", "-6 route show cache", "-4 route show cache", "route show table cache", "route list cached")) {
            sameAs(c.replace("route", "-n " + NS + " route"));
        }
    }

    @Test void netnsAttachAsIp() throws Exception {
        Process p = new ProcessBuilder("unshare", "--net", "sleep", "60").start();
        try {
            long pid = p.pid();
            for (int i = 0; i < 100 && Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net"))
                    .equals(Files.readSymbolicLink(Path.of("/proc/self/ns/net"))); i++) Thread.sleep(20);
            ShowParityTest.ip("netns attach ipc-att-ip " + pid);
            nslab("netns attach ipc-att-ns " + pid).ok();
            // both names are the process's namespace (ip netns pids lists it for each)
            for (String n : List.of("ipc-att-ip", "ipc-att-ns")) {
                assertThat(run(ShowParityTest.words("ip netns pids " + n)).out().lines().toList()).as(n).contains(String.valueOf(pid));
            }
            // ip prints the last match in /run/netns's order, in text also with -j
            assertThat(nslab("netns identify " + pid).ok().out()).isEqualTo(run(ShowParityTest.words("ip netns identify " + pid)).out());
            sameStatus("netns attach ipc-att-ns " + pid);
            sameStatus("netns attach ipc-att-2 999999999");
            assertThat(nslab("netns monitor").err()).endsWith("\"monitor\" is not supported by nslab\n");
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    private static void sameAs(String c) throws Exception {
        Result i = run(ShowParityTest.words("ip " + c));
        Result n = nslab(c);
        assertThat(n.out()).as("nslab " + c + " (stderr " + n.err() + ")").isEqualTo(i.out());
        assertThat(n.code()).as(c).isEqualTo(i.code());
        if (i.code() != 0) {
            assertThat(nslab("-j " + c).code()).as("-j " + c).isEqualTo(i.code());
            return;
        }
        Result ij = run(ShowParityTest.words("ip -j " + c));
        JsonNode mine = nslab("-j " + c).json(), theirs = JSON.readTree(ij.out());
        assertThat(mine).as("-j " + c).isEqualTo(theirs);
    }
}
