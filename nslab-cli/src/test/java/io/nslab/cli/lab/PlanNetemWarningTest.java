package io.nslab.cli.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code plan} warns when the lab's impairments need netem and the kernel lacks it (the refusal
 * {@code up} would give, CONFIG_NET_SCH_NETEM named), and only then: which one is right is decided
 * by asking the kernel independently ({@code tc qdisc add dev lo root netem} in a throwaway
 * namespace). Here netem is missing, so the warning shows; in the full-kernel lane it must not.
 */
@KernelTest
class PlanNetemWarningTest {
    @TempDir Path dir;

    static final String WARNING = "warning: up would refuse: qdisc replace dev eth0 root netem (delay 10ms) (netns pnw.a): kernel lacks the netem qdisc (CONFIG_NET_SCH_NETEM)";

    /** The independent observer: tc adding a netem qdisc on lo of a namespace of its own. */
    static boolean kernelHasNetem() throws Exception {
        Process p = new ProcessBuilder("unshare", "--net", "tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms")
                .redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes());
        int code = p.waitFor();
        if (code != 0) assertThat(said).as("tc's refusal").contains("Specified qdisc kind is unknown");
        return code == 0;
    }

    private Path lab(String impair) throws Exception {
        Path f = dir.resolve("pnw.yaml");
        Files.writeString(f, """
                name: pnw
                nodes: {a: {}, b: {}}
                links:
                  - ends: [{at: a:eth0, addresses: [10.9.1.1/24]}, {at: b:eth0, addresses: [10.9.1.2/24]}]
                    impair: %s
                """.formatted(impair));
        return f;
    }

    @Test void planWarnsExactlyWhenTheKernelLacksNetem() throws Exception {
        boolean netem = kernelHasNetem();
        Path f = lab("{delay: 10ms}");
        LabCommandsTest.Run plan = LabCommandsTest.run("plan", f.toString());
        assertThat(plan.code()).as(plan.err()).isZero();       // a warning, not a failure: nothing was asked of the kernel yet
        LabCommandsTest.Run json = LabCommandsTest.run("plan", "-o", "json", f.toString());
        assertThat(json.code()).as(json.err()).isZero();
        JsonNode lacks = new ObjectMapper().readTree(json.out()).path("kernel_lacks");
        assertThat(lacks.isArray()).isTrue();
        if (netem) {
            assertThat(plan.out()).doesNotContain("warning:").doesNotContain("CONFIG_NET_SCH_NETEM");
            assertThat(lacks).isEmpty();
        } else {
            assertThat(plan.out().lines().filter(l -> l.startsWith("warning:"))).as(plan.out()).containsExactly(WARNING);
            assertThat(lacks.size()).isEqualTo(1);
            assertThat(lacks.get(0).asText()).isEqualTo(WARNING.substring("warning: up would refuse: ".length()));
        }
    }

    @Test void aRateAloneIsTbfAndNeverWarned() throws Exception {
        LabCommandsTest.Run plan = LabCommandsTest.run("plan", lab("{rate: 10mbit}").toString());
        assertThat(plan.code()).as(plan.err()).isZero();
        assertThat(plan.out()).doesNotContain("warning:");
    }
}
