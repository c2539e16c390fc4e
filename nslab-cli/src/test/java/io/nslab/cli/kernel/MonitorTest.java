package io.nslab.cli.kernel;

import io.nslab.cli.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
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
class MonitorTest {
    @BeforeEach @AfterEach void clean() throws Exception { cleanup(); }

    @Test void printsLinkAndAddressChangesInANamespace() throws Exception {
        ok("netns add mon");
        PipedInputStream pin = new PipedInputStream(1 << 16);
        PrintStream out = new PrintStream(new PipedOutputStream(pin), true, StandardCharsets.UTF_8);
        Thread t = Thread.ofPlatform().daemon(true).start(() ->
                Main.run(out, new PrintStream(new java.io.ByteArrayOutputStream()), new ByteArrayInputStream(new byte[0]),
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
}
