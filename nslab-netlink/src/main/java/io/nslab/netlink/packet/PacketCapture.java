package io.nslab.netlink.packet;

import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.sys.Fd;
import io.nslab.netlink.sys.LibC;
import io.nslab.netlink.sys.PacketRing;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.BooleanSupplier;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A capture on one interface: an AF_PACKET socket with a TPACKET_V3 ring,
 * opened in the network namespace of the calling thread (open it on a thread
 * inside the namespace, e.g. {@code ns.call(() -> PacketCapture.open(...))};
 * it stays bound to that namespace and can then be read from any one thread).
 * The filter runs in the kernel: packets it rejects are never copied.
 *
 * <pre>{@code
 * BpfProgram f = BpfCompiler.compile("icmp or tcp port 8080", 262144);
 * try (PacketCapture c = PacketCapture.open("veth0", f);
 *      PcapngWriter w = new PcapngWriter(Files.newOutputStream(path))) {
 *     int id = w.addInterface("veth0", c.linkType(), c.snaplen());
 *     c.capture(10, Duration.ofSeconds(5), () -> false, p -> w.write(id, p));
 *     CaptureStats st = c.stats();
 * }
 * }</pre>
 */
public final class PacketCapture implements AutoCloseable {
    /** Receives packets; may throw I/O errors (a closed pipe), which end the capture. */
    @FunctionalInterface public interface Sink { void accept(Packet p) throws IOException; }

    /**
     * Receives packets without a copy: {@code data} is the packet in the kernel's
     * ring, valid until the next {@link #release()} returns (then its block goes
     * back to the kernel). What a fast writer uses: {@link PcapngWriter#write(int, long, int, MemorySegment)}
     * queues the bytes and writes a whole block with one gathering write on {@code release}.
     */
    public interface FrameSink {
        void accept(long epochNanos, int wireLength, MemorySegment data) throws IOException;

        /** Done with every packet handed over so far. */
        void release() throws IOException;
    }

    public static final int DEFAULT_SNAPLEN = 262144;
    private static final int BLOCK_SIZE = 1 << 20, BLOCKS = 8, BLOCK_TIMEOUT_MS = 20, POLL_MS = 50;

    private final PacketRing ring;
    private final String name;
    private final int snaplen;

    private PacketCapture(PacketRing ring, String name, int snaplen) {
        this.ring = ring;
        this.name = name;
        this.snaplen = snaplen;
    }

    /**
     * Opens a capture on interface {@code name} of this thread's namespace.
     *
     * @param filter the filter (its accepting {@code ret} is the snap length);
     *     {@link BpfProgram#acceptAll(int)} for everything
     * @throws ErrnoException ENODEV when there is no such interface, EPERM without CAP_NET_RAW
     */
    public static PacketCapture open(String name, BpfProgram filter) throws ErrnoException {
        OptionalInt index;
        Fd probe = new Fd(LibC.socket(LibC.AF_INET, LibC.SOCK_DGRAM, 0));
        try {
            index = LibC.ifIndex(probe.get(), name);
        } finally {
            probe.close();
        }
        if (index.isEmpty()) throw new ErrnoException("capture " + name, Errno.ENODEV);
        return open(index.getAsInt(), name, filter);
    }

    /** Opens a capture on interface {@code ifindex}; {@code name} is what the pcapng file will call it. */
    public static PacketCapture open(int ifindex, String name, BpfProgram filter) throws ErrnoException {
        long[] insns = new long[filter.size()];
        int snap = 0;
        for (int i = 0; i < insns.length; i++) {
            BpfProgram.Insn n = filter.instructions().get(i);
            insns[i] = PacketRing.insn(n.code(), n.jt(), n.jf(), n.k());
            if (n.code() == (BpfProgram.RET | BpfProgram.K)) snap = Math.max(snap, n.k());
        }
        return new PacketCapture(PacketRing.open(ifindex, insns, BLOCK_SIZE, BLOCKS, BLOCK_TIMEOUT_MS), name, snap);
    }

    /** The interface's name as given to {@link #open}. */
    public String name() { return name; }

    /** The largest number of bytes kept of a packet (the filter's accepting return value). */
    public int snaplen() { return snaplen; }

    /** The link type of the frames (Ethernet for veth/bridge/tap/lo, raw IP for tun). */
    public LinkType linkType() {
        return switch (ring.hatype()) {
            case PacketRing.ARPHRD_NONE -> LinkType.RAW;
            default -> LinkType.ETHERNET;
        };
    }

    /**
     * Reads the packets ready now, waiting up to {@code timeout} for the first;
     * at most {@code max} of them.
     */
    public List<Packet> poll(Duration timeout, int max) throws ErrnoException, IOException {
        List<Packet> out = new ArrayList<>();
        ring.read((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()), f -> {
            out.add(packet(f));
            return out.size() < max;
        });
        return out;
    }

    /**
     * Captures until {@code count} packets were taken (0: no limit), {@code timeout}
     * passed ({@link Duration#ZERO}: none) or {@code stop} says so (checked at
     * least every 50 ms); returns the number of packets given to {@code sink}.
     */
    public long capture(long count, Duration timeout, BooleanSupplier stop, Sink sink) throws ErrnoException, IOException {
        long deadline = timeout.isZero() ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        long[] n = {0};
        while (!stop.getAsBoolean() && (count == 0 || n[0] < count)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) break;
            int wait = (int) Math.min(POLL_MS, Math.max(1, left / 1_000_000L));
            ring.read(wait, f -> {
                sink.accept(packet(f));
                n[0]++;
                return count == 0 || n[0] < count;
            });
        }
        return n[0];
    }

    /**
     * As {@link #capture(long, Duration, BooleanSupplier, Sink)}, handing each packet
     * over in place in the ring (see {@link FrameSink}).
     */
    public long capture(long count, Duration timeout, BooleanSupplier stop, FrameSink sink) throws ErrnoException, IOException {
        long deadline = timeout.isZero() ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        long[] n = {0};
        PacketRing.Sink frames = new PacketRing.Sink() {
            @Override public boolean accept(PacketRing.Frame f) throws IOException {
                sink.accept(nanos(f), f.wireLength(), f.data());
                n[0]++;
                return count == 0 || n[0] < count;
            }

            @Override public void release() throws IOException { sink.release(); }
        };
        while (!stop.getAsBoolean() && (count == 0 || n[0] < count)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) break;
            ring.read((int) Math.min(POLL_MS, Math.max(1, left / 1_000_000L)), frames);
        }
        return n[0];
    }

    private static long nanos(PacketRing.Frame f) { return f.seconds() * 1_000_000_000L + f.nanos(); }

    private static Packet packet(PacketRing.Frame f) {
        return new Packet(nanos(f), f.wireLength(), f.data().toArray(JAVA_BYTE));
    }

    /** The kernel's counts so far (PACKET_STATISTICS). */
    public CaptureStats stats() throws ErrnoException {
        long[] s = ring.statistics();
        return new CaptureStats(s[0], s[1]);
    }

    @Override public void close() { ring.close(); }
}
