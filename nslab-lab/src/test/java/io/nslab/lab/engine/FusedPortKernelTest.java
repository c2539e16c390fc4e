package io.nslab.lab.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nslab.lab.apply.KernelExecutor;
import io.nslab.lab.apply.LabDirs;
import io.nslab.lab.model.Lab;
import io.nslab.lab.validate.Validator;
import io.nslab.lab.verify.Report;
import io.nslab.lab.verify.Verifier;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bridge ports made enslaved and up by their veth pair's own request: what the kernel shows (ip -j), traffic
 * through them, and a port detached or set down by hand put back by the next {@code up}.
 */
@KernelTest
class FusedPortKernelTest {
    @TempDir Path run;

    static final String LAB = """
            name: fused
            nodes:
              sw:
                interfaces:
                  br0: {kind: bridge, addresses: [10.7.0.254/24], ports: [p1, p2, p3]}
              a:
              b:
              c:
            links:
              - ends: [sw:p1, {at: a:eth0, addresses: [10.7.0.1/24]}]
              - ends: [{at: b:eth0, addresses: [10.7.0.2/24]}, sw:p2]
              - ends: [{at: c:eth0, addresses: [10.7.0.3/24]}, {at: sw:p3, mtu: 1400}]
            """;

    @AfterEach void cleanUp() throws Exception {
        new LabEngine(new LabDirs(run), KernelExecutor::new).down("fused");
    }

    static Map<String, JsonNode> ports() throws Exception {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode l : new ObjectMapper().readTree(KernelState.run("ip", "-n", "fused.sw", "-j", "link", "show")))
            out.put(l.get("ifname").asText(), l);
        return out;
    }

    @Test void portsAreEnslavedAndUpAndAPortTakenOffIsPutBack() throws Exception {
        Lab lab = Validator.checkText(LAB, "fused.yaml").orThrow();
        LabEngine engine = new LabEngine(new LabDirs(run), KernelExecutor::new);
        engine.up(lab);
        Map<String, JsonNode> seen = ports();
        for (String p : new String[] {"p1", "p2", "p3"}) {
            assertThat(seen.get(p).path("master").asText()).as(p).isEqualTo("br0");
            assertThat(seen.get(p).path("operstate").asText()).as(p).isEqualTo("UP");
        }
        assertThat(seen.get("p3").path("mtu").asInt()).isEqualTo(1400);
        Report r = new Verifier(Duration.ofSeconds(3)).verify(lab);
        assertThat(r.failures()).as(r.table()).isZero();

        KernelState.run("ip", "-n", "fused.sw", "link", "set", "p1", "nomaster");
        KernelState.run("ip", "-n", "fused.sw", "link", "set", "p2", "down");
        assertThat(engine.up(lab).changed()).isTrue();
        seen = ports();
        assertThat(seen.get("p1").path("master").asText()).isEqualTo("br0");
        assertThat(seen.get("p2").path("flags").toString()).contains("\"UP\"");
        assertThat(engine.up(lab).changed()).isFalse();
        r = new Verifier(Duration.ofSeconds(3)).verify(lab);
        assertThat(r.failures()).as(r.table()).isZero();
    }
}
