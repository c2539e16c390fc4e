package io.nslab.netlink.fullkernel;

import io.nslab.netlink.packet.BpfCompiler;
import io.nslab.netlink.packet.CaptureStats;
import io.nslab.netlink.packet.Packet;
import io.nslab.netlink.packet.PacketCapture;
import io.nslab.netlink.packet.PacketPrinter;
import io.nslab.netlink.packet.PcapngWriter;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkRef;
import io.nslab.netlink.route.LinkSpec;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nslab's own capture of 802.1Q frames: a VLAN (id 100) over a veth, captured on the
 * veth, where the kernel hands the frames over with the tag taken off (VLAN offload,
 * TP_STATUS_VLAN_VALID) and nslab puts it back as libpcap does. The filter {@code vlan 100}
 * matches in the kernel, {@code vlan 200} does not; the printer shows the tag as
 * {@code tcpdump -e} does; the pcapng file (written by the gathering writer) reads back in
 * tcpdump with the tag. Needs CONFIG_VLAN_8021Q (skipped where missing, run in the
 * full-kernel lane).
 */
@KernelTest
@Tag("full-kernel")
class VlanCaptureKernelTest {
    @TempDir Path dir;

    @BeforeEach
    void needs8021q() {
        KernelKinds.requireKind("vlan", "CONFIG_VLAN_8021Q");
    }

    @Test
    void taggedFramesArePrintedFilteredAndWrittenWithTheirTag() throws Exception {
        try (Node ns1 = Node.create("ns1"); Node ns2 = Node.create("ns2")) {
            ns1.run((links, addresses, routes) -> {
                links.add(LinkSpec.of("va", LinkKind.veth("vb").withPeerNetns(ns2.netns())).withUp(true));
                links.add(LinkSpec.of("va.100", LinkKind.vlan(LinkRef.of("va"), 100)).withUp(true));
                addresses.add("va.100", IpPrefix.parse("10.10.10.1/24"));
            });
            ns2.run((links, addresses, routes) -> {
                links.set("vb", io.nslab.netlink.route.LinkChange.up());
                links.add(LinkSpec.of("vb.100", LinkKind.vlan(LinkRef.of("vb"), 100)).withUp(true));
                addresses.add("vb.100", IpPrefix.parse("10.10.10.2/24"));
            });
            Path file = dir.resolve("vlan.pcapng");
            try (PacketCapture printed = ns2.inside(() -> PacketCapture.open("vb", BpfCompiler.compile("vlan 100 and icmp", 262144)));
                 PacketCapture written = ns2.inside(() -> PacketCapture.open("vb", BpfCompiler.compile("vlan and icmp", 262144)));
                 PacketCapture other = ns2.inside(() -> PacketCapture.open("vb", BpfCompiler.compile("vlan 200", 262144)));
                 PcapngWriter w = new PcapngWriter(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE))) {
                int id = w.addInterface("vb", written.linkType(), written.snaplen());
                List<Packet> seen = new ArrayList<>();
                CompletableFuture<Long> writing = CompletableFuture.supplyAsync(() -> {
                    try {
                        return written.capture(2, Duration.ofSeconds(30), () -> false, new PacketCapture.FrameSink() {
                            @Override public void accept(long nanos, int wireLength, MemorySegment data) throws java.io.IOException {
                                w.write(id, nanos, wireLength, data);
                            }

                            @Override public void release() throws java.io.IOException { w.flush(); }
                        });
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                Ping.assertReaches(ns1, "10.10.10.2");
                assertThat(printed.capture(2, Duration.ofSeconds(30), () -> false, seen::add)).isEqualTo(2);
                assertThat(writing.get()).isEqualTo(2);
                w.flush();

                // the echo request as tcpdump -nn -e prints it: the tag back in the frame
                PacketPrinter printer = new PacketPrinter(printed.linkType());
                String request = printer.line(seen.get(0));
                assertThat(request).contains("ethertype 802.1Q (0x8100)", "vlan 100, p 0, ethertype IPv4 (0x0800)", "10.10.10.1 > 10.10.10.2: ICMP echo request");
                assertThat(printer.line(seen.get(1))).contains("vlan 100", "10.10.10.2 > 10.10.10.1: ICMP echo reply");
                // the whole frame kept: the tag counts in the captured length as on the wire
                assertThat(seen.get(0).wireLength()).isEqualTo(seen.get(0).data().length);

                // another id never reaches the socket
                CaptureStats none = other.stats();
                assertThat(none.received()).isZero();
            }
            // the independent reader: tcpdump sees the tag in nslab's file
            Process p = new ProcessBuilder("tcpdump", "-nn", "-e", "-r", file.toString()).redirectErrorStream(true).start();
            String read = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            assertThat(read.lines().filter(l -> l.contains("vlan 100")).toList()).as(read).hasSize(2)
                    .anySatisfy(l -> assertThat(l).contains("10.10.10.1 > 10.10.10.2: ICMP echo request"));
        }
    }
}
