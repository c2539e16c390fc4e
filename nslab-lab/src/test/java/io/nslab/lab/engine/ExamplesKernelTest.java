package io.nslab.lab.engine;

import io.nslab.lab.apply.ApplyException;
import io.nslab.lab.apply.KernelExecutor;
import io.nslab.lab.apply.LabDirs;
import io.nslab.lab.model.Lab;
import io.nslab.testing.KernelTest;
import io.nslab.lab.validate.Report;
import io.nslab.lab.validate.Validator;
import io.nslab.lab.verify.Verifier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every example lab on the real kernel: validate, up, verify, up again (no
 * change), down, and the kernel is as before. Examples needing what this
 * kernel lacks must fail {@code up} naming the kernel option and leave nothing.
 */
@KernelTest
class ExamplesKernelTest {
    /** Examples whose kinds this kernel lacks, and the option {@code up} must name. */
    static final Map<String, String> MISSING = Map.of(
            "s05-vlan.yaml", "CONFIG_VLAN_8021Q",
            "s07-ipvlan.yaml", "CONFIG_IPVLAN");

    @TempDir Path run;

    static Stream<Path> examples() throws IOException {
        Path dir = Path.of(System.getenv().getOrDefault("NSLAB_REPO", "..")).resolve("examples");
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> l = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
            return l.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void example(Path file) throws Exception {
        Report v = Validator.check(file);
        assertThat(v.problems()).as("validate " + file).isEmpty();
        Lab lab = v.orThrow();
        LabEngine engine = new LabEngine(new LabDirs(run), KernelExecutor::new);
        String before = KernelState.snapshot();
        String name = file.getFileName().toString();
        try {
            UpResult up;
            try {
                up = engine.up(lab);
            } catch (ApplyException e) {
                // A kind this kernel lacks: up names the option and leaves nothing. The
                // full-kernel lane (a stock kernel) has them all, so there it is a failure.
                if (!MISSING.containsKey(name) || Boolean.getBoolean("nslab.fullKernel")) throw e;
                assertThat(e).hasMessageContaining(MISSING.get(name));
                assertThat(KernelState.snapshot()).isEqualTo(before);
                return;
            }
            assertThat(up.applied()).isNotEmpty();
            io.nslab.lab.verify.Report r = new Verifier(Duration.ofMillis(1500)).verify(lab);
            System.out.println("== " + name + "\n" + r.table());
            assertThat(r.passed()).as(r.table()).isTrue();
            UpResult again = engine.up(lab);
            assertThat(again.changed()).as("second up of " + name + ": " + again.applied()).isFalse();
            DownResult down = engine.down(lab.name());
            assertThat(down.problems()).isEmpty();
            assertThat(KernelState.snapshot()).isEqualTo(before);
        } finally {
            engine.down(lab.name());
        }
    }
}
