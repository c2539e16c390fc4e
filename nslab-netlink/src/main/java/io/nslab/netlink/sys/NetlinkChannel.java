package io.nslab.netlink.sys;

import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A raw AF_NETLINK socket: bytes in, datagrams out. Sequence numbers, ACKs and
 * dumps are the caller's business. Bound to the network namespace of the
 * thread that opened it. Not thread-safe.
 */
public final class NetlinkChannel implements AutoCloseable {
    /** struct sockaddr_nl. */
    public static final StructLayout SOCKADDR_NL = MemoryLayout.structLayout(
            JAVA_SHORT.withName("nl_family"), JAVA_SHORT.withName("nl_pad"),
            JAVA_INT.withName("nl_pid"), JAVA_INT.withName("nl_groups"));
    private static final VarHandle NL_FAMILY = SOCKADDR_NL.varHandle(PathElement.groupElement("nl_family"));
    private static final VarHandle NL_PID = SOCKADDR_NL.varHandle(PathElement.groupElement("nl_pid"));
    private static final VarHandle NL_GROUPS = SOCKADDR_NL.varHandle(PathElement.groupElement("nl_groups"));
    private static final VarHandle TV_SEC = LibC.TIMEVAL.varHandle(PathElement.groupElement("tv_sec"));
    private static final VarHandle TV_USEC = LibC.TIMEVAL.varHandle(PathElement.groupElement("tv_usec"));

    /**
     * First receive buffer: the kernel sizes dump datagrams to what the reader
     * asks for, capped at 32 KiB, and other replies hold one message, so 64 KiB
     * holds them; a larger datagram grows it (see {@link #receive}). A fixed
     * 1 MiB buffer cost ~0.4 ms per socket (and native memory piling up until
     * GC), which a batch opening a socket per namespace pays a thousand times.
     */
    public static final int DEFAULT_RECEIVE_BUFFER = 64 * 1024;
    private static final int FIRST_SEND_BUFFER = 16 * 1024;

    // the buffers of closed channels, reused (BufferPool says why): as many as were ever open at once, up to
    // 2,048 (a run keeps at most 1,024 namespaces open, each with a socket)
    private static final BufferPool SEND_BUFFERS = new BufferPool(FIRST_SEND_BUFFER, 2048);
    private static final BufferPool RECEIVE_BUFFERS = new BufferPool(DEFAULT_RECEIVE_BUFFER, 2048);

    private final Fd fd;
    private final int pid;
    // An automatic arena for grown buffers: closing a shared one stops every JVM
    // thread for a handshake (~0.3 ms each), which a batch opening 1000 sockets pays 1000 times.
    private final Arena arena = Arena.ofAuto();
    private MemorySegment sendBuf;
    private MemorySegment recvBuf;
    // 1 for the open channel plus one per send/receive under way: the buffers go back to the pools only
    // when close and the last call under way are both done (a monitor is closed by another thread)
    private final AtomicInteger holds = new AtomicInteger(1);
    private final AtomicBoolean closed = new AtomicBoolean();

    private NetlinkChannel(Fd fd, int pid, int receiveBuffer) {
        this.fd = fd;
        this.pid = pid;
        this.sendBuf = SEND_BUFFERS.take();
        this.recvBuf = receiveBuffer == RECEIVE_BUFFERS.size() ? RECEIVE_BUFFERS.take() : arena.allocate(receiveBuffer);
    }

    private void hold() {
        for (int h = holds.get(); ; h = holds.get()) {
            if (h == 0) throw new IllegalStateException("netlink channel " + fd + " is closed");
            if (holds.compareAndSet(h, h + 1)) return;
        }
    }

    private void release() {
        if (holds.decrementAndGet() == 0) {
            SEND_BUFFERS.give(sendBuf);
            RECEIVE_BUFFERS.give(recvBuf);
            sendBuf = recvBuf = MemorySegment.NULL;
        }
    }

    /** Opens and binds a netlink socket of {@code protocol} (NETLINK_ROUTE = 0). */
    public static NetlinkChannel open(int protocol, int groups) throws ErrnoException {
        return open(protocol, groups, DEFAULT_RECEIVE_BUFFER);
    }

