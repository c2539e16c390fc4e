package io.nslab.netlink.fullkernel;

import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The kind probe the full-kernel tests rely on answers right for kinds every kernel here has, and for none. */
@KernelTest
class KernelKindsTest {
    @Test
    void kindsOfThisKernelAreFound() {
        assertThat(KernelKinds.kernelHas("veth")).isTrue();
        assertThat(KernelKinds.kernelHas("bridge")).isTrue();
    }

    @Test
    void anUnknownKindIsAbsent() {
        assertThat(KernelKinds.kernelHas("nslabnosuchkind")).isFalse();
    }
}
