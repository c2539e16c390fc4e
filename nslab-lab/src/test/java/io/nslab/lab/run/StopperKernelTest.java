package io.nslab.lab.run;

import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A shell that starts a child as it dies (a trap on TERM here; `sh -c "a; b"` forking b just before the
 * signal in real life): one look for the lab's token and one round of signals leave the child running with
 * the token, the looks until none is left stop it too. Signals only processes this test started.
 */
@KernelTest
class StopperKernelTest {
    private static final String SHELL = "trap 'sleep 300 & exit 0' TERM; echo ready; while :; do sleep 0.05; done";

    @Test void aChildStartedAsItsParentDiesIsStoppedToo() throws Exception {
        String token = "stopper" + ProcessHandle.current().pid() + ":";
        try {
            Stopper.Target shell = start(token);
            assertThat(Stopper.stop(List.of(shell), Duration.ofSeconds(5))).isEmpty();
            List<Stopper.Target> left = Stopper.withToken(token);
            for (long until = System.nanoTime() + 5_000_000_000L; left.isEmpty() && System.nanoTime() < until; left = Stopper.withToken(token)) Thread.sleep(20);
            assertThat(left).as("the child left by one round").hasSize(1);
            assertThat(Stopper.stopAll(List.of(), token, Duration.ofSeconds(5))).isEmpty();
            assertThat(Stopper.withToken(token)).isEmpty();

            Stopper.Target again = start(token);
            assertThat(Stopper.stopAll(List.of(again), token, Duration.ofSeconds(5))).isEmpty();
            assertThat(Stopper.withToken(token)).isEmpty();
        } finally {
            for (Stopper.Target t : Stopper.withToken(token)) ProcessHandle.of(t.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static Stopper.Target start(String token) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", SHELL).redirectErrorStream(true);
        pb.environment().put(LabRuntime.TOKEN, token + "a:0");
        Process p = pb.start();
        assertThat(new String(p.getInputStream().readNBytes(6))).isEqualTo("ready\n");   // the trap is set
        return new Stopper.Target(p.pid(), ProcStat.of(p.pid()).orElseThrow().start());
    }
}
