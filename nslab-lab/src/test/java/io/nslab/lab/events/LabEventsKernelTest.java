package io.nslab.lab.events;

import io.nslab.lab.apply.KernelExecutor;
import io.nslab.lab.apply.LabDirs;
import io.nslab.lab.engine.LabEngine;
import io.nslab.lab.validate.Validator;
import io.nslab.netlink.monitor.Change;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Events of a lab's namespaces for changes made by hand with iproute2 (the independent actor here). */
@KernelTest
class LabEventsKernelTest {
    @TempDir Path run;

    private LabEngine engine() {
        return new LabEngine(new LabDirs(run), KernelExecutor::new);
    }

    @AfterEach void cleanUp() throws Exception {
        engine().down("ev1");
    }

    static void ip(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }

    @Test void aLinkSetDownByHandIsNamedByNodeAndInterface() throws Exception {
        engine().up(Validator.checkText("""
                name: ev1
                nodes:
                  a: {}
                  b: {}
                links:
                  - ends: [{at: a:eth0, addresses: [10.78.0.1/24]}, {at: b:eth0, addresses: [10.78.0.2/24]}]
                """, "ev.yaml").orThrow());
        Map<String, String> nodes = new LinkedHashMap<>();
        nodes.put("a", "ev1.a");
        nodes.put("b", "ev1.b");
        List<LabEvent> seen = new ArrayList<>();
        try (LabEvents ev = LabEvents.open(nodes)) {
            ip("-n", "ev1.b", "link", "set", "eth0", "down");
            ip("-n", "ev1.a", "addr", "add", "10.78.1.1/24", "dev", "eth0");
            ip("-n", "ev1.a", "route", "add", "10.79.0.0/16", "via", "10.78.0.2");
            long end = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < end && !(has(seen, "b", "link", "eth0", "down")
                    && seen.stream().anyMatch(e -> "10.79.0.0/16".equals(e.fields().get("dst"))))) {
                Optional<LabEvent> e = ev.poll(200);
                e.ifPresent(seen::add);
            }
        }
        assertThat(has(seen, "b", "link", "eth0", "down")).as(seen.toString()).isTrue();
        LabEvent addr = seen.stream().filter(e -> e.object().equals("address") && e.node().equals("a")).findFirst().orElseThrow();
        assertThat(addr.ifname()).contains("eth0");
        assertThat(addr.change()).isEqualTo(Change.NEW);
        assertThat(addr.json()).containsEntry("address", "10.78.1.1/24").containsEntry("node", "a");
        assertThat(addr.text()).isEqualTo("a  address add 10.78.1.1/24 dev eth0");
        LabEvent route = seen.stream().filter(e -> e.object().equals("route") && "10.79.0.0/16".equals(e.fields().get("dst"))).findFirst().orElseThrow(() -> new AssertionError(seen.toString()));
        assertThat(route.text()).isEqualTo("a  route add 10.79.0.0/16 via 10.78.0.2 dev eth0");
        LabEvent down = seen.stream().filter(e -> e.object().equals("link") && e.node().equals("b")).filter(e -> "down".equals(e.fields().get("state"))).findFirst().orElseThrow();
        assertThat(down.text()).isEqualTo("b  link eth0 down");
        assertThat(down.json()).containsEntry("ifname", "eth0").containsEntry("object", "link").containsEntry("change", "new");
    }

    @Test void theStreamEndsWithALabDownEventWhenTheLabIsTakenDown() throws Exception {
        engine().up(Validator.checkText("""
                name: ev1
                nodes: {a: {}, b: {}}
                links:
                  - ends: [{at: a:eth0, addresses: [10.78.0.1/24]}, {at: b:eth0, addresses: [10.78.0.2/24]}]
                """, "ev.yaml").orThrow());
        Map<String, String> nodes = new LinkedHashMap<>();
        nodes.put("a", "ev1.a");
        nodes.put("b", "ev1.b");
        try (LabEvents ev = LabEvents.open("ev1", nodes)) {
            ip("-n", "ev1.a", "link", "set", "eth0", "down");
            // the namespaces live on while watched (each monitor holds its own): the end comes from /run/netns
            assertThat(engine().down("ev1").problems()).isEmpty();
            List<LabEvent> seen = new ArrayList<>();
            long end = System.nanoTime() + 10_000_000_000L;
            Optional<LabEvent> e;
            while ((e = ev.poll(500)).isPresent() || System.nanoTime() < end && seen.stream().noneMatch(x -> x.object().equals("lab"))) e.ifPresent(seen::add);
            assertThat(seen).as(seen.toString()).isNotEmpty();
            LabEvent last = seen.getLast();
            assertThat(last.object()).isEqualTo("lab");
            assertThat(last.text()).isEqualTo("lab ev1 down");
            assertThat(last.json()).containsEntry("lab", "ev1").containsEntry("state", "down").containsEntry("change", "del").doesNotContainKey("node");
            assertThat(has(seen, "a", "link", "eth0", "down")).as(seen.toString()).isTrue();
            assertThat(ev.take()).isEmpty();
            assertThat(ev.take()).isEmpty();
        }
    }

    private static boolean has(List<LabEvent> seen, String node, String object, String ifname, String state) {
        return seen.stream().anyMatch(e -> e.node().equals(node) && e.object().equals(object) && e.ifname().equals(Optional.of(ifname))
                && (state == null || state.equals(e.fields().get("state"))));
    }
}
