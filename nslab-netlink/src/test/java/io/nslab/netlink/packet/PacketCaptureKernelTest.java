package io.nslab.netlink.packet;

import io.nslab.netlink.Rtnl;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.LinkChange;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkNetns;
import io.nslab.netlink.route.LinkSpec;
import io.nslab.netlink.sys.IcmpSocket;
import io.nslab.testing.KernelTest;
import io.nslab.netlink.testing.ScratchNs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two namespaces joined by a veth pair, a real ping and TCP exchange between
 * them, captured on one end: a filtered capture keeps only the pings (and the
 * kernel's statistics show the rest never reached it), tcpdump reads the file
 * and sees the same packets, printed the same way.
 */
@KernelTest
class PacketCaptureKernelTest {
    @Test void capturesPingsWithAKernelFilterWhileTcpFlows(@TempDir Path dir) throws Exception {
        try (ScratchNs a = ScratchNs.create(); ScratchNs b = ScratchNs.create()) {
            a.run(() -> {
                try (Rtnl r = Rtnl.open()) {
                    r.links().add(LinkSpec.of("va", LinkKind.veth("vb").withPeerNetns(LinkNetns.path(b.path()))));
                    r.addresses().add("va", IpPrefix.parse("10.9.0.1/24"));
                    r.links().set("va", LinkChange.up());
                    r.links().set("lo", LinkChange.up());
                }
            });
            b.run(() -> {
                try (Rtnl r = Rtnl.open()) {
                    r.addresses().add("vb", IpPrefix.parse("10.9.0.2/24"));
                    r.links().set("vb", LinkChange.up());
                    r.links().set("lo", LinkChange.up());
                }
            });
            PacketCapture icmp = a.call(() -> PacketCapture.open("va", BpfCompiler.compile("icmp", PacketCapture.DEFAULT_SNAPLEN)));
            PacketCapture all = a.call(() -> PacketCapture.open("va", BpfProgram.acceptAll(128)));
            try (icmp; all) {
                assertEquals(LinkType.ETHERNET, icmp.linkType());
                assertEquals(128, all.snaplen());

                // TCP first (so ARP, SYN... go by the icmp capture), then three pings
                ServerSocket server = b.call(() -> {
                    ServerSocket s = new ServerSocket();
                    s.bind(new InetSocketAddress(InetAddress.ofLiteral("10.9.0.2"), 41000));
                    return s;
                });
                try (server; Socket client = a.call(() -> new Socket(InetAddress.ofLiteral("10.9.0.2"), 41000));
                     Socket accepted = server.accept()) {
                    OutputStream o = client.getOutputStream();
                    o.write("hello".getBytes());
                    o.flush();
                    InputStream in = accepted.getInputStream();
                    assertEquals('h', in.read());
                }
                try (IcmpSocket ping = a.call(() -> IcmpSocket.openRaw(false))) {
                    for (int seq = 1; seq <= 3; seq++) {
                        ping.send(echo(0x4e53, seq), InetAddress.ofLiteral("10.9.0.2"));
                        long until = System.nanoTime() + 2_000_000_000L;
                        boolean replied = false;
                        while (!replied && System.nanoTime() < until) {
                            var d = ping.receive(200);
                            replied = d.isPresent() && d.get().payload()[0] == 0;
                        }
                        assertTrue(replied, "echo reply " + seq);
                    }
                }

                Path file = dir.resolve("icmp.pcapng");
                long n;
                List<Packet> pings = new ArrayList<>();
                try (PcapngWriter w = new PcapngWriter(Files.newOutputStream(file))) {
                    int id = w.addInterface("va", icmp.linkType(), icmp.snaplen());
                    n = icmp.capture(6, Duration.ofSeconds(30), () -> false, p -> { pings.add(p); w.write(id, p); });
                }
                CaptureStats st = icmp.stats();
                PacketPrinter printer = new PacketPrinter(LinkType.ETHERNET);
                assertEquals(6, n, "3 requests and 3 replies; the kernel's counts " + st + "; taken:\n"
                        + String.join("\n", pings.stream().map(printer::format).toList()));
                List<Packet> everything = new ArrayList<>();
                all.capture(0, Duration.ofMillis(300), () -> false, everything::add);

                // in-kernel filtering: the icmp socket was never given the TCP or ARP frames
                assertEquals(new CaptureStats(6, 0), st);
                long tcp = everything.stream().filter(p -> p.data().length > 23 && p.data()[12] == 8 && p.data()[23] == 6).count();
                assertTrue(tcp >= 6, "the unfiltered capture saw the TCP exchange: " + tcp);
                assertTrue(all.stats().received() >= everything.size());
                assertTrue(everything.stream().allMatch(p -> p.data().length <= 128), "snap length 128");

                // tcpdump reads the file and sees the same packets, printed as our printer prints them
                List<String> theirs = Frames.tcpdump("-nn", "-e", "-t", "-r", file.toString());
                assertEquals(6, theirs.size(), String.join("\n", theirs));
                assertEquals(3, theirs.stream().filter(l -> l.contains("ICMP echo request, id 20051")).count(), String.join("\n", theirs));
                assertEquals(3, theirs.stream().filter(l -> l.contains("ICMP echo reply, id 20051")).count(), String.join("\n", theirs));
                assertEquals(theirs, pings.stream().map(printer::format).toList());
                // tcpdump's filter over the unfiltered capture keeps the same six
                Path allFile = Frames.write(dir.resolve("all.pcapng"), everything);
                assertEquals(6, Frames.tcpdump("-nn", "-r", allFile.toString(), "icmp").size());
            }
        }
    }

    /**
     * Many blocks' worth of packets: the ring wraps around several times while
     * a reader drains it; every packet taken is whole and in order, and what
     * was taken plus what the kernel dropped is what passed the filter.
     */
    @Test void ringWrapsAroundUnderABurst() throws Exception {
        try (ScratchNs a = ScratchNs.create(); ScratchNs b = ScratchNs.create()) {
            a.run(() -> {
                try (Rtnl r = Rtnl.open()) {
                    r.links().add(LinkSpec.of("va", LinkKind.veth("vb").withPeerNetns(LinkNetns.path(b.path()))));
                    r.addresses().add("va", IpPrefix.parse("10.9.1.1/24"));
                    r.links().set("va", LinkChange.up());
                }
            });
            b.run(() -> {
                try (Rtnl r = Rtnl.open()) {
                    r.addresses().add("vb", IpPrefix.parse("10.9.1.2/24"));
                    r.links().set("vb", LinkChange.up());
                }
            });
            int total = 150_000;
            try (PacketCapture c = a.call(() -> PacketCapture.open("va", BpfCompiler.compile("udp dst port 41001", 256)));
                 DatagramSocket sender = a.call(() -> new DatagramSocket())) {
                AtomicBoolean sent = new AtomicBoolean();
                List<Long> seqs = new ArrayList<>();
                long[] bad = {0};
                Thread reader = Thread.ofPlatform().start(() -> {
                    try {
                        c.capture(0, Duration.ofSeconds(60), sent::get, p -> {
                            byte[] d = p.data();
                            synchronized (seqs) {
                                if (d.length != 14 + 20 + 8 + 8 || p.wireLength() != d.length) { bad[0]++; return; }
                                seqs.add(ByteBuffer.wrap(d, 42, 8).getLong());
                            }
                        });
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                var to = new InetSocketAddress(InetAddress.ofLiteral("10.9.1.2"), 41001);
                byte[] payload = new byte[8];
                for (long i = 0; i < total; i++) {
                    ByteBuffer.wrap(payload).putLong(i);
                    sender.send(new DatagramPacket(payload, 8, to));
                }
                long until = System.nanoTime() + 10_000_000_000L;
                CaptureStats st = c.stats();
                while (System.nanoTime() < until) {
                    Thread.sleep(200);
                    st = c.stats();
                    synchronized (seqs) { if (seqs.size() + st.dropped() >= st.received()) break; }
                }
                sent.set(true);
                reader.join(5_000);
                synchronized (seqs) {
                    assertEquals(0, bad[0], "malformed frames");
                    assertTrue(st.received() > 60_000, "more than the 8 MiB ring holds reached the socket: " + st);
                    assertEquals(st.received(), seqs.size() + st.dropped(), "taken + dropped = received: " + st);
                    for (int i = 1; i < seqs.size(); i++) assertTrue(seqs.get(i) > seqs.get(i - 1), "in order at " + i);
                }
            }
        }
    }

    private static byte[] echo(int id, int seq) {
        byte[] m = new byte[16];
        m[0] = 8;
        m[4] = (byte) (id >> 8); m[5] = (byte) id; m[6] = (byte) (seq >> 8); m[7] = (byte) seq;
        int sum = 0;
        for (int i = 0; i < m.length; i += 2) sum += ((m[i] & 0xff) << 8) | (m[i + 1] & 0xff);
        while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
        m[2] = (byte) (~sum >> 8); m[3] = (byte) ~sum;
        return m;
    }

    /**
     * A tagged frame received on a veth reaches packet sockets with its tag taken out of the data
     * (the kernel untags every received 802.1Q frame, TP_STATUS_VLAN_VALID): {@code vlan 100} still
     * matches it in the kernel and {@code vlan 200} does not, and the frame comes back with its tag,
     * byte for byte, printed and in the file tcpdump reads. The frames are sent raw (AF_PACKET), so
     * no VLAN device (CONFIG_VLAN_8021Q) is needed; VlanCaptureKernelTest does it with VLAN devices.
     */
    @Test void receivedTaggedFramesMatchVlanFiltersAndKeepTheirTag(@TempDir Path dir) throws Exception {
        byte[] udp100 = Frames.zoo().stream().filter(f -> (f[12] & 0xff) == 0x81 && f[15] == 100).findFirst().orElseThrow();
        byte[] icmp200 = Frames.zoo().stream().filter(f -> (f[12] & 0xff) == 0x81 && (f[15] & 0xff) == 200).findFirst().orElseThrow();
        try (ScratchNs a = ScratchNs.create(); ScratchNs b = ScratchNs.create()) {
            a.run(() -> {
                try (Rtnl r = Rtnl.open()) {
                    r.links().add(LinkSpec.of("va", LinkKind.veth("vb").withPeerNetns(LinkNetns.path(b.path()))));
                    r.links().set("va", LinkChange.up());
                }
            });
            b.run(() -> {
                try (Rtnl r = Rtnl.open()) {
                    r.links().set("vb", LinkChange.up());
                }
            });
            PacketCapture v100 = b.call(() -> PacketCapture.open("vb", BpfCompiler.compile("vlan 100 and udp", PacketCapture.DEFAULT_SNAPLEN)));
            PacketCapture v300 = b.call(() -> PacketCapture.open("vb", BpfCompiler.compile("vlan 300", PacketCapture.DEFAULT_SNAPLEN)));
            PacketCapture vlan = b.call(() -> PacketCapture.open("vb", BpfCompiler.compile("vlan and not arp", PacketCapture.DEFAULT_SNAPLEN)));
            Path file = dir.resolve("tagged.pcapng");
            try (v100; v300; vlan; PcapngWriter w = new PcapngWriter(java.nio.channels.FileChannel.open(file,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE))) {
                a.run(() -> {
                    try (io.nslab.netlink.sys.Fd raw = new io.nslab.netlink.sys.Fd(io.nslab.netlink.sys.LibC.socket(
                            io.nslab.netlink.sys.LibC.AF_PACKET, io.nslab.netlink.sys.LibC.SOCK_RAW, 0));
                         java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                        // struct sockaddr_ll: sll_family, sll_protocol (0: the frame's), sll_ifindex; the rest 0
                        java.lang.foreign.MemorySegment to = arena.allocate(20);
                        to.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 0, (short) io.nslab.netlink.sys.LibC.AF_PACKET);
                        to.set(java.lang.foreign.ValueLayout.JAVA_INT, 4, io.nslab.netlink.sys.LibC.ifIndex(raw.get(), "va").orElseThrow());
                        for (int n = 0; n < 3; n++) for (byte[] f : List.of(udp100, icmp200)) {
                            java.lang.foreign.MemorySegment m = arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, f);
                            io.nslab.netlink.sys.LibC.sendto(raw.get(), m, f.length, 0, to);
                        }
                    }
                });
                List<Packet> got = new ArrayList<>();
                assertEquals(3, v100.capture(3, Duration.ofSeconds(10), () -> false, got::add));
                for (Packet p : got) org.junit.jupiter.api.Assertions.assertArrayEquals(udp100, p.data());     // the tag back in place
                assertEquals(udp100.length, got.get(0).wireLength());
                assertTrue(new PacketPrinter(LinkType.ETHERNET).line(got.get(0))
                        .contains("ethertype 802.1Q (0x8100), length 48: vlan 100, p 1, ethertype IPv4 (0x0800), 10.0.0.1.40000 > 10.0.0.2.41000: UDP"),
                        new PacketPrinter(LinkType.ETHERNET).line(got.get(0)));
                int id = w.addInterface("vb", vlan.linkType(), vlan.snaplen());
                assertEquals(6, vlan.capture(6, Duration.ofSeconds(10), () -> false, new PacketCapture.FrameSink() {
                    @Override public void accept(long nanos, int wireLength, java.lang.foreign.MemorySegment data) throws java.io.IOException {
                        w.write(id, nanos, wireLength, data);
                    }

                    @Override public void release() throws java.io.IOException { w.flush(); }
                }));
                assertEquals(0, v300.stats().received());
            }
            List<String> read = Frames.tcpdump("-nn", "-e", "-r", file.toString());
            assertEquals(3, read.stream().filter(l -> l.contains("vlan 100, p 1") && l.contains("UDP")).count(), String.join("\n", read));
            assertEquals(3, read.stream().filter(l -> l.contains("vlan 200, p 0") && l.contains("ICMP echo request")).count(), String.join("\n", read));
        }
    }
}
