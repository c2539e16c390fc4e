package io.nslab.lab.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nslab.lab.engine.DownResult;
import io.nslab.lab.engine.LabEngine;
import io.nslab.lab.model.Lab;
import io.nslab.lab.validate.Validator;
import io.nslab.lab.verify.Report;
import io.nslab.lab.verify.Verifier;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run keeps few namespaces open whatever the lab's size: with room for {@link #OPEN} handles, a 60-node star
 * (a bridge, veths, addresses, routes, a sysctl) goes up, up again without change, verifies and goes down, while
 * the process's open descriptors (counted in /proc/self/fd as it runs) stay far below the two per node an
 * unbounded run holds. Checked with ip -j.
 */
@KernelTest
class FewHandlesKernelTest {
    static final int NODES = 60, OPEN = 4;
    @TempDir Path run;

    @AfterEach void cleanUp() throws Exception {
        new LabEngine(new LabDirs(run), KernelExecutor::new).down("few");
    }

    static String lab() {
        StringBuilder sb = new StringBuilder("name: few\nnodes:\n  hub:\n    forwarding: true\n    interfaces:\n      br0: {kind: bridge, addresses: [10.4.0.1/16], ports: [");
        for (int i = 1; i <= NODES; i++) sb.append(i > 1 ? ", " : "").append('p').append(i);
        sb.append("]}\n");
        for (int i = 1; i <= NODES; i++) sb.append("  n").append(i).append(":\n    routes: [{dst: 10.5.0.0/16, via: 10.4.0.1}]\n");
        sb.append("links:\n");
        for (int i = 1; i <= NODES; i++) sb.append("  - [hub:p").append(i).append(", {at: n").append(i).append(":eth0, addresses: [10.4.1.").append(i).append("/16]}]\n");
        return sb.toString();
    }

    /** The most descriptors open at once while {@code work} runs. */
    interface Work { void run() throws Exception; }

    static int peakDescriptors(Work work) throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger peak = new AtomicInteger();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!done.get()) {
                peak.accumulateAndGet(descriptors(), Math::max);
                Thread.onSpinWait();
            }
        });
        try {
            work.run();
        } finally {
            done.set(true);
            sampler.join();
        }
        return peak.get();
    }

    static int descriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            return 0;
        }
    }

    static String ip(String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Stream.concat(Stream.of("ip"), Stream.of(args)).toList()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    @Test void aLabOfManyNodesKeepsFewOpen() throws Exception {
        Lab lab = Validator.checkText(lab(), "few.yaml").orThrow();
        LabEngine engine = new LabEngine(new LabDirs(run), () -> new KernelExecutor(OPEN));
        int before = descriptors();

        int up = peakDescriptors(() -> assertThat(engine.up(lab).changed()).isTrue());
        int again = peakDescriptors(() -> assertThat(engine.up(lab).changed()).isFalse());
        // unbounded, a run held 2 per node (131 more here); bounded, 16: OPEN handles, the namespaces the two roamers work in
        // and their held veth peers, the journal and the JVM's own
        assertThat(up - before).as("descriptors opened by up").isLessThan(NODES / 2);
        assertThat(again - before).as("descriptors opened by a second up").isLessThan(NODES / 2);

        // independent observer: every port on br0, every member addressed, up and routed; the hub forwards
        ObjectMapper json = new ObjectMapper();
        long ports = 0;
        for (JsonNode l : json.readTree(ip("-n", "few.hub", "-j", "link", "show"))) if ("br0".equals(l.path("master").asText())) ports++;
        assertThat(ports).isEqualTo(NODES);
        for (int i : List.of(1, 2, NODES / 2, NODES - 1, NODES)) {
            JsonNode addr = json.readTree(ip("-n", "few.n" + i, "-j", "addr", "show", "dev", "eth0")).get(0);
            assertThat(addr.get("operstate").asText()).isEqualTo("UP");
            assertThat(addr.get("addr_info").toString()).contains("\"local\":\"10.4.1." + i + "\"");
            assertThat(ip("-n", "few.n" + i, "-j", "route", "show", "10.5.0.0/16")).contains("\"gateway\":\"10.4.0.1\"");
        }
        assertThat(ip("netns", "exec", "few.hub", "cat", "/proc/sys/net/ipv4/ip_forward").trim()).isEqualTo("1");

        Report r = new Verifier(Duration.ofSeconds(3)).verify(lab);
        assertThat(r.failures()).as(r.table()).isZero();

        DownResult[] down = new DownResult[1];
        int gone = peakDescriptors(() -> down[0] = engine.down("few"));
        assertThat(down[0].problems()).isEmpty();
        assertThat(gone - before).as("descriptors opened by down").isLessThan(NODES / 2);
        assertThat(ip("netns", "list")).doesNotContain("few.");
    }
}
