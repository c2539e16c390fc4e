package io.nslab.testing;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs a {@link KernelTest} only where it cannot reach this machine's own
 * network: inside test/sandbox/bin/java, or in the full-kernel lane's
 * throwaway VM (NSLAB_FULL_KERNEL). Inside the wrapper means all three of:
 * NSLAB_IN_SANDBOX is set, this JVM's network namespace is not the one the
 * wrapper started in (NSLAB_SANDBOX_HOST_NETNS), and /run/netns is the
 * wrapper's own tmpfs (source "nslab-netns", in a private mount namespace).
 * Without NSLAB_IN_SANDBOX (not root, an IDE, a plain JVM) the test is
 * disabled with the reason; with it but without the namespaces (an inherited
 * environment, a broken wrapper) it fails: never run either way, and a suite
 * that meant to run the kernel tier cannot pass by skipping all of it.
 */
public final class SandboxOnly implements ExecutionCondition {
    static final String WHY = "kernel test outside the test sandbox: needs root and test/sandbox/bin/java "
            + "(run `mvn test` as root, or leave the kernel tier out with -DexcludedGroups=kernel)";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (sandboxed()) return ConditionEvaluationResult.enabled("inside the test sandbox");
        if (System.getenv("NSLAB_IN_SANDBOX") != null)
            throw new IllegalStateException("NSLAB_IN_SANDBOX is set, but this JVM is not in the network and mount "
                    + "namespaces test/sandbox/bin/java makes: refusing to run a kernel test");
        return ConditionEvaluationResult.disabled(WHY);
    }

    /** True in the test sandbox or the full-kernel VM. */
    public static boolean sandboxed() {
        if (System.getenv("NSLAB_FULL_KERNEL") != null) return true;
        String host = System.getenv("NSLAB_SANDBOX_HOST_NETNS");
        if (System.getenv("NSLAB_IN_SANDBOX") == null || host == null || host.isBlank()) return false;
        try {
            if (Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString().equals(host)) return false;
            // mountinfo: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS... - FSTYPE SOURCE SUPEROPTIONS
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .map(l -> l.split(" "))
                    .anyMatch(f -> f.length > 4 && f[4].equals("/run/netns")
                            && String.join(" ", f).contains(" - tmpfs nslab-netns "));
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
