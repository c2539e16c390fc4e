package io.nslab.netlink.sys;

import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * An ICMP (or ICMPv6) socket in the network namespace of the thread that
 * opened it, for echo probes without spawning {@code ping}.
 *
 * <p>It is a "ping socket" ({@code SOCK_DGRAM}, {@code IPPROTO_ICMP}) when
 * the namespace's {@code net.ipv4.ping_group_range} admits the caller, else a
 * raw socket (needs CAP_NET_RAW). The two differ in what the kernel does for
 * us: a ping socket owns the echo identifier (it rewrites it and delivers only
 * our replies, without IP header); a raw IPv4 socket delivers every ICMP
 * packet of the namespace with its IP header, so the caller must filter.
 * Callers see that through {@link #raw()} and {@link Datagram#payload()}
 * (always starting at the ICMP header: the IPv4 header is stripped here).
 */
public final class IcmpSocket implements AutoCloseable {
    private static final int IPPROTO_ICMP = 1, IPPROTO_ICMPV6 = 58;

    /** struct sockaddr_in. */
    private static final StructLayout SOCKADDR_IN = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sin_family"),
            JAVA_SHORT.withName("sin_port"),
            MemoryLayout.sequenceLayout(4, JAVA_BYTE).withName("sin_addr"),
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sin_zero"));

    /** struct sockaddr_in6. */
    private static final StructLayout SOCKADDR_IN6 = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sin6_family"),
            JAVA_SHORT.withName("sin6_port"),
            JAVA_INT.withName("sin6_flowinfo"),
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("sin6_addr"),
            JAVA_INT.withName("sin6_scope_id"));

    private static final long IN_ADDR = SOCKADDR_IN.byteOffset(MemoryLayout.PathElement.groupElement("sin_addr"));
    private static final long IN6_ADDR = SOCKADDR_IN6.byteOffset(MemoryLayout.PathElement.groupElement("sin6_addr"));
    private static final long IN6_SCOPE = SOCKADDR_IN6.byteOffset(MemoryLayout.PathElement.groupElement("sin6_scope_id"));

    /** One received packet: its ICMP message (header first) and who sent it. */
    public record Datagram(byte[] payload, InetAddress from) {}

    private final Fd fd;
    private final boolean v6;
    private final boolean raw;

    private IcmpSocket(Fd fd, boolean v6, boolean raw) {
        this.fd = fd;
        this.v6 = v6;
        this.raw = raw;
    }

    /**
     * Opens an ICMP socket for {@code v6 ? ICMPv6 : ICMP}: a ping socket if
     * allowed, else a raw one.
     *
     * @throws ErrnoException if neither is allowed (not root, and the group is
     *     outside {@code ping_group_range})
     */
    public static IcmpSocket open(boolean v6) throws ErrnoException {
        int family = v6 ? LibC.AF_INET6 : LibC.AF_INET;
        int proto = v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
        try {
            return new IcmpSocket(new Fd(LibC.socket(family, LibC.SOCK_DGRAM, proto)), v6, false);
        } catch (ErrnoException e) {
            if (!e.is(Errno.EACCES) && !e.is(Errno.EPERM)) throw e;
        }
        return new IcmpSocket(new Fd(LibC.socket(family, LibC.SOCK_RAW, proto)), v6, true);
    }

    /** Opens a raw ICMP socket (CAP_NET_RAW needed). */
    public static IcmpSocket openRaw(boolean v6) throws ErrnoException {
        int family = v6 ? LibC.AF_INET6 : LibC.AF_INET;
        return new IcmpSocket(new Fd(LibC.socket(family, LibC.SOCK_RAW, v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP)), v6, true);
    }

    /** True for a raw socket: it sees every ICMP packet of the namespace and the identifier is ours to choose. */
    public boolean raw() { return raw; }

    public boolean v6() { return v6; }

    /** Sends one ICMP message (header first; the kernel fills the checksum of ICMPv6 and of ping sockets). */
    public void send(byte[] icmp, InetAddress to) throws ErrnoException {
        if ((to instanceof Inet6Address) != v6) throw new IllegalArgumentException("address family of " + to + " differs from the socket's");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocateFrom(JAVA_BYTE, icmp);
            LibC.sendto(fd.get(), buf, icmp.length, 0, sockaddr(a, to));
        }
    }

    /** Waits up to {@code timeoutMillis} for one packet; empty on timeout. */
    public Optional<Datagram> receive(int timeoutMillis) throws ErrnoException {
        if (!LibC.pollIn(fd.get(), timeoutMillis)) return Optional.empty();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(65536);
            MemorySegment from = a.allocate(v6 ? SOCKADDR_IN6 : SOCKADDR_IN);
            long n = recvfrom(fd.get(), buf, from);
            if (n < 0) return Optional.empty();
            byte[] bytes = buf.asSlice(0, n).toArray(JAVA_BYTE);
            if (raw && !v6 && bytes.length > 0) {
                int ihl = (bytes[0] & 0x0f) * 4;          // raw IPv4 delivers the IP header too
                bytes = Arrays.copyOfRange(bytes, Math.min(ihl, bytes.length), bytes.length);
            }
            return Optional.of(new Datagram(bytes, address(from)));
        }
    }

    /** The local identifier a ping socket uses (its "port"); empty for raw sockets. */
    public Optional<Integer> pingId() throws ErrnoException {
        if (raw) return Optional.empty();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sa = a.allocate(v6 ? SOCKADDR_IN6 : SOCKADDR_IN);
            LibC.getsockname(fd.get(), sa);
            return Optional.of(Short.toUnsignedInt(sa.get(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2)));
        }
    }

    // LibC.recvfrom cannot be called with an address (its invokeExact passes the
    // address length as Object), and LibC is shared: this class has its own.
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle RECVFROM = LINKER.downcallHandle(
            LINKER.defaultLookup().find("recvfrom").orElseThrow(() -> new UnsatisfiedLinkError("recvfrom")),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                    JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS),
            Linker.Option.captureCallState("errno"));

    /** recvfrom(2) without blocking; -1 on EAGAIN, EINTR retried. */
    private static long recvfrom(int fd, MemorySegment buf, MemorySegment from) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = a.allocate(CAPTURE);
            MemorySegment alen = a.allocateFrom(JAVA_INT, (int) from.byteSize());
            for (;;) {
                long r = (long) RECVFROM.invokeExact(c, fd, buf, buf.byteSize(), LibC.MSG_DONTWAIT, from, alen);
                if (r >= 0) return r;
                int e = (int) ERRNO.get(c, 0L);
                if (e == Errno.EAGAIN) return -1;
                if (e != Errno.EINTR) throw new ErrnoException("recvfrom", e);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private MemorySegment sockaddr(Arena a, InetAddress to) {
        if (to instanceof Inet4Address) {
            MemorySegment sa = a.allocate(SOCKADDR_IN);
            sa.set(JAVA_SHORT, 0, (short) LibC.AF_INET);
            MemorySegment.copy(to.getAddress(), 0, sa, JAVA_BYTE, IN_ADDR, 4);
            return sa;
        }
        MemorySegment sa = a.allocate(SOCKADDR_IN6);
        sa.set(JAVA_SHORT, 0, (short) LibC.AF_INET6);
        MemorySegment.copy(to.getAddress(), 0, sa, JAVA_BYTE, IN6_ADDR, 16);
        sa.set(JAVA_INT, IN6_SCOPE, ((Inet6Address) to).getScopeId());
        return sa;
    }

    private InetAddress address(MemorySegment sa) {
        try {
            if (!v6) return InetAddress.getByAddress(sa.asSlice(IN_ADDR, 4).toArray(ValueLayout.JAVA_BYTE));
            return InetAddress.getByAddress(sa.asSlice(IN6_ADDR, 16).toArray(ValueLayout.JAVA_BYTE));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // impossible: the length is right
        }
    }

    @Override public void close() { fd.close(); }
}
