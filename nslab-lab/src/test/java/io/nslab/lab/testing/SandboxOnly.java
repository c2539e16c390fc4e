package io.nslab.lab.testing;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs a {@link KernelTest} only where it cannot reach this machine's own
 * network: inside test/sandbox/bin/java (NSLAB_IN_SANDBOX set, and this JVM's
 * network namespace is not the one of PID 1), or in the full-kernel lane's
 * throwaway VM (NSLAB_FULL_KERNEL). Anywhere else the test is disabled with
 * the reason, never run.
 */
public final class SandboxOnly implements ExecutionCondition {
    static final String WHY = "kernel test outside the test sandbox: needs root and test/sandbox/bin/java "
            + "(run `mvn test` as root, or leave the kernel tier out with -DexcludedGroups=kernel)";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return sandboxed() ? ConditionEvaluationResult.enabled("inside the test sandbox")
                : ConditionEvaluationResult.disabled(WHY);
    }

    /** True in the test sandbox or the full-kernel VM. */
    public static boolean sandboxed() {
        if (System.getenv("NSLAB_FULL_KERNEL") != null) return true;
        if (System.getenv("NSLAB_IN_SANDBOX") == null) return false;
        try {
            // the wrapper's mark alone could be inherited: the namespace must really be a private one
            return !Files.readSymbolicLink(Path.of("/proc/self/ns/net"))
                    .equals(Files.readSymbolicLink(Path.of("/proc/1/ns/net")));
        } catch (IOException | SecurityException e) {
            return false; // PID 1's namespace is unreadable without root: not the sandbox
        }
    }
}
