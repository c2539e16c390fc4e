package io.nslab.lab.host;

import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code --tune-host} on a real kernel's initial network namespace: raised, seen by sysctl(8), restored after the
 * last lab. Only the full-kernel lane's throwaway VM runs it, with its tests outside the sandbox
 * ({@code test/full-kernel/run --no-sandbox --select HostTuningKernelTest}): the sandbox is not the initial
 * namespace (the limits cannot be read there; HostLimitsPreflightTest covers that), and on a developer's machine
 * the test must not change the host.
 */
@KernelTest
class HostTuningKernelTest {
    @TempDir Path run;

    static String sysctl(String key) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of("sysctl", "-n", key)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        return out;
    }

    @Test void raisedFromTheInitialNamespaceAndRestoredAfterTheLastLab() throws Exception {
        assumeTrue(System.getenv("NSLAB_FULL_KERNEL") != null, "changes the host's sysctls: only in the full-kernel lane's VM");
        HostLimits host = new HostLimits(Path.of("/proc"), run);
        assumeTrue(host.read().isPresent(), "not the initial network namespace: run the lane with --no-sandbox");
        String t2 = sysctl("net.ipv4.neigh.default.gc_thresh2"), t3 = sysctl("net.ipv4.neigh.default.gc_thresh3");
        String backlog = sysctl("net.core.netdev_max_backlog");
        int in3 = Integer.parseInt(t3);

        HostLimits.Check check = host.check(new HostNeed(in3 + 1000, 0, Integer.parseInt(backlog)));
        assertThat(check.fits()).isFalse();
        host.tune("a", check);
        host.tune("b", host.check(new HostNeed(in3 + 1000, 0, Integer.parseInt(backlog))));
        assertThat(Integer.parseInt(sysctl("net.ipv4.neigh.default.gc_thresh3"))).isEqualTo(check.wanted().get("net.ipv4.neigh.default.gc_thresh3"))
                .isGreaterThan(in3);
        assertThat(Integer.parseInt(sysctl("net.core.netdev_max_backlog"))).isGreaterThan(Integer.parseInt(backlog));
        host.release("a");
        assertThat(Integer.parseInt(sysctl("net.ipv4.neigh.default.gc_thresh3"))).isGreaterThan(in3);
        host.release("b");
        assertThat(sysctl("net.ipv4.neigh.default.gc_thresh2")).isEqualTo(t2);
        assertThat(sysctl("net.ipv4.neigh.default.gc_thresh3")).isEqualTo(t3);
        assertThat(sysctl("net.core.netdev_max_backlog")).isEqualTo(backlog);
        assertThat(host.recorded()).isEmpty();
    }
}
