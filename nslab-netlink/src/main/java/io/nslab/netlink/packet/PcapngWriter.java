package io.nslab.netlink.packet;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes pcapng (draft-ietf-opsawg-pcapng): one section header block, one
 * interface description block per {@link #addInterface} (with {@code if_name}
 * and {@code if_tsresol} = 9, nanoseconds) and an enhanced packet block per
 * packet, little-endian. Every block is written whole with one
 * {@code write}, so a stream cut between two packets (Ctrl-C) is still a
 * valid file; {@link #flush} after each packet makes it readable live
 * ({@code nslab capture -w - | tcpdump -r -}).
 *
 * <pre>
 * SHB  0x0A0D0D0A | total len | 0x1A2B3C4D | major 1 | minor 0 | section len -1 (u64) | options | total len
 * IDB  0x00000001 | total len | link type u16 | reserved u16 | snaplen u32 | options | total len
 * EPB  0x00000006 | total len | interface id | ts high | ts low | captured len | original len | data (padded to 4) | total len
 * option: code u16 | length u16 | value padded to 4;  opt_endofopt = 0, 0
 * </pre>
 */
public final class PcapngWriter implements AutoCloseable {
    public static final int SHB = 0x0A0D0D0A, IDB = 1, EPB = 6, BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    public static final int OPT_ENDOFOPT = 0, SHB_USERAPPL = 4, IF_NAME = 2, IF_TSRESOL = 9;

    private final OutputStream out;
    private int interfaces;

    /** Writes the section header block at once. */
    public PcapngWriter(OutputStream out) throws IOException {
        this.out = out;
        byte[] appl = "nslab".getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = block(SHB, 16 + option(appl.length) + 4);
        b.putInt(BYTE_ORDER_MAGIC).putShort((short) 1).putShort((short) 0).putLong(-1L);
        putOption(b, SHB_USERAPPL, appl);
        b.putInt(0);
        write(b);
    }

    /** Describes an interface; returns its id for {@link #write(int, Packet)} (0, 1, ...). */
    public int addInterface(String name, LinkType linkType, int snaplen) throws IOException {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = block(IDB, 8 + option(n.length) + option(1) + 4);
        b.putShort((short) linkType.code()).putShort((short) 0).putInt(snaplen);
        putOption(b, IF_NAME, n);
        putOption(b, IF_TSRESOL, new byte[] {9});      // 10^-9 s
        b.putInt(0);
        write(b);
        return interfaces++;
    }

    /** An enhanced packet block on interface {@code id}, the timestamp in nanoseconds. */
    public void write(int id, Packet p) throws IOException {
        if (id < 0 || id >= interfaces) throw new IllegalArgumentException("no interface " + id + " described");
        byte[] d = p.data();
        ByteBuffer b = block(EPB, 20 + pad(d.length));
        b.putInt(id).putInt((int) (p.epochNanos() >>> 32)).putInt((int) p.epochNanos())
                .putInt(d.length).putInt(p.wireLength()).put(d);
        b.position(b.position() + pad(d.length) - d.length);
        write(b);
    }

    public void flush() throws IOException { out.flush(); }

    @Override public void close() throws IOException { out.close(); }

    private static int pad(int n) { return (n + 3) & ~3; }

    private static int option(int valueLength) { return 4 + pad(valueLength); }

    /** A block with its header written; body bytes are what follows the length up to the trailing length. */
    private static ByteBuffer block(int type, int body) {
        ByteBuffer b = ByteBuffer.allocate(12 + body).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(type).putInt(12 + body);
        return b;
    }

    private static void putOption(ByteBuffer b, int code, byte[] value) {
        b.putShort((short) code).putShort((short) value.length).put(value);
        b.position(b.position() + pad(value.length) - value.length);
    }

    private void write(ByteBuffer b) throws IOException {
        b.putInt(b.capacity());
        out.write(b.array());
    }
}
