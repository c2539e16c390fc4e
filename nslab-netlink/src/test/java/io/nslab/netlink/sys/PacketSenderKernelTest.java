package io.nslab.netlink.sys;

import io.nslab.netlink.Rtnl;
import io.nslab.netlink.packet.BpfProgram;
import io.nslab.netlink.packet.Packet;
import io.nslab.netlink.packet.PacketCapture;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.LinkChange;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkNetns;
import io.nslab.netlink.route.LinkLayerAddress;
import io.nslab.netlink.route.LinkSpec;
import io.nslab.netlink.route.Neighbour;
import io.nslab.netlink.testing.ScratchNs;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole frame out of a veth through {@link PacketSender}: a unicast ARP request from a to b, built by hand. The
 * far end captures exactly those bytes, and b's kernel, asked for its own address, made a neighbour entry for a
 * with a's MAC from the request alone.
 */
@KernelTest
class PacketSenderKernelTest {
    static final HexFormat HEX = HexFormat.of();

    @Test void aUnicastArpRequestLeavesWholeAndTheTargetLearnsTheSender() throws Exception {
        try (ScratchNs a = ScratchNs.create(); ScratchNs b = ScratchNs.create()) {
            byte[] aMac = a.call(() -> {
                try (Rtnl r = Rtnl.open()) {
                    r.links().add(LinkSpec.of("va", LinkKind.veth("vb").withPeerNetns(LinkNetns.path(b.path()))));
                    r.addresses().add("va", IpPrefix.parse("10.9.0.1/24"));
                    r.links().set("va", LinkChange.up());
                    return r.links().require("va").address().orElseThrow().bytes();
                }
            });
            byte[] bMac = b.call(() -> {
                try (Rtnl r = Rtnl.open()) {
                    r.addresses().add("vb", IpPrefix.parse("10.9.0.2/24"));
                    r.links().set("vb", LinkChange.up());
                    return r.links().require("vb").address().orElseThrow().bytes();
                }
            });
            byte[] frame = HEX.parseHex(HEX.formatHex(bMac) + HEX.formatHex(aMac) + "0806" + "0001" + "0800" + "0604" + "0001"
                    + HEX.formatHex(aMac) + "0a090001" + HEX.formatHex(bMac) + "0a090002");
            try (PacketCapture cap = b.call(() -> PacketCapture.open("vb", BpfProgram.acceptAll(256)))) {
                a.run(() -> {
                    int index;
                    try (Rtnl r = Rtnl.open()) { index = r.links().require("va").index(); }
                    try (PacketSender s = PacketSender.open()) {
                        // the link's index and MAC by ioctl agree with rtnetlink's; lo has no Ethernet address
                        assertEquals(index, s.index("va").orElseThrow());
                        assertArrayEquals(aMac, s.ethernetAddress("va").orElseThrow());
                        assertTrue(s.ethernetAddress("lo").isEmpty());
                        assertTrue(s.ethernetAddress("nosuch0").isEmpty());
                        s.send(index, PacketSender.ETH_P_ARP, frame);
                    }
                });
                // the kernel's own frames (IPv6 neighbour discovery, MLD on a stock kernel) may come first
                List<Packet> arp = new ArrayList<>();
                cap.capture(16, Duration.ofSeconds(2), () -> !arp.isEmpty(), (Packet p) -> {
                    byte[] d = p.data();
                    if (d.length >= 14 && d[12] == 0x08 && d[13] == 0x06) arp.add(p);
                });
                assertTrue(arp.size() >= 1, "captured no ARP frame");
                assertArrayEquals(frame, arp.getFirst().data(), "the frame as sent, to b's MAC");
            }
            Optional<Neighbour> n = b.call(() -> {
                try (Rtnl r = Rtnl.open()) {
                    return r.neighbours().list("vb").stream().filter(x -> x.dst().equals(Optional.of(InetAddress.ofLiteral("10.9.0.1")))).findFirst();
                }
            });
            assertTrue(n.isPresent(), "b has an entry for a");
            assertEquals(Optional.of(LinkLayerAddress.of(aMac).toString()), n.get().lladdr());
        }
    }
}
