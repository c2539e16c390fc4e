package io.nslab.lab.engine;

import io.nslab.lab.apply.Applier;
import io.nslab.lab.apply.ApplyException;
import io.nslab.lab.apply.KernelExecutor;
import io.nslab.lab.apply.LabDirs;
import io.nslab.lab.apply.Progress;
import io.nslab.lab.load.LabLoader;
import io.nslab.lab.load.Loaded;
import io.nslab.lab.model.Lab;
import io.nslab.testing.KernelTest;
import io.nslab.lab.verify.Report;
import io.nslab.lab.verify.Verifier;
import io.nslab.netlink.netns.NetNs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded S10 lab on the real kernel (inside the test sandbox). */
@KernelTest
class DefaultLabKernelTest {
    @TempDir Path run;

    static Lab defaultLab() {
        Loaded l = LabLoader.loadResource("/io/nslab/lab/default-lab.yaml");
        assertThat(l.problems()).isEmpty();
        return l.lab().orElseThrow();
    }

    @org.junit.jupiter.api.AfterEach void cleanUp() throws Exception {
        new LabEngine(new LabDirs(run), KernelExecutor::new).down("s10");
    }

    @Test void upVerifyUpAgainDownLeavesKernelAsBefore() throws Exception {
        LabEngine engine = new LabEngine(new LabDirs(run), KernelExecutor::new);
        Lab lab = defaultLab();
        String before = KernelState.snapshot();

        UpResult up = engine.up(lab);
        assertThat(up.applied()).isNotEmpty();
        assertThat(NetNs.list()).contains("s10.docker", "s10.nginx", "s10.gitlab", "s10.outside");

        Report r = new Verifier(Duration.ofSeconds(1)).verify(lab);
        System.out.println(r.table());
        assertThat(r.passed()).as(r.table()).isTrue();

        UpResult again = engine.up(lab);
        assertThat(again.changed()).as(again.applied().toString()).isFalse();
        assertThat(engine.plan(lab).isEmpty()).isTrue();

        DownResult down = engine.down(lab.name());
        assertThat(down.problems()).isEmpty();
        assertThat(KernelState.snapshot()).isEqualTo(before);
        assertThat(engine.status()).isEmpty();
    }

    @Test void aFailingStepMidwayRollsBackEverything() throws Exception {
        LabEngine engine = new LabEngine(new LabDirs(run), KernelExecutor::new);
        Lab lab = defaultLab();
        String before = KernelState.snapshot();
        Applier.FaultHook fault = (i, s) -> { if (i == 25) throw new IllegalStateException("injected fault"); };
        assertThatThrownBy(() -> engine.up(lab, Optional.empty(), Progress.NONE, fault))
                .isInstanceOf(ApplyException.class).hasMessageContaining("injected fault").hasMessageContaining("rolled back 25 step(s)");
        assertThat(KernelState.snapshot()).isEqualTo(before);
        assertThat(engine.status(lab.name()).steps()).isZero();
        engine.down(lab.name());
    }

    @Test void clashWithAForeignNamespaceChangesNothing() throws Exception {
        LabEngine engine = new LabEngine(new LabDirs(run), KernelExecutor::new);
        Lab lab = defaultLab();
        NetNs.create("s10.gitlab");
        try {
            String before = KernelState.snapshot();
            assertThatThrownBy(() -> engine.up(lab)).isInstanceOf(ClashException.class)
                    .hasMessageContaining("netns s10.gitlab already exists and was not created by this lab");
            assertThat(KernelState.snapshot()).isEqualTo(before);
            engine.down(lab.name());
            assertThat(NetNs.exists("s10.gitlab")).isTrue(); // not ours: never touched
        } finally {
            NetNs.delete("s10.gitlab");
        }
    }
}
