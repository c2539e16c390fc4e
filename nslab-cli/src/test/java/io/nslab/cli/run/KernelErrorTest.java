package io.nslab.cli.run;

import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A kernel refusal of an ip-syntax command names the errno and its text, as every other nslab message does. */
class KernelErrorTest {
    @Test void theErrnoIsShownByNameAndText() {
        assertThat(Kernel.error("link set p1023 master br0", new ErrnoException("RTM_NEWLINK", Errno.EXFULL)).getMessage())
                .isEqualTo("link set p1023 master br0: EXFULL (Exchange full)");
        assertThat(Kernel.error("link add br0 type bridge", new ErrnoException("RTM_NEWLINK", Errno.EEXIST)).getMessage())
                .isEqualTo("link add br0 type bridge: EEXIST (File exists)");
    }

    @Test void theKernelsOwnWordsFollow() {
        assertThat(Kernel.error("link add x type vxlan id 1", new ErrnoException("RTM_NEWLINK", Errno.EINVAL, "Destination port must be given")).getMessage())
                .isEqualTo("link add x type vxlan id 1: EINVAL (Invalid argument): Destination port must be given");
    }

    @Test void aNumberNoHeaderDefinesStillReadsAsAnErrno() {
        assertThat(Kernel.error("link set x up", new ErrnoException("RTM_NEWLINK", 4000)).getMessage())
                .isEqualTo("link set x up: E4000 (errno 4000)");
    }
}
