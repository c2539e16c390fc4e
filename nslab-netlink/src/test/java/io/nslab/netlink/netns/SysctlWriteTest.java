package io.nslab.netlink.netns;

import io.nslab.netlink.sys.ProcSys;
import io.nslab.netlink.testing.Observer;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** sysctl writes through nslab's own procfs instances land in the calling thread's namespace, as ip sees them. */
@KernelTest
class SysctlWriteTest {
    @AfterEach void leaveNothingBehind() throws Exception {
        NetNs.deleteAll(NetNs.list().stream().filter(n -> n.startsWith("nt-sw")).toList());
    }

    static String seen(String ns, String file) throws Exception {
        return Observer.run(List.of("ip", "netns", "exec", ns, "cat", "/proc/sys/" + file)).trim();
    }

    /** Descriptors of procfs mounts of ours: a detached mount reads as "/" (other tests' sockets and files run beside). */
    static long mountFds() {
        return Arrays.stream(Objects.requireNonNull(new File("/proc/self/fd").list())).filter(fd -> {
            try {
                return Files.readSymbolicLink(Path.of("/proc/self/fd", fd)).toString().equals("/");
            } catch (IOException e) {
                return false;                    // closed meanwhile
            }
        }).count();
    }

    @Test void writesLandInTheThreadsNamespaceAcrossManyInstancesAndLeaveNoDescriptor() throws Exception {
        List<String> names = List.of("nt-sw0", "nt-sw1", "nt-sw2");
        NetNs.createAll(names);
        long before = mountFds();
        // more writes than one instance takes, so instances are made and dropped on the way
        for (int i = 0; i < 200; i++) {
            String ns = names.get(i % names.size());
            int value = 1000 + i;
            try (NetNs h = NetNs.open(ns)) {
                h.sysctl("net.core.somaxconn", Integer.toString(value));
            }
        }
        for (int k = 0; k < names.size(); k++) {
            int last = 1000 + 199 - ((199 - k) % names.size());
            assertThat(seen(names.get(k), "net/core/somaxconn")).isEqualTo(Integer.toString(last));
        }
        assertThat(seen("nt-sw0", "net/ipv6/conf/default/disable_ipv6")).isEqualTo("0");
        try (NetNs h = NetNs.open("nt-sw0")) {
            h.sysctl("net.ipv6.conf.default.disable_ipv6", "1");
        }
        assertThat(seen("nt-sw0", "net/ipv6/conf/default/disable_ipv6")).isEqualTo("1");
        assertThat(seen("nt-sw1", "net/ipv6/conf/default/disable_ipv6")).isEqualTo("0");
        // the one instance kept for the next write, no more
        assertThat(mountFds()).isEqualTo(Math.max(before, 1));
    }

    @Test void theSandboxCanMakeAnInstanceAndErrorsReadAsThroughProcSys() throws Exception {
        NetNs.create("nt-sw9");
        try (NetNs ns = NetNs.open("nt-sw9")) {
            check(ns);
        }
    }

    private static void check(NetNs ns) throws Exception {
        assertThat(ns.call(() -> ProcSys.write("net/core/somaxconn", "777".getBytes(StandardCharsets.UTF_8)))).isTrue();
        assertThat(seen("nt-sw9", "net/core/somaxconn")).isEqualTo("777");
        assertThatThrownBy(() -> ns.sysctl("net.ipv4.nope", "1")).hasMessage("sysctl net.ipv4.nope (netns nt-sw9): no such key");
        assertThatThrownBy(() -> ns.sysctl("net.ipv4.ip_forward", "banana"))
                .hasMessageContaining("sysctl net.ipv4.ip_forward (netns nt-sw9): cannot write");
    }
}
