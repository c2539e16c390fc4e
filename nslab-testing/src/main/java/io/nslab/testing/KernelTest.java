package io.nslab.testing;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test of the kernel tier: it makes namespaces, opens netlink sockets, runs
 * {@code ip}/{@code nft} observers or processes in namespaces, so it needs root
 * and the test sandbox (test/sandbox/bin/java: its own network + mount
 * namespace). Tagged {@code kernel}, so {@code mvn test -DexcludedGroups=kernel}
 * leaves it out and runs the pure tier as any user; and {@link SandboxOnly}
 * disables it, with the reason, in a JVM that is not in the sandbox.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("kernel")
@ExtendWith(SandboxOnly.class)
public @interface KernelTest {
}
