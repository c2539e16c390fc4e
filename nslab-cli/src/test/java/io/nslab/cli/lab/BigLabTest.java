package io.nslab.cli.lab;

import io.nslab.testing.KernelTest;
import io.nslab.lab.validate.Validator;
import io.nslab.netlink.Links;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.route.LinkKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** up and down of a large lab on one bridge (N from NSLAB_BIG_N, default 200), timed. */
@KernelTest
class BigLabTest {
    @TempDir Path tmp;

    @Test void upAndDownOfManyNodesOnOneBridge() throws Exception {
        int n = Integer.parseInt(System.getenv().getOrDefault("NSLAB_BIG_N", "200"));
        Path file = BigLab.write(tmp, "big", n);
        long v0 = System.nanoTime();
        assertThat(Validator.check(file).problems()).isEmpty();
        System.out.printf("big lab N=%d: validate %.0f ms%n", n, (System.nanoTime() - v0) / 1e6);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long c0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        LabCommandsTest.Run up = LabCommandsTest.run("up", file.toString());
        long t1 = System.nanoTime();
        long c1 = os.getProcessCpuTime();
        assertThat(up.code()).as(up.err()).isZero();
        LabCommandsTest.Run again = LabCommandsTest.run("up", file.toString());
        long t2 = System.nanoTime();
        assertThat(again.out()).contains("nothing to do");
        // the kernel removes a deleted namespace's interfaces later: watch the bridge's node (kept alive by this
        // socket) until every veth port is gone, which happens when the node at its other end is really torn down
        var sw = NetNs.open("big.sw");
        var rtnl = sw.rtnl();
        LabCommandsTest.Run down = LabCommandsTest.run("down", file.toString());
        long t3 = System.nanoTime();
        var links = new Links(rtnl.socket());
        while (links.dump().stream().anyMatch(l -> l.kind().map(k -> k instanceof LinkKind.Veth).orElse(false))) Thread.sleep(2);
        long t4 = System.nanoTime();
        rtnl.close();
        sw.close();
        long c3 = os.getProcessCpuTime();
        assertThat(down.code()).as(down.err()).isZero();
        System.out.printf("big lab N=%d: up %.0f ms, up again %.0f ms, down %.0f ms%n", n, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6);
        System.out.printf("big lab N=%d: down until the kernel removed every veth %.0f ms%n", n, (t4 - t2) / 1e6);
        // CPU time (user + system) of this process: what the machine's load does not change
        System.out.printf("big lab N=%d: cpu up %.0f ms, cpu up again + down %.0f ms%n", n, (c1 - c0) / 1e6, (c3 - c1) / 1e6);
    }
}
