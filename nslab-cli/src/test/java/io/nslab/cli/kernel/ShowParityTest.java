package io.nslab.cli.kernel;

import io.nslab.cli.ExitCode;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.nslab.cli.kernel.Cli.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code route} and {@code neigh} listings print what ip prints, byte for byte and in -j: made with ip
 * (the observer), mostly on a link whose peer stays down, so that little the kernel does on its own (IPv6
 * link-local addresses, MLD's multicast neighbours) changes the tables while they are compared.
 */
@KernelTest
class ShowParityTest {
    @BeforeEach @AfterEach void clean() throws Exception { cleanup(); }

    static void ip(String line) throws Exception {
        Result r = run(words("ip " + line));
        assertThat(r.code()).as("ip %s: %s", line, r.err()).isZero();
    }

    static List<String> words(String line) {
        return new ArrayList<>(List.of(line.trim().split("\\s+")));
    }

    /**
     * nslab's answer to COMMAND equals ip's, text and -j. ip is asked before and after nslab, and only
     * two equal answers count: the kernel settles some state after the fact (the link watcher marks a
     * connected route linkdown up to a second after the address is added, seen on Debian's 6.1).
     */
    static void sameAsIp(String c) throws Exception {
        for (int i = 0; ; i++) {
            String before = run(words("ip " + c)).out(), mine = nslab(c).ok().out(), after = run(words("ip " + c)).out();
            if (before.equals(after) || i == 30) {
                assertThat(mine).as(c).isEqualTo(after);
                break;
            }
            Thread.sleep(100);
        }
        for (int i = 0; ; i++) {
            var before = JSON.readTree(run(words("ip -j " + c)).out());
            var mine = nslab("-j " + c).ok().json();
            var after = JSON.readTree(run(words("ip -j " + c)).out());
            if (before.equals(after) || i == 30) {
                assertThat(mine).as("-j %s", c).isEqualTo(after);
                break;
            }
            Thread.sleep(100);
        }
    }

    @Test void routesAndNeighboursListAsIpListsThem() throws Exception {
        ip("link add va type veth peer name vb");
        ip("link set va up");
        // The link watcher reports va's missing carrier up to a second later and then flushes every
        // neighbour that is not PERMANENT (seen on Debian's 6.1 under qemu): let it pass first.
        Thread.sleep(1500);
        ip("addr add 10.9.0.1/24 dev va");
        ip("addr add fd00::1/64 dev va nodad");
        ip("route add 10.10.0.0/16 via 10.9.0.2 mtu 1400");
        ip("-6 route add fd01::/64 via fd00::2 mtu 1400");
        ip("neigh add 10.9.0.7 lladdr 02:00:00:00:00:07 dev va");
        ip("neigh add 10.9.0.8 dev va nud failed");
        ip("neigh add 10.9.0.9 lladdr 02:00:00:00:00:09 dev va nud noarp");
        ip("neigh add fd00::7 lladdr 02:00:00:00:00:08 dev va");

        for (String c : List.of("route show", "-6 route show", "route show table all",
                "neigh show", "neigh show nud all", "neigh show nud noarp", "neigh show nud permanent nud failed",
                "neigh show nud none", "-6 neigh show dev va")) {
            sameAsIp(c);
        }
        // the defaults that matter: NOARP entries only when asked for; the route's mtu and IPv6's line end
        assertThat(nslab("neigh show").ok().out()).doesNotContain("10.9.0.9");
        assertThat(nslab("neigh show nud all").ok().out()).contains("10.9.0.9 dev va lladdr 02:00:00:00:00:09 NOARP \n");
        assertThat(nslab("-6 route show").ok().out().lines())
                .anyMatch(l -> l.matches("fd01::/64 via fd00::2 dev va metric 1024 (linkdown )?mtu 1400 pref medium"));

        var bad = nslab("neigh show nud sometimes");
        assertThat(bad.code()).isEqualTo(ExitCode.IP_INVALID);
        assertThat(bad.err()).startsWith("nslab: neigh show nud sometimes: ").contains("invalid nud state");
    }

    @Test void routeGetAnswersAsIpDoes() throws Exception {
        ip("link add va type veth peer name vb");
        ip("link set vb up");
        ip("link set va up");
        ip("addr add 10.9.0.1/24 dev va");
        ip("addr add fd00::1/64 dev va nodad");
        ip("route add 10.10.0.0/16 via 10.9.0.2 mtu 1400");
        ip("route add 10.11.0.0/16 via 10.9.0.2");
        ip("-6 route add fd01::/64 via fd00::2 mtu 1400");
        ip("-6 route add fd02::/64 via fd00::2");
        // IPv4 answers are cloned routes (uid, then ip's "cache" line with its flags and the path mtu);
        // IPv6 answers name the source (from ::) and carry metric, mtu and pref on one line
        for (String c : List.of("route get 10.10.0.5", "route get 10.11.0.5", "route get 10.9.0.1", "route get 127.0.0.1",
                "route get 10.11.0.5 from 10.9.0.1", "route get fd01::5", "route get fd02::5", "route get fd00::1",
                "route get ::1", "route get fd02::5 from fd00::1")) {
            sameAsIp(c);
        }
        assertThat(nslab("route get 10.10.0.5").ok().out()).endsWith("uid 0 \n    cache mtu 1400 \n");
        assertThat(nslab("route get 10.9.0.1").ok().out()).endsWith("\n    cache <local> \n");
    }

    @Test void flushSparesPermanentEntriesUnlessAskedAsIpDoes() throws Exception {
        ip("link add va type veth peer name vb");
        ip("link set va up");
        ip("neigh add 10.9.0.7 lladdr 02:00:00:00:00:07 dev va");
        ip("neigh add 10.9.0.8 lladdr 02:00:00:00:00:08 dev va nud stale");
        ok("neigh flush dev va");
        assertThat(run(words("ip neigh show dev va")).out()).isEqualTo("10.9.0.7 lladdr 02:00:00:00:00:07 PERMANENT \n");
        ok("neigh flush dev va nud permanent");
        assertThat(run(words("ip neigh show dev va")).out()).isEmpty();
    }

    /**
     * ip -6 (and -4) addr show dumps links with the family of its address dump: IPv6 answers without qdisc,
     * master or group and with the IPv6 layer's own counters, and ip reads txqlen by ioctl, printing qlen
     * only when it is not zero. A down link and a link with no queue are both in the listing; a link the up filter leaves out is an
     * empty object in ip's -j.
     */
    @Test void addrShowByFamilyListsAsIpListsIt() throws Exception {
        ip("link add va type veth peer name vb");
        ip("link set vb up");
        ip("link set va up");
        ip("link add vc type veth peer name vd");
        ip("link set vc txqueuelen 0");
        ip("link set vd up");
        ip("addr add 10.9.0.1/24 dev va");
        ip("addr add fd00::1/64 dev va nodad");
        ip("addr add fd00:1::1/64 dev vd nodad");
        ip("addr add 10.8.0.1/24 dev vd");
        ip("addr add 10.7.0.1/24 dev vc");
        // a link the up filter leaves out is an empty object in ip's -j (-o addr: an empty addr_info)
        for (String c : List.of("-6 addr show", "-6 addr show up", "-s -6 addr show", "-4 addr show",
                "-4 addr show up", "-6 addr show dev va", "addr show", "addr show up", "link show up", "-s link show",
                "-s link show up", "-br link show up", "-br addr show up", "-o link show up", "-o addr show up",
                "-o -4 addr show up")) {
            sameAsIp(c);
        }
    }
}
