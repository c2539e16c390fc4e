package io.nslab.cli.kernel;

import io.nslab.cli.Main;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.nslab.cli.kernel.Cli.*;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code monitor}: one line per change, in ip monitor's shape. */
@KernelTest
class MonitorTest {
    @BeforeEach @AfterEach void clean() throws Exception { cleanup(); }

    @Test void printsLinkAndAddressChangesInANamespace() throws Exception {
        ok("netns add mon");
        PipedInputStream pin = new PipedInputStream(1 << 16);
        PrintStream out = new PrintStream(new PipedOutputStream(pin), true, StandardCharsets.UTF_8);
        Thread t = Thread.ofPlatform().daemon(true).start(() ->
                Main.run(out, new PrintStream(new ByteArrayOutputStream()), new ByteArrayInputStream(new byte[0]),
                        "-n", "mon", "monitor", "link", "addr", "neigh"));
        BufferedReader in = new BufferedReader(new InputStreamReader(pin, StandardCharsets.UTF_8));
        Thread.sleep(500); // the monitor subscribes
        ok("-n mon link add mbr0 type bridge", "-n mon addr add 10.77.0.1/24 dev mbr0",
                "-n mon neigh add 10.77.0.9 lladdr 02:00:00:00:00:09 dev mbr0", "-n mon link del mbr0");
        List<String> lines = CompletableFuture.supplyAsync(() -> {
            List<String> l = new ArrayList<>();
            try {
                String s;
                while ((s = in.readLine()) != null) {
                    l.add(s);
                    if (s.startsWith("Deleted") && s.contains("mbr0: <")) {
                        l.add(in.readLine());
                        break;
                    }
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
            return l;
        }).get(10, TimeUnit.SECONDS);
        // links as ip monitor prints them: ip link's line without "mode" or "qlen" (so it ends in a
        // space, byte for byte as ip's), then the link/ether line
        assertThat(lines).anyMatch(l -> l.matches("\\d+: mbr0: <[A-Z_,-]+> mtu 1500 qdisc \\w+ state \\w+ group default "));
        assertThat(lines).noneMatch(l -> l.contains(" qlen "));
        assertThat(lines).anyMatch(l -> l.matches("    link/ether [0-9a-f:]{17} brd ff:ff:ff:ff:ff:ff"));
        assertThat(lines).anyMatch(l -> l.contains("inet 10.77.0.1/24") && l.contains("mbr0"));
        assertThat(lines).anyMatch(l -> l.startsWith("Deleted ") && l.contains("mbr0"));
        assertThat(lines).contains("10.77.0.9 dev mbr0 lladdr 02:00:00:00:00:09 PERMANENT "); // ip's trailing space too
        t.interrupt();
    }
    /** Rules, IPv4 and IPv6, added and deleted: the same lines as ip monitor's, which watches alongside. */
    @Test void printsRuleChangesAsIpMonitorDoes() throws Exception {
        ok("netns add monr");
        Process ip = new ProcessBuilder("ip", "-n", "monr", "monitor", "rule").redirectErrorStream(true).start();
        PipedInputStream pin = new PipedInputStream(1 << 16);
        PrintStream out = new PrintStream(new PipedOutputStream(pin), true, StandardCharsets.UTF_8);
        Thread t = Thread.ofPlatform().daemon(true).start(() ->
                Main.run(out, new PrintStream(new ByteArrayOutputStream()), new ByteArrayInputStream(new byte[0]),
                        "-n", "monr", "monitor", "rule"));
        Thread.sleep(1500); // both subscribe (ip is a new process; generous for the emulated lane)
        ok("-n monr rule add from 10.0.0.0/8 table 100", "-n monr rule add to 10.1.0.0/16 priority 5 table main",
                "-n monr -6 rule add from fd00::/64 table 200", "-n monr rule add not from 10.2.0.0/16 priority 7 prohibit",
                "-n monr rule del from 10.0.0.0/8 table 100");
        List<String> mine = firstLines(pin, 5), theirs;
        try {
            theirs = firstLines(ip.getInputStream(), 5);
        } finally {
            ip.destroy();
        }
        assertThat(mine).containsExactly(
                "32765:\tfrom 10.0.0.0/8 lookup 100",
                "5:\tfrom all to 10.1.0.0/16 lookup main",
                "32765:\tfrom fd00::/64 lookup 200",
                "7:\tnot from 10.2.0.0/16 prohibit",
                "Deleted 32765:\tfrom 10.0.0.0/8 lookup 100");
        assertThat(mine).containsExactlyElementsOf(theirs);
        t.interrupt();
    }

    static List<String> firstLines(InputStream is, int n) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(is, StandardCharsets.UTF_8));
        return CompletableFuture.supplyAsync(() -> {
            List<String> l = new ArrayList<>();
            try {
                while (l.size() < n) l.add(in.readLine());
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
            return l;
        }).get(10, TimeUnit.SECONDS);
    }
}
