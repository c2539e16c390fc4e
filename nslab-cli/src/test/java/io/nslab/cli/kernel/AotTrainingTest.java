package io.nslab.cli.kernel;

import io.nslab.cli.AotTrainingAccess;
import io.nslab.testing.KernelTest;
import io.nslab.netlink.netns.NetNs;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher's training run makes namespaces, links and a lab in the
 * namespace it runs in: it must undo all of it, or the start-up cache it
 * feeds would come with leftovers.
 */
@KernelTest
class AotTrainingTest {
    @Test void trainingWithKernelWorkLeavesNothingBehind() throws Exception {
        var linksBefore = Cli.ip(null, "link show");
        var namespacesBefore = NetNs.list();
        var codes = AotTrainingAccess.train(true);
        // the kernel part really ran (else the cache would silently train on less)
        assertThat(codes).containsEntry("demo", 0).containsEntry("link show", 0);
        // the lab with run: processes went up and down
        assertThat(codes.entrySet()).filteredOn(e -> e.getKey().matches("(up|down) .*aotrun.yaml")).extracting(Map.Entry::getValue).containsExactly(0, 0);
        assertThat(codes.entrySet()).filteredOn(e -> e.getKey().contains("-batch")).extracting(Map.Entry::getValue).containsOnly(0);
        // capture, to a file and printed: an idle interface, it times out with exit 0
        assertThat(codes.entrySet()).filteredOn(e -> e.getKey().contains(" capture ")).extracting(Map.Entry::getValue).containsExactly(0, 0);
        assertThat(NetNs.list()).isEqualTo(namespacesBefore);
        assertThat(processesOf("aotrun")).as("the run: lab's processes are stopped").isZero();
        assertThat(Cli.ip(null, "link show")).isEqualTo(linksBefore);
        assertThat(codes).hasSizeGreaterThan(10);
        assertThat(Cli.nslab("status").out()).doesNotContain("s10");
    }

    /** Processes that carry the lab's token (NSLAB_PROC=LAB:...). */
    static long processesOf(String lab) throws java.io.IOException {
        try (var procs = java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).filter(p -> {
                try {
                    return new String(java.nio.file.Files.readAllBytes(p.resolve("environ"))).contains("NSLAB_PROC=" + lab + ":");
                } catch (java.io.IOException | RuntimeException gone) {
                    return false;
                }
            }).count();
        }
    }

    @Test void runByHandTheTrainingOnlyReads() {
        // main() changes the kernel only in a namespace other than the launcher's (NSLAB_AOT_SANDBOX=net:[INODE])
        assertThat(System.getenv("NSLAB_AOT_SANDBOX")).isNull();
        assertThat(AotTrainingAccess.sandboxed()).isFalse();
    }
}