    /** As {@link #open(int, int)}, with a first user-space receive buffer of {@code receiveBuffer} bytes. */
    public static NetlinkChannel open(int protocol, int groups, int receiveBuffer) throws ErrnoException {
        if (receiveBuffer < 64) throw new IllegalArgumentException("receive buffer of " + receiveBuffer + " bytes");
        Fd fd = new Fd(LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW, protocol));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sa = a.allocate(SOCKADDR_NL);
            NL_FAMILY.set(sa, 0L, (short) LibC.AF_NETLINK);
            NL_GROUPS.set(sa, 0L, groups);
            LibC.bind(fd.get(), sa);
            LibC.getsockname(fd.get(), sa);
            return new NetlinkChannel(fd, (int) NL_PID.get(sa, 0L), receiveBuffer);
        } catch (ErrnoException | RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /** The port id the kernel assigned. */
    public int pid() { return pid; }
    public int fd() { return fd.get(); }

    public void setOption(int level, int name, int value) throws ErrnoException {
        LibC.setsockopt(fd.get(), level, name, value);
    }

    /** Sets a socket buffer size, beyond rmem_max/wmem_max when privileged. */
    public void setBuffer(boolean receive, int bytes) throws ErrnoException {
        try {
            LibC.setsockopt(fd.get(), LibC.SOL_SOCKET, receive ? LibC.SO_RCVBUFFORCE : LibC.SO_SNDBUFFORCE, bytes);
        } catch (ErrnoException e) {
            LibC.setsockopt(fd.get(), LibC.SOL_SOCKET, receive ? LibC.SO_RCVBUF : LibC.SO_SNDBUF, bytes);
        }
    }

    public void setReceiveTimeout(long millis) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment tv = a.allocate(LibC.TIMEVAL);
            TV_SEC.set(tv, 0L, millis / 1000);
            TV_USEC.set(tv, 0L, (millis % 1000) * 1000);
            LibC.setsockopt(fd.get(), LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, tv);
        }
    }

    /** Sends {@code len} bytes of {@code data} as one datagram. */
    public void send(byte[] data, int off, int len) throws ErrnoException {
        hold();
        try {
            if (sendBuf.byteSize() < len) sendBuf = arena.allocate(Math.max(len, sendBuf.byteSize() * 2));
            MemorySegment.copy(data, off, sendBuf, JAVA_BYTE, 0, len);
            long n = LibC.send(fd.get(), sendBuf, len, 0);
            if (n != len) throw new ErrnoException("sendmsg(short write " + n + "/" + len + ")", Errno.EIO);
        } finally {
            release();
        }
    }

    /**
     * Receives one datagram; empty on timeout (SO_RCVTIMEO) or, with
     * {@code dontWait}, when nothing is queued. A datagram larger than the
     * buffer is lost (netlink drops the rest): the buffer is grown to hold it
     * and {@link Errno#EMSGSIZE} thrown, so the caller can ask again.
     */
    public Optional<byte[]> receive(boolean dontWait) throws ErrnoException {
        hold();
        try {
            long n = LibC.recv(fd.get(), recvBuf, recvBuf.byteSize(), LibC.MSG_TRUNC | (dontWait ? LibC.MSG_DONTWAIT : 0));
            if (n < 0) return Optional.empty();
            if (n > recvBuf.byteSize()) {
                recvBuf = arena.allocate(Math.max(n, recvBuf.byteSize() * 2));
                throw new ErrnoException("recvmsg(datagram of " + n + " bytes truncated; buffer grown)", Errno.EMSGSIZE);
            }
            return Optional.of(recvBuf.asSlice(0, n).toArray(JAVA_BYTE));
        } finally {
            release();
        }
    }

    /** The current user-space receive buffer size in bytes. */
    public long receiveBufferSize() { return recvBuf.byteSize(); }

    /** Waits up to {@code millis} for a datagram; false on timeout. */
    public boolean awaitReadable(int millis) throws ErrnoException {
        return LibC.pollIn(fd.get(), millis);
    }

    @Override public void close() {
        fd.close();
        if (closed.compareAndSet(false, true)) release();
    }
}
