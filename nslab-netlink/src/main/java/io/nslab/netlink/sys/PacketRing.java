package io.nslab.netlink.sys;

import io.nslab.netlink.ErrnoException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * An AF_PACKET socket with a TPACKET_V3 receive ring, bound to one interface
 * in the network namespace of the thread that opened it. The packet package's
 * {@code PacketCapture} is the API; this class is the FFM part only.
 *
 * <p>Order of the set-up matters: the socket is made with protocol 0 (it
 * receives nothing), gets its version, filter and ring, and only then is bound
 * to {@code ETH_P_ALL} on the interface, so no packet is queued unfiltered.
 *
 * <p>Layouts are those of {@code linux/if_packet.h} and {@code linux/filter.h}.
 */
public final class PacketRing implements AutoCloseable {
    public static final int SOL_PACKET = 263, SO_ATTACH_FILTER = 26;
    public static final int PACKET_RX_RING = 5, PACKET_STATISTICS = 6, PACKET_VERSION = 10;
    public static final int TPACKET_V3 = 2, ETH_P_ALL = 3;
    public static final int TP_STATUS_KERNEL = 0, TP_STATUS_USER = 1, TP_STATUS_VLAN_VALID = 1 << 4, TP_STATUS_VLAN_TPID_VALID = 1 << 6;
    /** ARPHRD_* values of sll_hatype. */
    public static final int ARPHRD_ETHER = 1, ARPHRD_LOOPBACK = 772, ARPHRD_NONE = 0xfffe;

