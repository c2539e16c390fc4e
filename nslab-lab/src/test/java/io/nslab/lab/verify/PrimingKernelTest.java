package io.nslab.lab.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nslab.lab.apply.KernelExecutor;
import io.nslab.lab.apply.LabDirs;
import io.nslab.lab.engine.LabEngine;
import io.nslab.lab.model.IfRef;
import io.nslab.lab.model.Lab;
import io.nslab.lab.validate.Validator;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Priming on the kernel, with the rule forced down to a small segment shaped like a bridge tree: bridge br0 of
 * node sw (addressed, the head) with three members, joined by a veth pair of no address to bridge br1 of node
 * sw2 with three more. After {@link Primer} and before any probe, {@code ip -j neigh} in each namespace shows an
 * entry with the right MAC for every primed pair, both ways, and for the head; the head has one for every
 * member. Then {@code verify} with the same rule passes everything.
 */
@KernelTest
class PrimingKernelTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int PER_BRIDGE = 3;
    @TempDir Path run;

    @AfterEach void cleanUp() throws Exception {
        new LabEngine(new LabDirs(run), KernelExecutor::new).down("prime");
    }

    static String lab() {
        StringBuilder sb = new StringBuilder("name: prime\nnodes:\n");
        sb.append("  sw:\n    interfaces:\n      br0: {kind: bridge, addresses: [10.7.0.1/24], ports: [up, p1, p2, p3]}\n");
        sb.append("  sw2:\n    interfaces:\n      br1: {kind: bridge, ports: [down, q1, q2, q3]}\n");
        for (int i = 1; i <= 2 * PER_BRIDGE; i++) sb.append("  n").append(i).append(":\n");
        sb.append("links:\n  - [sw:up, sw2:down]\n");
        for (int i = 1; i <= 2 * PER_BRIDGE; i++) {
            String port = i <= PER_BRIDGE ? "sw:p" + i : "sw2:q" + (i - PER_BRIDGE);
            sb.append("  - [").append(port).append(", {at: n").append(i).append(":eth0, addresses: [10.7.0.").append(10 + i).append("/24]}]\n");
        }
        return sb.toString();
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s: %s", String.join(" ", cmd), out).isZero();
        return out;
    }

    /** The IPv4 neighbours of {@code node}'s {@code dev}, address to MAC, per ip -j neigh (entries with a MAC only). */
    static Map<String, String> neighbours(String node, String dev) throws Exception {
        Map<String, String> out = new HashMap<>();
        for (JsonNode n : JSON.readTree(run("ip", "-n", "prime." + node, "-j", "-4", "neigh", "show", "dev", dev)))
            if (n.has("lladdr")) out.put(n.get("dst").asText(), n.get("lladdr").asText());
        return out;
    }

    static String mac(String node, String dev) throws Exception {
        return JSON.readTree(run("ip", "-n", "prime." + node, "-j", "link", "show", "dev", dev)).get(0).get("address").asText();
    }

    @Test void primedEntriesAreThereBeforeAnyProbeAndVerifyPasses() throws Exception {
        Lab lab = Validator.checkText(lab(), "prime.yaml").orThrow();
        LabEngine engine = new LabEngine(new LabDirs(run), KernelExecutor::new);
        engine.up(lab);

        Priming.Rule forced = new Priming.Rule(2);
        List<Priming.Target> targets = Priming.targets(lab, false, forced);
        assertThat(targets).singleElement().satisfies(t -> {
            assertThat(t.head().iface()).isEqualTo(new IfRef("sw", "br0"));
            assertThat(t.members()).hasSize(2 * PER_BRIDGE);
            assertThat(t.pairs()).hasSize(2 * PER_BRIDGE * (2 * PER_BRIDGE - 1) / 2); // 7 members: all pairs, each once
        });
        Priming.Target t = targets.getFirst();

        Primer.Summary s = Primer.prime(lab.kernelNames(), targets);
        assertThat(s.failed()).as(s.describe()).isZero();
        // 1 announce + 6 to the head + 6 from it + 15 pairs each way
        assertThat(s.frames()).as(s.describe()).isEqualTo(1 + 6 + 6 + 2 * 15);

        Map<String, String> macs = new HashMap<>();
        macs.put("10.7.0.1", mac("sw", "br0"));
        for (int i = 1; i <= 2 * PER_BRIDGE; i++) macs.put("10.7.0." + (10 + i), mac("n" + i, "eth0"));

        // the head knows every member
        Map<String, String> head = neighbours("sw", "br0");
        for (Priming.End m : t.members()) assertThat(head).containsEntry(m.ip().getHostAddress(), macs.get(m.ip().getHostAddress()));
        // every member knows the head and every other member (all pairs here), with the right MACs
        for (int i = 1; i <= 2 * PER_BRIDGE; i++) {
            Map<String, String> n = neighbours("n" + i, "eth0");
            Set<String> want = new HashSet<>(macs.keySet());
            want.remove("10.7.0." + (10 + i));
            for (String ip : want) assertThat(n).as("n%d", i).containsEntry(ip, macs.get(ip));
        }

        Report r = new Verifier(Duration.ofSeconds(3), false, 8, forced, x -> {}).verify(lab);
        assertThat(r.failures()).as(r.table()).isZero();
        assertThat(r.checks()).hasSize(7 * 6);
        List<String> members = new ArrayList<>();
        for (int i = 1; i <= 2 * PER_BRIDGE; i++) members.add("n" + i);
        assertThat(r.checks().stream().map(Check::from).distinct()).containsAll(members);
    }
}
