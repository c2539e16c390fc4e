package io.nslab.netlink.packet;

import io.nslab.netlink.sys.DirectFile;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.GatheringByteChannel;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Writes pcapng (draft-ietf-opsawg-pcapng): one section header block, one
 * interface description block per {@link #addInterface} (with {@code if_name}
 * and {@code if_tsresol} = 9, nanoseconds) and an enhanced packet block per
 * packet, little-endian. To a stream, every block is written whole with one
 * {@code write}, so a stream cut between two packets (Ctrl-C) is still a
 * valid file; {@link #flush} after each packet makes it readable live
 * ({@code nslab capture -w - | tcpdump -r -}). To a channel (a file), packets
 * are written from where they are (the capture ring), a batch of them with one
 * gathering write: no copy in Java at all, as tcpdump's own writes.
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
    /** EPB bytes before the packet's data, and at most after it (padding and the trailing length). */
    private static final int EPB_HEAD = 28, EPB_TAIL = 8;
    /** Packets per gathering write: 3 buffers each, under the kernel's IOV_MAX of 1024. */
    private static final int QUEUE = 256;

    private final OutputStream out;                 // exactly one of out and channel
    private final GatheringByteChannel channel;
    private int interfaces;
    private byte[] scratch = new byte[0];           // stream: one block, reused

    // channel: the queued packets' EPB heads and tails (in one direct buffer) and data, as iovecs
    private final ByteBuffer[] iov, heads, tails;
    private int queued;

    /**
     * A new (or truncated) capture file for {@link #PcapngWriter(GatheringByteChannel)}, written past
     * the page cache where the filesystem allows it (O_DIRECT): what a fast capture spends most of
     * its CPU on otherwise. A slow capture's packets still reach the file within about 100 ms.
     * Errors are the {@code java.nio.file} exceptions naming the file.
     */
    public static GatheringByteChannel file(Path path) throws IOException {
        return DirectFile.create(path);
    }

    /** Writes to a stream, each block with one {@code write}; the section header block at once. */
    public PcapngWriter(OutputStream out) throws IOException {
        this.out = Objects.requireNonNull(out);
        this.channel = null;
        this.iov = this.heads = this.tails = null;
        header();
    }

    /**
     * Writes to a channel (a {@code FileChannel}): packets given as
     * {@link MemorySegment}s are not copied, but queued and written by
     * gathering writes ({@code writev}) of up to 256 packets, on {@link #flush}
     * at the latest. The section header block at once.
     */
    public PcapngWriter(GatheringByteChannel channel) throws IOException {
        this.out = null;
        this.channel = Objects.requireNonNull(channel);
        this.iov = new ByteBuffer[3 * QUEUE];
        this.heads = new ByteBuffer[QUEUE];
        this.tails = new ByteBuffer[QUEUE];
        ByteBuffer meta = ByteBuffer.allocateDirect(QUEUE * (EPB_HEAD + EPB_TAIL));
        for (int i = 0; i < QUEUE; i++) {
            heads[i] = meta.slice(i * (EPB_HEAD + EPB_TAIL), EPB_HEAD).order(ByteOrder.LITTLE_ENDIAN);
            tails[i] = meta.slice(i * (EPB_HEAD + EPB_TAIL) + EPB_HEAD, EPB_TAIL).order(ByteOrder.LITTLE_ENDIAN);
        }
        header();
    }

    private void header() throws IOException {
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
        write(id, p.epochNanos(), p.wireLength(), MemorySegment.ofArray(p.data()));
    }

    /**
     * An enhanced packet block on interface {@code id}: {@code data} captured
     * of a packet {@code wireLength} bytes long, seen at {@code epochNanos}.
     * Written to a stream at once; to a channel, {@code data} is queued
     * uncopied and must stay valid until the next {@link #flush()} (or this
     * writer's next 256th packet) returns.
     */
    public void write(int id, long epochNanos, int wireLength, MemorySegment data) throws IOException {
        if (id < 0 || id >= interfaces) throw new IllegalArgumentException("no interface " + id + " described");
        if (data.byteSize() > wireLength) throw new IllegalArgumentException("wire length " + wireLength + " < captured " + data.byteSize());
        int len = (int) data.byteSize(), total = 12 + 20 + pad(len);
        if (channel == null) {
            if (scratch.length < total) scratch = new byte[Math.max(total, 2 * scratch.length)];
            ByteBuffer b = ByteBuffer.wrap(scratch, 0, total).order(ByteOrder.LITTLE_ENDIAN);
            epbHead(b, id, epochNanos, len, wireLength, total);
            MemorySegment.copy(data, JAVA_BYTE, 0, scratch, EPB_HEAD, len);
            Arrays.fill(scratch, EPB_HEAD + len, EPB_HEAD + pad(len), (byte) 0);     // the last block's bytes otherwise
            b.position(EPB_HEAD + pad(len));
            b.putInt(total);
            out.write(scratch, 0, total);
            return;
        }
        if (queued == QUEUE) writeQueued();
        ByteBuffer h = heads[queued].clear(), t = tails[queued].clear();
        epbHead(h, id, epochNanos, len, wireLength, total);
        for (int i = len; i < pad(len); i++) t.put((byte) 0);
        t.putInt(total);
        iov[3 * queued] = h.flip();
        iov[3 * queued + 1] = data.asByteBuffer();
        iov[3 * queued + 2] = t.flip();
        queued++;
    }

    private static void epbHead(ByteBuffer b, int id, long epochNanos, int len, int wireLength, int total) {
        b.putInt(EPB).putInt(total).putInt(id).putInt((int) (epochNanos >>> 32)).putInt((int) epochNanos)
                .putInt(len).putInt(wireLength);
    }

    /** Writes what is queued (a channel) or flushes the stream. */
    public void flush() throws IOException {
        if (channel != null) writeQueued();
        else out.flush();
    }

    @Override public void close() throws IOException {
        if (channel == null) {
            out.close();
            return;
        }
        try {
            writeQueued();
        } finally {
            channel.close();
        }
    }

    private void writeQueued() throws IOException {
        int from = 0, to = 3 * queued;
        try {
            while (from < to) {
                channel.write(iov, from, to - from);
                while (from < to && !iov[from].hasRemaining()) from++;
            }
        } finally {
            // written or failed (a full disk): never retried, so nothing later reads a ring block given back
            Arrays.fill(iov, 0, to, null);
            queued = 0;
        }
    }

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
        if (channel == null) {
            out.write(b.array());
            return;
        }
        writeQueued();
        b.flip();
        while (b.hasRemaining()) channel.write(b);
    }
}