    /** struct sockaddr_ll. */
    static final StructLayout SOCKADDR_LL = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sll_family"),
            JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN).withName("sll_protocol"),
            JAVA_INT.withName("sll_ifindex"),
            JAVA_SHORT.withName("sll_hatype"),
            JAVA_BYTE.withName("sll_pkttype"),
            JAVA_BYTE.withName("sll_halen"),
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sll_addr"));

    /** struct tpacket_req3. */
    static final StructLayout TPACKET_REQ3 = MemoryLayout.structLayout(
            JAVA_INT.withName("tp_block_size"),
            JAVA_INT.withName("tp_block_nr"),
            JAVA_INT.withName("tp_frame_size"),
            JAVA_INT.withName("tp_frame_nr"),
            JAVA_INT.withName("tp_retire_blk_tov"),
            JAVA_INT.withName("tp_sizeof_priv"),
            JAVA_INT.withName("tp_feature_req_word"));

    /** struct tpacket_bd_ts. */
    static final StructLayout TPACKET_BD_TS = MemoryLayout.structLayout(
            JAVA_INT.withName("ts_sec"), JAVA_INT.withName("ts_nsec"));

    /** struct tpacket_hdr_v1 (the only member of union tpacket_bd_header_u). */
    static final StructLayout TPACKET_HDR_V1 = MemoryLayout.structLayout(
            JAVA_INT.withName("block_status"),
            JAVA_INT.withName("num_pkts"),
            JAVA_INT.withName("offset_to_first_pkt"),
            JAVA_INT.withName("blk_len"),
            JAVA_LONG.withName("seq_num"),                     // __aligned_u64: offset 16 in the struct, no padding needed
            TPACKET_BD_TS.withName("ts_first_pkt"),
            TPACKET_BD_TS.withName("ts_last_pkt"));

    /** struct tpacket_block_desc. */
    static final StructLayout TPACKET_BLOCK_DESC = MemoryLayout.structLayout(
            JAVA_INT.withName("version"),
            JAVA_INT.withName("offset_to_priv"),
            TPACKET_HDR_V1.withName("hdr"));

    /** struct tpacket_hdr_variant1. */
    static final StructLayout TPACKET_HDR_VARIANT1 = MemoryLayout.structLayout(
            JAVA_INT.withName("tp_rxhash"),
            JAVA_INT.withName("tp_vlan_tci"),
            JAVA_SHORT.withName("tp_vlan_tpid"),
            JAVA_SHORT.withName("tp_padding"));

    /** struct tpacket3_hdr. */
    static final StructLayout TPACKET3_HDR = MemoryLayout.structLayout(
            JAVA_INT.withName("tp_next_offset"),
            JAVA_INT.withName("tp_sec"),
            JAVA_INT.withName("tp_nsec"),
            JAVA_INT.withName("tp_snaplen"),
            JAVA_INT.withName("tp_len"),
            JAVA_INT.withName("tp_status"),
            JAVA_SHORT.withName("tp_mac"),
            JAVA_SHORT.withName("tp_net"),
            TPACKET_HDR_VARIANT1.withName("hv1"),
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("tp_padding"));

    /** struct tpacket_stats_v3. */
    static final StructLayout TPACKET_STATS_V3 = MemoryLayout.structLayout(
            JAVA_INT.withName("tp_packets"), JAVA_INT.withName("tp_drops"), JAVA_INT.withName("tp_freeze_q_cnt"));

    /** struct sock_filter (linux/filter.h). */
    static final StructLayout SOCK_FILTER = MemoryLayout.structLayout(
            JAVA_SHORT.withName("code"), JAVA_BYTE.withName("jt"), JAVA_BYTE.withName("jf"), JAVA_INT.withName("k"));

    /** struct sock_fprog (linux/filter.h). */
    static final StructLayout SOCK_FPROG = MemoryLayout.structLayout(
            JAVA_SHORT.withName("len"), MemoryLayout.paddingLayout(6), ADDRESS.withName("filter"));

    private static long off(StructLayout l, String... path) {
        MemoryLayout.PathElement[] p = new MemoryLayout.PathElement[path.length];
        for (int i = 0; i < path.length; i++) p[i] = groupElement(path[i]);
        return l.byteOffset(p);
    }

    private static final long BD_STATUS = off(TPACKET_BLOCK_DESC, "hdr", "block_status");
    private static final long BD_NUM_PKTS = off(TPACKET_BLOCK_DESC, "hdr", "num_pkts");
    private static final long BD_FIRST = off(TPACKET_BLOCK_DESC, "hdr", "offset_to_first_pkt");
    private static final long H_NEXT = off(TPACKET3_HDR, "tp_next_offset");
    private static final long H_SEC = off(TPACKET3_HDR, "tp_sec");
    private static final long H_NSEC = off(TPACKET3_HDR, "tp_nsec");
    private static final long H_SNAPLEN = off(TPACKET3_HDR, "tp_snaplen");
    private static final long H_LEN = off(TPACKET3_HDR, "tp_len");
    private static final long H_STATUS = off(TPACKET3_HDR, "tp_status");
    private static final long H_MAC = off(TPACKET3_HDR, "tp_mac");
    private static final long H_VLAN_TCI = off(TPACKET3_HDR, "hv1", "tp_vlan_tci");
    private static final long H_VLAN_TPID = off(TPACKET3_HDR, "hv1", "tp_vlan_tpid");
    private static final VarHandle INT = JAVA_INT.varHandle();

    /**
     * One received frame: its timestamp, its length on the wire and the bytes
     * captured (at most the snap length). {@code data} is the frame in the ring
     * itself, not a copy: it is valid until the sink's {@link Sink#release()}
     * returns, when its block goes back to the kernel (a frame whose 802.1Q tag
     * had to be put back is a copy on the heap).
     */
    public record Frame(long seconds, int nanos, int wireLength, MemorySegment data) {}

    /** What to do with each frame; return false to stop taking more now. */
    @FunctionalInterface public interface Sink {
        boolean accept(Frame f) throws IOException;

        /**
         * Called before the frames handed over since the last call become
         * invalid (their block is given back to the kernel) and before
         * {@link #read} returns: a sink that keeps frames (e.g. for one
         * gathering write of a whole block) is done with them when this returns.
         */
        default void release() throws IOException {}
    }

    private final Fd fd;
    private final MemorySegment ring;
    private final int blockSize, blockCount, hatype;
    private int block;          // the block being read
    private int left = -1;      // packets left in it (-1: not started)
    private long at;            // offset of the next packet in the ring
    private long packets, drops;

    private PacketRing(Fd fd, MemorySegment ring, int blockSize, int blockCount, int hatype) {
        this.fd = fd;
        this.ring = ring;
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.hatype = hatype;
    }

    /**
     * Opens the socket on interface {@code ifindex} of this thread's namespace.
     *
     * @param filter classic BPF instructions, each packed by {@link #insn}; never empty
     *     (its accepting {@code ret} also sets the snap length)
     * @param blockSize ring block size, a multiple of the page size
     * @param blockTimeoutMillis how long the kernel holds a partly filled block back
     */
    public static PacketRing open(int ifindex, long[] filter, int blockSize, int blockCount, int blockTimeoutMillis) throws ErrnoException {
        if (filter.length == 0 || filter.length > 4096) throw new IllegalArgumentException("a filter has 1 to 4096 instructions");
        Fd fd = new Fd(LibC.socket(LibC.AF_PACKET, LibC.SOCK_RAW, 0));
        MemorySegment ring = null;
        try (Arena a = Arena.ofConfined()) {
            LibC.setsockopt(fd.get(), SOL_PACKET, PACKET_VERSION, a.allocateFrom(JAVA_INT, TPACKET_V3), "setsockopt(PACKET_VERSION)");

            MemorySegment insns = a.allocate(MemoryLayout.sequenceLayout(filter.length, SOCK_FILTER));
            for (int i = 0; i < filter.length; i++) {
                long base = i * SOCK_FILTER.byteSize(), v = filter[i];
                insns.set(JAVA_SHORT, base, (short) (v >>> 48));
                insns.set(JAVA_BYTE, base + 2, (byte) (v >>> 40));
                insns.set(JAVA_BYTE, base + 3, (byte) (v >>> 32));
                insns.set(JAVA_INT, base + 4, (int) v);
            }
            MemorySegment prog = a.allocate(SOCK_FPROG);
            prog.set(JAVA_SHORT, off(SOCK_FPROG, "len"), (short) filter.length);
            prog.set(ADDRESS, off(SOCK_FPROG, "filter"), insns);
            LibC.setsockopt(fd.get(), LibC.SOL_SOCKET, SO_ATTACH_FILTER, prog, "setsockopt(SO_ATTACH_FILTER)");

            int frameSize = 2048;
            MemorySegment req = a.allocate(TPACKET_REQ3);
            req.set(JAVA_INT, off(TPACKET_REQ3, "tp_block_size"), blockSize);
            req.set(JAVA_INT, off(TPACKET_REQ3, "tp_block_nr"), blockCount);
            req.set(JAVA_INT, off(TPACKET_REQ3, "tp_frame_size"), frameSize);
            req.set(JAVA_INT, off(TPACKET_REQ3, "tp_frame_nr"), blockSize / frameSize * blockCount);
            req.set(JAVA_INT, off(TPACKET_REQ3, "tp_retire_blk_tov"), blockTimeoutMillis);
            LibC.setsockopt(fd.get(), SOL_PACKET, PACKET_RX_RING, req, "setsockopt(PACKET_RX_RING)");
            ring = LibC.mmap(fd.get(), (long) blockSize * blockCount, "mmap(PACKET_RX_RING)");

            MemorySegment sll = a.allocate(SOCKADDR_LL);
            sll.set(JAVA_SHORT, off(SOCKADDR_LL, "sll_family"), (short) LibC.AF_PACKET);
            sll.set(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), off(SOCKADDR_LL, "sll_protocol"), (short) ETH_P_ALL);
            sll.set(JAVA_INT, off(SOCKADDR_LL, "sll_ifindex"), ifindex);
            LibC.bind(fd.get(), sll);
            MemorySegment me = a.allocate(SOCKADDR_LL);
            LibC.getsockname(fd.get(), me);
            int hatype = Short.toUnsignedInt(me.get(JAVA_SHORT, off(SOCKADDR_LL, "sll_hatype")));
            return new PacketRing(fd, ring, blockSize, blockCount, hatype);
        } catch (ErrnoException | RuntimeException e) {
            if (ring != null) try { LibC.munmap(ring); } catch (ErrnoException ignored) { /* closing anyway */ }
            fd.close();
            throw e;
        }
    }

    /** One classic BPF instruction packed for {@link #open}. */
    public static long insn(int code, int jt, int jf, int k) {
        return ((long) (code & 0xffff) << 48) | ((long) (jt & 0xff) << 40) | ((long) (jf & 0xff) << 32) | (k & 0xffffffffL);
    }

    /** The interface's ARPHRD_* type (sll_hatype). */
    public int hatype() { return hatype; }

    /**
     * Hands the frames the kernel has ready to {@code sink}, waiting up to
     * {@code timeoutMillis} for the first; returns how many were handed over.
     */
    public int read(int timeoutMillis, Sink sink) throws ErrnoException, IOException {
        if (!ready() && !(LibC.pollIn(fd.get(), timeoutMillis) && ready())) return 0;
        // whole blocks at a time: every frame of a block to the sink, then the block back at once
        int n = 0;
        while (ready()) {
            long base = (long) block * blockSize;
            if (left < 0) {
                left = ring.get(JAVA_INT, base + BD_NUM_PKTS);
                at = base + Integer.toUnsignedLong(ring.get(JAVA_INT, base + BD_FIRST));
            }
            while (left > 0) {
                Frame f = frame(at);
                at += Integer.toUnsignedLong(ring.get(JAVA_INT, at + H_NEXT));
                left--;
                n++;
                if (!sink.accept(f)) {
                    sink.release();
                    if (left == 0) release(base);
                    return n;
                }
            }
            sink.release();
            release(base);
        }
        return n;
    }

    private boolean ready() {
        long base = (long) block * blockSize;
        return ((int) INT.getAcquire(ring, base + BD_STATUS) & TP_STATUS_USER) != 0;
    }

    private void release(long base) {
        INT.setRelease(ring, base + BD_STATUS, TP_STATUS_KERNEL);
        block = (block + 1) % blockCount;
        left = -1;
    }

    private Frame frame(long h) {
        int snap = ring.get(JAVA_INT, h + H_SNAPLEN);
        int len = ring.get(JAVA_INT, h + H_LEN);
        int status = ring.get(JAVA_INT, h + H_STATUS);
        long mac = h + Short.toUnsignedInt(ring.get(JAVA_SHORT, h + H_MAC));
        MemorySegment data;
        boolean ether = hatype == ARPHRD_ETHER || hatype == ARPHRD_LOOPBACK;
        if (ether && (status & TP_STATUS_VLAN_VALID) != 0 && snap >= 12) {
            // the kernel took the 802.1Q tag off (VLAN offload); put it back as libpcap does
            int tci = ring.get(JAVA_INT, h + H_VLAN_TCI) & 0xffff;
            int tpid = (status & TP_STATUS_VLAN_TPID_VALID) != 0 ? Short.toUnsignedInt(ring.get(JAVA_SHORT, h + H_VLAN_TPID)) : 0x8100;
            byte[] d = new byte[snap + 4];
            MemorySegment.copy(ring, JAVA_BYTE, mac, d, 0, 12);
            d[12] = (byte) (tpid >> 8); d[13] = (byte) tpid; d[14] = (byte) (tci >> 8); d[15] = (byte) tci;
            MemorySegment.copy(ring, JAVA_BYTE, mac + 12, d, 16, snap - 12);
            data = MemorySegment.ofArray(d);
            len += 4;
        } else {
            data = ring.asSlice(mac, snap);     // no copy: the sink reads the ring
        }
        return new Frame(Integer.toUnsignedLong(ring.get(JAVA_INT, h + H_SEC)), ring.get(JAVA_INT, h + H_NSEC), len, data);
    }

    /**
     * The kernel's counts since the socket was opened: {@code [received, dropped]}
     * (received counts drops too, as tcpdump's "received by filter" does).
     * The kernel resets its counters on each read; they are summed here.
     */
    public long[] statistics() throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(TPACKET_STATS_V3);
            LibC.getsockopt(fd.get(), SOL_PACKET, PACKET_STATISTICS, st, "getsockopt(PACKET_STATISTICS)");
            packets += Integer.toUnsignedLong(st.get(JAVA_INT, off(TPACKET_STATS_V3, "tp_packets")));
            drops += Integer.toUnsignedLong(st.get(JAVA_INT, off(TPACKET_STATS_V3, "tp_drops")));
            return new long[] {packets, drops};
        }
    }

    @Override public void close() {
        try { LibC.munmap(ring); } catch (ErrnoException ignored) { /* the fd goes anyway */ }
        fd.close();
    }
}
