package io.nslab.netlink;

import io.nslab.netlink.testing.ScratchNs;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;

import static org.assertj.core.api.Assertions.assertThat;

/** The ready probe of run: processes against the kernel: one compat dump sees listeners of both families. */
@KernelTest
class InetDiagKernelTest {
    ScratchNs ns;

    @BeforeEach void setUp() throws Exception { ns = ScratchNs.create(); }
    @AfterEach void tearDown() { ns.close(); }

    @Test void oneCompatDumpSeesIpv4AndIpv6ListenersAndOnlyThose() throws Exception {
        ns.run(() -> {
            try (ServerSocketChannel v4 = ServerSocketChannel.open(StandardProtocolFamily.INET);
                 ServerSocketChannel v6 = ServerSocketChannel.open(StandardProtocolFamily.INET6);
                 InetDiag diag = InetDiag.open()) {
                v4.bind(new InetSocketAddress("0.0.0.0", 7001));
                v6.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                v6.bind(new InetSocketAddress("::", 7002));
                assertThat(diag.tcpListening(7001)).isTrue();
                assertThat(diag.tcpListening(7002)).isTrue();
                assertThat(diag.tcpListening(7003)).isFalse();
                assertThat(diag.oneDump()).as("the kernel answered the compat request").isTrue();
                // the same answers as ss's two dumps
                assertThat(diag.tcpListeningPerFamily(7001)).isTrue();
                assertThat(diag.tcpListeningPerFamily(7002)).isTrue();
                assertThat(diag.tcpListeningPerFamily(7003)).isFalse();
            }
        });
    }
}
