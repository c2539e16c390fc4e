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
}
