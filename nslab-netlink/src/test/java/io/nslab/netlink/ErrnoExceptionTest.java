package io.nslab.netlink;

import io.nslab.netlink.netns.NetNsException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ErrnoExceptionTest {
    @Test
    void isTestsOneOrSeveralErrnos() {
        ErrnoException e = new ErrnoException("link del veth0", Errno.ENODEV);
        assertThat(e).hasMessage("link del veth0 failed: ENODEV (No such device)");
        assertThat(e.is(Errno.ENODEV)).isTrue();
        assertThat(e.is(Errno.ENOENT, Errno.ENODEV)).isTrue();
        assertThat(e.is(Errno.ENOENT, Errno.ESRCH)).isFalse();
        assertThat(e.is()).isFalse();
    }

    @Test
    void netNsExceptionIsAnErrnoExceptionWithItsOwnWords() {
        ErrnoException e = new NetNsException("netns add ns1: namespace already exists (/run/netns/ns1)", Errno.EEXIST);
        assertThat(e).hasMessage("netns add ns1: namespace already exists (/run/netns/ns1)");
        assertThat(e.is(Errno.EEXIST)).isTrue();
        assertThat(e.call()).isEqualTo("netns add ns1");
        assertThat(e.detail()).isEmpty();
    }

    @Test
    void everyErrnoHasItsNameAndText() {
        // 54 is what a bridge answers for its 1,024th port; it used to read "E54 (errno 54)"
        assertThat(new ErrnoException("link set p1023 master br0", Errno.EXFULL))
                .hasMessage("link set p1023 master br0 failed: EXFULL (Exchange full)");
        for (int e = 1; e <= 133; e++) {
            if (e == 41 || e == 58) continue;   // numbers asm-generic/errno.h leaves unused
            assertThat(Errno.name(e)).as("errno %d", e).matches("E[A-Z0-9]+").isNotEqualTo("E" + e);
            assertThat(Errno.describe(e)).as("errno %d", e).doesNotStartWith("errno ");
        }
        assertThat(Errno.name(Errno.EAGAIN)).isEqualTo("EAGAIN");
        assertThat(Errno.name(Errno.EOPNOTSUPP)).isEqualTo("EOPNOTSUPP");
        assertThat(Errno.name(524)).isEqualTo("ENOTSUPP");
        assertThat(Errno.name(9999)).isEqualTo("E9999");
        assertThat(Errno.describe(9999)).isEqualTo("errno 9999");
    }
}
