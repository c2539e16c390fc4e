package io.nslab.lab.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nslab.lab.apply.KernelExecutor;
import io.nslab.lab.apply.LabDirs;
import io.nslab.lab.model.KernelLimits;
import io.nslab.lab.model.Lab;
import io.nslab.lab.probe.Probe;
import io.nslab.lab.probe.ProbeResult;
import io.nslab.lab.probe.Prober;
import io.nslab.lab.testing.KernelTest;
import io.nslab.lab.validate.BigLabTest;
import io.nslab.lab.validate.Validator;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.netns.NsOutcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A lab with 2,500 ports on one declared bridge (the kernel takes 1,023): built as a tree, checked with ip -j,
 * members on every leaf reach the bridge and each other, status names the parts, down leaves nothing.
 *
 * <p>The sample is small on purpose: the sandbox shares the host's neighbour tables (gc_thresh3 1024 by
 * default, not settable from here), so resolving all 2,500 members would overflow them; the full sweep is the
 * benchmark's (bench/scale, host tuned).
 */
@KernelTest
class BridgeTreeKernelTest {
    static final int PORTS = 2500;
    @TempDir Path run;

    @AfterEach void cleanUp() throws Exception {
        new LabEngine(new LabDirs(run), KernelExecutor::new).down("star");
    }

    /** Member i's address in BigLabTest.star. */
    static InetAddress member(int i) throws Exception {
        return InetAddress.getByName("10.0." + (i + 1) / 256 + "." + (i + 1) % 256);
    }

    @Test void twoThousandFiveHundredPortsOnOneBridge() throws Exception {
        Lab lab = Validator.checkText(BigLabTest.star(PORTS), "star.yaml").orThrow();
        LabEngine engine = new LabEngine(new LabDirs(run), KernelExecutor::new);
        engine.up(lab);

        // independent observer: who is enslaved to what in the hub, per ip -j
        JsonNode links = new ObjectMapper().readTree(KernelState.run("ip", "-n", "star.hub", "-j", "link", "show"));
        Map<String, Integer> ports = new HashMap<>();
        Map<String, String> masterOf = new HashMap<>();
        for (JsonNode l : links) {
            if (!l.has("master")) continue;
            ports.merge(l.get("master").asText(), 1, Integer::sum);
            masterOf.put(l.get("ifname").asText(), l.get("master").asText());
        }
        assertThat(ports.get("br0")).isEqualTo(3);                       // the three uplinks
        assertThat(ports).hasSize(4);
        assertThat(ports.values()).allMatch(n -> n <= KernelLimits.BRIDGE_PORTS);
        assertThat(ports.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(PORTS + 3 + 3);
        for (int i = 1; i <= PORTS; i++) assertThat(masterOf.get("p" + i)).as("p%d", i).startsWith("nsb");

        assertThat(engine.status("star").bridgeTrees()).singleElement().asString()
                .startsWith("star.hub br0: 3 leaf bridges nsb").endsWith(".0..2, 3 veth pairs");

        // members of every leaf: each reaches the bridge and three random others (leaves of their own and others)
        Random random = new Random(16);
        List<String> from = new ArrayList<>();
        List<List<InetAddress>> to = new ArrayList<>();
        int perLeaf = (PORTS + 2) / 3;
        for (int leaf = 0; leaf < 3; leaf++) {
            for (int k = 0; k < 6; k++) {
                int i = leaf * perLeaf + 1 + random.nextInt(Math.min(perLeaf, PORTS - leaf * perLeaf));
                from.add("star.n" + i);
                List<InetAddress> targets = new ArrayList<>(List.of(InetAddress.getByName("10.0.0.1")));
                for (int t = 0; t < 3; t++) targets.add(member(1 + random.nextInt(PORTS)));
                to.add(targets);
            }
        }
        Map<String, List<InetAddress>> targetsOf = new HashMap<>();
        for (int i = 0; i < from.size(); i++) targetsOf.put(from.get(i), to.get(i));
        Prober prober = new Prober(Duration.ofSeconds(3));
        List<NsOutcome<List<ProbeResult>>> out = NetNs.inEach(from, 8, ns -> {
            List<ProbeResult> r = new ArrayList<>();
            for (InetAddress a : targetsOf.get(ns)) r.add(prober.run(new Probe.Icmp(a)));
            return r;
        });
        for (NsOutcome<List<ProbeResult>> o : out) {
            assertThat(o.ok()).as(o.name() + " " + o.error()).isTrue();
            for (ProbeResult r : o.value().orElseThrow()) assertThat(r.reached()).as(o.name() + " -> " + r).isTrue();
        }
        // and the kernel's own ping across leaves (n1 on the first, n2500 on the last)
        String ping = KernelState.run("ip", "netns", "exec", "star.n1", "ping", "-c", "1", "-W", "3", member(PORTS).getHostAddress());
        assertThat(ping).contains("1 received");

        DownResult down = engine.down("star");
        assertThat(down.problems()).isEmpty();
        assertThat(KernelState.run("ip", "netns", "list")).doesNotContain("star.");
    }
}
