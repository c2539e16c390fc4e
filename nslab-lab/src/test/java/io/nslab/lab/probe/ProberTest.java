package io.nslab.lab.probe;

import io.nslab.testing.KernelTest;
import io.nslab.netlink.sys.IcmpSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Probes and probe servers on the loopback of a throwaway namespace. */
@KernelTest
class ProberTest {
    private LoopbackNs ns;
    static final Duration TIMEOUT = Duration.ofMillis(800);
    private final Prober prober = new Prober(TIMEOUT);

    @BeforeEach void setUp() throws Exception { ns = new LoopbackNs(); }
    @AfterEach void tearDown() { ns.close(); }

    private static InetAddress ip(String s) throws Exception { return InetAddress.getByName(s); }

    @Test void icmpEchoOverRawSocket() throws Exception {
        // A fresh namespace's ping_group_range ("1 0") admits no one: the raw socket is used.
        ProbeResult r = ns.call(() -> prober.run(new Probe.Icmp(ip("127.0.0.1"))));
        assertThat(r.reached()).as(r.detail()).isTrue();
        assertThat(r.detail()).startsWith("reply");
    }

    @Test void icmpEchoOverPingSocket() throws Exception {
        ProbeResult r = ns.call(() -> {
            Files.writeString(Path.of("/proc/sys/net/ipv4/ping_group_range"), "0 2147483647");
            try (var s = IcmpSocket.open(false)) {
                assertThat(s.raw()).isFalse();
            }
            return prober.run(new Probe.Icmp(ip("127.0.0.2")));
        });
        assertThat(r.reached()).as(r.detail()).isTrue();
    }

    @Test void icmpv6Echo() throws Exception {
        ProbeResult r = ns.call(() -> prober.run(new Probe.Icmp(ip("::1"))));
        assertThat(r.reached()).as(r.detail()).isTrue();
    }

    @Test void icmpToUnroutedAddressFailsFast() throws Exception {
        ProbeResult r = ns.call(() -> prober.run(new Probe.Icmp(ip("10.9.9.9"))));
        assertThat(r.reached()).isFalse();
        assertThat(r.detail()).isEqualTo("network unreachable");
        // the kernel answers ENETUNREACH at once: the probe must not sit out its timeout
        assertThat(r.elapsed()).isLessThan(TIMEOUT);
    }

    @Test void tcpConnectsToServerAndIsRefusedElsewhere() throws Exception {
        try (ProbeServer s = ns.call(() -> ProbeServer.start(ProbeServer.Kind.TCP_ECHO, 0))) {
            ProbeResult ok = ns.call(() -> prober.run(new Probe.Tcp(ip("127.0.0.1"), s.port())));
            assertThat(ok.reached()).as(ok.detail()).isTrue();
            int closed = s.port() == 65000 ? 65001 : 65000;
            ProbeResult no = ns.call(() -> prober.run(new Probe.Tcp(ip("127.0.0.1"), closed)));
            assertThat(no.reached()).isFalse();
            assertThat(no.detail()).isEqualTo("connection refused");
        }
    }

    @Test void udpEchoAnswersAndClosedPortIsUnreachable() throws Exception {
        try (ProbeServer s = ns.call(() -> ProbeServer.start(ProbeServer.Kind.UDP_ECHO, 0))) {
            ProbeResult ok = ns.call(() -> prober.run(new Probe.Udp(ip("127.0.0.1"), s.port())));
            assertThat(ok.reached()).as(ok.detail()).isTrue();
            ProbeResult no = ns.call(() -> prober.run(new Probe.Udp(ip("127.0.0.1"), s.port() == 65000 ? 65001 : 65000)));
            assertThat(no.reached()).isFalse();
            assertThat(no.detail()).isEqualTo("port unreachable");
        }
    }

    @Test void httpGetAnswers200() throws Exception {
        try (ProbeServer s = ns.call(() -> ProbeServer.start(ProbeServer.Kind.HTTP, new InetSocketAddress(ip("127.0.0.1"), 0), "hello"))) {
            ProbeResult ok = ns.call(() -> prober.run(new Probe.Http(ip("127.0.0.1"), s.port())));
            assertThat(ok.reached()).as(ok.detail()).isTrue();
            assertThat(ok.detail()).isEqualTo("HTTP 200");
        }
    }

    @Test void serversStayInTheirNamespace() throws Exception {
        try (LoopbackNs other = new LoopbackNs();
             ProbeServer s = ns.call(() -> ProbeServer.start(ProbeServer.Kind.TCP_ECHO, 0))) {
            ProbeResult r = other.call(() -> prober.run(new Probe.Tcp(ip("127.0.0.1"), s.port())));
            assertThat(r.reached()).isFalse();
        }
    }

    @Test void checksumOfKnownEchoRequest() {
        byte[] m = IcmpEcho.request(false, 0x1234, 1, 0);
        assertThat(IcmpEcho.checksum(m)).isZero(); // a correct checksum sums to zero
    }
}
