package io.nslab.netlink.sys;

import io.nslab.netlink.netns.NetNs;
import io.nslab.testing.KernelTest;
import io.nslab.netlink.testing.ScratchNs;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Every descriptor nslab opens is close-on-exec, so no child process (ip netns exec, a user's command) inherits one. */
@KernelTest
class CloseOnExecTest {
    static final int O_CLOEXEC_OCTAL = 02000000;

    static boolean closeOnExec(int fd) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
            if (line.startsWith("flags:")) return (Integer.parseInt(line.substring(6).trim(), 8) & O_CLOEXEC_OCTAL) != 0;
        }
        throw new AssertionError("no flags line for fd " + fd);
    }

    @Test void socketsFilesAndNamespaceHandlesAreCloseOnExec() throws Exception {
        try (ScratchNs ns = ScratchNs.create()) {
            ns.run(() -> {
                try (NetlinkChannel ch = NetlinkChannel.open(0, 0)) {
                    assertThat(closeOnExec(ch.fd())).as("netlink socket").isTrue();
                }
                try (Fd udp = new Fd(LibC.socket(LibC.AF_INET, LibC.SOCK_DGRAM, 0))) {
                    assertThat(closeOnExec(udp.get())).as("socket() without SOCK_CLOEXEC asked").isTrue();
                }
                try (Fd f = new Fd(LibC.open("/proc/self/ns/net", LibC.O_RDONLY, 0))) {
                    assertThat(closeOnExec(f.get())).as("open() without O_CLOEXEC asked").isTrue();
                }
                try (NetNs cur = NetNs.current()) {
                    assertThat(closeOnExec(cur.fd())).as("namespace handle").isTrue();
                }
                if (Files.exists(Path.of(TunTap.DEVICE))) {
                    try (Fd t = new Fd(LibC.open(TunTap.DEVICE, LibC.O_RDWR, 0))) {
                        assertThat(closeOnExec(t.get())).as(TunTap.DEVICE).isTrue();
                    }
                }
            });
        }
    }
}
