package io.nslab.netlink.packet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The printer against {@code tcpdump -nn -e -t -r} on the same file, line for line. */
class PacketPrinterTest {
    @Test void printsWhatTcpdumpPrints(@TempDir Path dir) throws Exception {
        assumeTrue(Frames.haveTcpdump(), "tcpdump not installed");
        List<Packet> packets = Frames.packets(Frames.zoo());
        Path f = Frames.write(dir.resolve("zoo.pcapng"), packets);
        PacketPrinter printer = new PacketPrinter(LinkType.ETHERNET);
        List<String> ours = new ArrayList<>();
        for (Packet p : packets) ours.addAll(List.of(printer.format(p).split("\n")));
        assertEquals(String.join("\n", Frames.tcpdump("-nn", "-e", "-t", "-r", f.toString())), String.join("\n", ours));
    }

    @Test void lineStartsWithTheTimeAsTcpdump() {
        Packet p = Frames.packets(Frames.zoo()).get(0);
        String line = new PacketPrinter(LinkType.ETHERNET, ZoneOffset.UTC).line(p);
        assertEquals("03:04:05.123456 02:00:00:00:00:01 > 02:00:00:00:00:02, ethertype IPv4 (0x0800), length 98: "
                + "10.0.0.1 > 10.0.0.2: ICMP echo request, id 1234, seq 1, length 64", line);
    }

    @Test void ipv6AddressesAsInetNtop() {
        String[][] cases = {{"2001:db8::1", "2001:db8::1"}, {"::", "::"}, {"::1", "::1"}, {"1:0:0:2:0:0:0:3", "1:0:0:2::3"},
                {"1:0:2:3:4:5:6:7", "1:0:2:3:4:5:6:7"}, {"fe80::", "fe80::"}};
        for (String[] c : cases) {
            assertEquals(c[1], PacketPrinter.ip6(Frames.ip(c[0])), c[0]);
        }
        byte[] mapped = Frames.cat(new byte[10], new byte[] {(byte) 0xff, (byte) 0xff, 10, 0, 0, 1});
        assertEquals("::ffff:10.0.0.1", PacketPrinter.ip6(mapped));
    }
}
