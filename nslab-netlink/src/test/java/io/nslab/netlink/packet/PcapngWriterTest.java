package io.nslab.netlink.packet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** pcapng bytes against the spec (draft-ietf-opsawg-pcapng), and tcpdump reading them. */
class PcapngWriterTest {
    private static byte[] le(int... words) {
        ByteBuffer b = ByteBuffer.allocate(words.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) b.putInt(w);
        return b.array();
    }

    @Test void blocksAreTheSpecsBytes() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PcapngWriter w = new PcapngWriter(out);
        byte[] shb = out.toByteArray();
        assertArrayEquals(Frames.cat(
                le(0x0A0D0D0A, 44),                 // block type, total length
                le(0x1A2B3C4D),                     // byte-order magic
                new byte[] {1, 0, 0, 0},            // major 1, minor 0
                le(-1, -1),                         // section length: unknown
                new byte[] {4, 0, 5, 0}, "nslab".getBytes(), new byte[3],   // shb_userappl "nslab", padded
                le(0),                              // opt_endofopt
                le(44)), shb);                      // total length again

        out.reset();
        assertEquals(0, w.addInterface("eth0", LinkType.ETHERNET, 65535));
        assertArrayEquals(Frames.cat(
                le(1, 40),                          // IDB, total length
                new byte[] {1, 0, 0, 0},            // LINKTYPE_ETHERNET, reserved
                le(65535),                          // snaplen
                new byte[] {2, 0, 4, 0}, "eth0".getBytes(),   // if_name
                new byte[] {9, 0, 1, 0, 9, 0, 0, 0},          // if_tsresol = 9 (10^-9 s), padded
                le(0),                              // opt_endofopt
                le(40)), out.toByteArray());

        out.reset();
        long ns = 0x0001_0203_0405_0607L;
        w.write(0, new Packet(ns, 60, new byte[] {1, 2, 3, 4, 5}));
        assertArrayEquals(Frames.cat(
                le(6, 40),                          // EPB, total length
                le(0),                              // interface id
                le(0x0001_0203, 0x0405_0607),       // timestamp high, low (nanoseconds)
                le(5, 60),                          // captured, original length
                new byte[] {1, 2, 3, 4, 5, 0, 0, 0},          // data padded to 32 bits
                le(40)), out.toByteArray());

        assertThrows(IllegalArgumentException.class, () -> w.write(1, new Packet(0, 1, new byte[1])));
    }

    @Test void tcpdumpReadsTheFileWithNanosecondTimestamps(@TempDir Path dir) throws Exception {
        assumeTrue(Frames.haveTcpdump(), "tcpdump not installed");
        List<Packet> packets = Frames.packets(Frames.zoo());
        Path f = Frames.write(dir.resolve("zoo.pcapng"), packets);
        List<String> lines = Frames.tcpdump("--nano", "-tt", "-nn", "-r", f.toString()).stream()
                .filter(l -> l.matches("^[0-9]+\\.[0-9]{9} .*")).toList();
        assertEquals(packets.size(), lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("1767323045.123456789 IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 1234, seq 1, length 64"), lines.get(0));
        assertTrue(lines.get(1).startsWith("1767323045.124456789 "), lines.get(1));
    }

    @Test void truncatedPacketsKeepTheirWireLength(@TempDir Path dir) throws Exception {
        assumeTrue(Frames.haveTcpdump(), "tcpdump not installed");
        byte[] full = Frames.zoo().get(0);
        Packet cut = new Packet(1_000_000_000L, full.length, Arrays.copyOf(full, 34));
        Path f = Frames.write(dir.resolve("cut.pcapng"), List.of(cut));
        List<String> lines = Frames.tcpdump("-nn", "-e", "-t", "-r", f.toString());
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).contains("length 98"), lines.get(0));
    }

    /** A file channel gets the same bytes as a stream, the packets' data written uncopied from native memory by gathering writes. */
    @Test void aChannelGetsTheStreamsBytesFromNativeMemory(@TempDir Path dir) throws Exception {
        List<Packet> packets = new java.util.ArrayList<>();
        for (int i = 0; i < 600; i++) packets.addAll(Frames.packets(Frames.zoo()));      // past one gathering write's 256
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (PcapngWriter w = new PcapngWriter(expected)) {
            int id = w.addInterface("veth0", LinkType.ETHERNET, 262144);
            for (Packet p : packets) w.write(id, p);
        }
        Path f = dir.resolve("channel.pcapng");
        try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined();
             PcapngWriter w = new PcapngWriter(java.nio.channels.FileChannel.open(f, java.nio.file.StandardOpenOption.CREATE,
                     java.nio.file.StandardOpenOption.WRITE))) {
            int id = w.addInterface("veth0", LinkType.ETHERNET, 262144);
            for (Packet p : packets) {
                java.lang.foreign.MemorySegment native_ = a.allocate(p.data().length);
                native_.copyFrom(java.lang.foreign.MemorySegment.ofArray(p.data()));
                w.write(id, p.epochNanos(), p.wireLength(), native_);
            }
            w.flush();
            assertThrows(IllegalArgumentException.class, () -> w.write(id, 0, 1, java.lang.foreign.MemorySegment.ofArray(new byte[2])));
        }
        assertArrayEquals(expected.toByteArray(), java.nio.file.Files.readAllBytes(f));
    }
}
