package io.nslab.netlink.sys;

import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalInt;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The C library calls nslab needs, wrapped once: each returns a Java value or
 * throws {@link ErrnoException}. errno is captured per call into a segment of
 * the call's own confined arena; EINTR is retried here and nowhere else.
 */
public final class LibC {
    private LibC() {}

    public static final int AF_UNSPEC = 0, AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10, AF_NETLINK = 16, AF_PACKET = 17;
    public static final int SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_RAW = 3, SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1, SOL_NETLINK = 270, SOL_IP = 0;
    public static final int SO_SNDBUF = 7, SO_RCVBUF = 8, SO_RCVTIMEO = 20, SO_SNDBUFFORCE = 32, SO_RCVBUFFORCE = 33;
    public static final int MSG_PEEK = 2, MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40;
    public static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_EXCL = 0x80, O_CLOEXEC = 0x80000;
    public static final int CLONE_FS = 0x00000200, CLONE_NEWNS = 0x00020000, CLONE_NEWNET = 0x40000000;
    public static final long MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_REMOUNT = 32,
            MS_BIND = 4096, MS_REC = 16384, MS_PRIVATE = 1 << 18, MS_SLAVE = 1 << 19, MS_SHARED = 1 << 20;
    public static final int MNT_DETACH = 2;
    public static final int POLLIN = 1;
    public static final int PROT_READ = 1, PROT_WRITE = 2, MAP_SHARED = 1;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /** struct pollfd. */
    public static final StructLayout POLLFD = MemoryLayout.structLayout(
            JAVA_INT.withName("fd"), ValueLayout.JAVA_SHORT.withName("events"), ValueLayout.JAVA_SHORT.withName("revents"));
    private static final VarHandle POLL_FD = POLLFD.varHandle(MemoryLayout.PathElement.groupElement("fd"));
    private static final VarHandle POLL_EVENTS = POLLFD.varHandle(MemoryLayout.PathElement.groupElement("events"));

    /** struct timeval, for SO_RCVTIMEO. */
    public static final StructLayout TIMEVAL = MemoryLayout.structLayout(
            JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_usec"));

    static MethodHandle fn(String name, FunctionDescriptor fd, Linker.Option... extra) {
        Linker.Option[] opts = new Linker.Option[extra.length + 1];
        opts[0] = Linker.Option.captureCallState("errno");
        System.arraycopy(extra, 0, opts, 1, extra.length);
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError(name)), fd, opts);
    }

    // Each downcall handle in its own holder class, made on first use: making one spins
    // classes at run time (no ahead-of-time cache keeps them), a few ms each, and a
    // short command needs only a handful of the calls here.
    private static final class Socket { static final MethodHandle H = fn("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT)); }
    private static final class Bind { static final MethodHandle H = fn("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT)); }
    private static final class Connect { static final MethodHandle H = fn("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT)); }
    private static final class Getsockname { static final MethodHandle H = fn("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS)); }
    private static final class Setsockopt { static final MethodHandle H = fn("setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT)); }
    private static final class Send { static final MethodHandle H = fn("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT)); }
    private static final class Recv { static final MethodHandle H = fn("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT)); }
    private static final class Sendto { static final MethodHandle H = fn("sendto", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT)); }
    private static final class Recvfrom { static final MethodHandle H = fn("recvfrom", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS)); }
    private static final class Poll { static final MethodHandle H = fn("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT)); }
    private static final class Close { static final MethodHandle H = fn("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT)); }
    private static final class Setns { static final MethodHandle H = fn("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT)); }
    private static final class Unshare { static final MethodHandle H = fn("unshare", FunctionDescriptor.of(JAVA_INT, JAVA_INT)); }
    private static final class Mount { static final MethodHandle H = fn("mount", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS)); }
    private static final class Umount2 { static final MethodHandle H = fn("umount2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)); }
    private static final class Open { static final MethodHandle H = fn("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2)); }
    private static final class Ioctl { static final MethodHandle H = fn("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2)); }
    private static final class IoctlLong { static final MethodHandle H = fn("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), Linker.Option.firstVariadicArg(2)); }
    private static final class Getsockopt { static final MethodHandle H = fn("getsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS)); }
    private static final class Mmap { static final MethodHandle H = fn("mmap", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG)); }
    private static final class Munmap { static final MethodHandle H = fn("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG)); }
    private static final class Gettid { static final MethodHandle H = fn("gettid", FunctionDescriptor.of(JAVA_INT)); }

    static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    static MemorySegment capture(Arena a) {
        return a.allocate(CAPTURE);
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    public static int socket(int domain, int type, int protocol) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = capture(a);
            int r = (int) Socket.H.invokeExact(c, domain, type | SOCK_CLOEXEC, protocol);
            if (r < 0) throw new ErrnoException("socket", errno(c));
            return r;
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw rethrow(t); }
    }

    public static void bind(int fd, MemorySegment addr) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = capture(a);
            int r = (int) Bind.H.invokeExact(c, fd, addr, (int) addr.byteSize());
            if (r < 0) throw new ErrnoException("bind", errno(c));
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw rethrow(t); }
    }

    public static void connect(int fd, MemorySegment addr) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = capture(a);
            for (;;) {
                int r = (int) Connect.H.invokeExact(c, fd, addr, (int) addr.byteSize());
                if (r >= 0) return;
                int e = errno(c);
                if (e != Errno.EINTR) throw new ErrnoException("connect", e);
            }
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw rethrow(t); }
    }

    /** Fills {@code addr} with the socket's own address; returns its length. */
    public static int getsockname(int fd, MemorySegment addr) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = capture(a);
            MemorySegment len = a.allocateFrom(JAVA_INT, (int) addr.byteSize());
            int r = (int) Getsockname.H.invokeExact(c, fd, addr, len);
            if (r < 0) throw new ErrnoException("getsockname", errno(c));
            return len.get(JAVA_INT, 0);
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw rethrow(t); }
    }

    public static void setsockopt(int fd, int level, int name, MemorySegment value) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = capture(a);
            int r = (int) Setsockopt.H.invokeExact(c, fd, level, name, value, (int) value.byteSize());
            if (r < 0) throw new ErrnoException("setsockopt", errno(c));
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw rethrow(t); }
    }

    /** setsockopt(2); {@code what} names the option in errors (e.g. "setsockopt(PACKET_RX_RING)"). */
    public static void setsockopt(int fd, int level, int name, MemorySegment value, String what) throws ErrnoException {
        try {
            setsockopt(fd, level, name, value);
        } catch (ErrnoException e) {
            throw new ErrnoException(what, e.errno());
        }
    }

    /** getsockopt(2) into {@code value}; returns the length the kernel wrote. */
    public static int getsockopt(int fd, int level, int name, MemorySegment value, String what) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = capture(a);
            MemorySegment len = a.allocateFrom(JAVA_INT, (int) value.byteSize());
            int r = (int) Getsockopt.H.invokeExact(c, fd, level, name, value, len);
            if (r < 0) throw new ErrnoException(what, errno(c));
            return len.get(JAVA_INT, 0);
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw rethrow(t); }
    }

    /**
     * mmap(2) of {@code length} bytes of {@code fd} (shared, read/write); the
     * segment is {@code length} bytes long and must be given back to {@link #munmap}.
     */
    public static MemorySegment mmap(int fd, long length, String what) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = capture(a);
            MemorySegment r = (MemorySegment) Mmap.H.invokeExact(c, MemorySegment.NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0L);
            if (r.address() == -1L) throw new ErrnoException(what, errno(c));
            return r.reinterpret(length);
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw rethrow(t); }
    }

    public static void munmap(MemorySegment mapping) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = capture(a);
            int r = (int) Munmap.H.invokeExact(c, mapping, mapping.byteSize());
            if (r < 0) throw new ErrnoException("munmap", errno(c));
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw rethrow(t); }
    }

    public static void setsockopt(int fd, int level, int name, int value) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            setsockopt(fd, level, name, a.allocateFrom(JAVA_INT, value));
        }
    }

    public static long send(int fd, MemorySegment buf, long len, int flags) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = capture(a);
            for (;;) {
                long r = (long) Send.H.invokeExact(c, fd, buf, len, flags);
                if (r >= 0) return r;
                int e = errno(c);
                if (e != Errno.EINTR) throw new ErrnoException("sendmsg", e);
            }
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw rethrow(t); }
    }

    /** recv(2); returns -1 instead of throwing on EAGAIN (timeout or non-blocking). */
    public static long recv(int fd, MemorySegment buf, long len, int flags) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = capture(a);
            for (;;) {
                long r = (long) Recv.H.invokeExact(c, fd, buf, len, flags);
                if (r >= 0) return r;
                int e = errno(c);
                if (e == Errno.EAGAIN) return -1;
                if (e != Errno.EINTR) throw new ErrnoException("recvmsg", e);
            }
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw rethrow(t); }
    }

    public static long sendto(int fd, MemorySegment buf, long len, int flags, MemorySegment addr) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = capture(a);
            for (;;) {
                long r = (long) Sendto.H.invokeExact(c, fd, buf, len, flags, addr, (int) addr.byteSize());
                if (r >= 0) return r;
                int e = errno(c);
                if (e != Errno.EINTR) throw new ErrnoException("sendto", e);
            }
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw rethrow(t); }
    }

    /** recvfrom(2); fills {@code addr} if not NULL; -1 on EAGAIN. */
    public static long recvfrom(int fd, MemorySegment buf, long len, int flags, MemorySegment addr) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = capture(a);
            MemorySegment alen = a.allocateFrom(JAVA_INT, (int) addr.byteSize());
            for (;;) {
                long r = (long) Recvfrom.H.invokeExact(c, fd, buf, len, flags, addr,
                        addr.equals(MemorySegment.NULL) ? MemorySegment.NULL : alen);
                if (r >= 0) return r;
                int e = errno(c);
                if (e == Errno.EAGAIN) return -1;
                if (e != Errno.EINTR) throw new ErrnoException("recvfrom", e);
            }
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw rethrow(t); }
    }

    /** Waits until {@code fd} is readable; false on timeout. */
    public static boolean pollIn(int fd, int timeoutMillis) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = capture(a);
            MemorySegment pfd = a.allocate(POLLFD);
            POLL_FD.set(pfd, 0L, fd);
            POLL_EVENTS.set(pfd, 0L, (short) POLLIN);
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            for (;;) {
                int left = timeoutMillis < 0 ? -1 : (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
                int r = (int) Poll.H.invokeExact(c, pfd, 1L, left);
                if (r > 0) return true;
                if (r == 0) return false;
                int e = errno(c);
                if (e != Errno.EINTR) throw new ErrnoException("poll", e);
            }
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw rethrow(t); }
    }

    public static void close(int fd) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = capture(a);
            int r = (int) Close.H.invokeExact(c, fd);
            // close(2) must not be retried on EINTR on Linux: the fd is gone either way.
            if (r < 0 && errno(c) != Errno.EINTR) throw new ErrnoException("close", errno(c));
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw rethrow(t); }
    }

    static void closeQuietly(int fd) {
        try { close(fd); } catch (ErrnoException ignored) { /* nothing useful to do */ }
    }

    public static void setns(int fd, int nstype) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = capture(a);
            int r = (int) Setns.H.invokeExact(c, fd, nstype);
            if (r < 0) throw new ErrnoException("setns", errno(c));
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw rethrow(t); }
    }

    public static void unshare(int flags) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = capture(a);
            int r = (int) Unshare.H.invokeExact(c, flags);
            if (r < 0) throw new ErrnoException("unshare", errno(c));
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw rethrow(t); }
    }

    public static void mount(String source, String target, String fstype, long flags, String data) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = capture(a);
            int r = (int) Mount.H.invokeExact(c, str(a, source), str(a, target), str(a, fstype), flags, str(a, data));
            if (r < 0) throw new ErrnoException("mount(" + target + ")", errno(c));
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw rethrow(t); }
    }

    public static void umount2(String target, int flags) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = capture(a);
            int r = (int) Umount2.H.invokeExact(c, a.allocateFrom(target), flags);
            if (r < 0) throw new ErrnoException("umount2(" + target + ")", errno(c));
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw rethrow(t); }
    }

    public static int open(String path, int flags, int mode) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = capture(a);
            for (;;) {
                int r = (int) Open.H.invokeExact(c, a.allocateFrom(path), flags | O_CLOEXEC, mode);
                if (r >= 0) return r;
                int e = errno(c);
                if (e != Errno.EINTR) throw new ErrnoException("open(" + path + ")", e);
            }
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw rethrow(t); }
    }

    /** ioctl(2) with a pointer argument; {@code what} names the request in errors (e.g. "ioctl(TUNSETIFF)"). */
    public static int ioctl(int fd, long request, MemorySegment arg, String what) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = capture(a);
            for (;;) {
                int r = (int) Ioctl.H.invokeExact(c, fd, request, arg);
                if (r >= 0) return r;
                int e = errno(c);
                if (e != Errno.EINTR) throw new ErrnoException(what, e);
            }
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw rethrow(t); }
    }

    public static int ioctl(int fd, long request, MemorySegment arg) throws ErrnoException {
        return ioctl(fd, request, arg, "ioctl");
    }

    /** ioctl(2) with an integer argument passed by value (TUNSETPERSIST, TUNSETOWNER...). */
    public static int ioctl(int fd, long request, long arg, String what) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = capture(a);
            for (;;) {
                int r = (int) IoctlLong.H.invokeExact(c, fd, request, arg);
                if (r >= 0) return r;
                int e = errno(c);
                if (e != Errno.EINTR) throw new ErrnoException(what, e);
            }
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw rethrow(t); }
    }

    private static final long SIOCGIFINDEX = 0x8933;
    /** sizeof(struct ifreq): a 16-byte name, then a 24-byte union (ifr_ifindex at its start). */
    private static final long IFREQ_SIZE = 40, IFREQ_INDEX = 16;

    /**
     * if_nametoindex(3) on {@code fd}'s network namespace: ioctl(SIOCGIFINDEX)
     * on any socket looks the name up in the socket's namespace, under RCU,
     * without the rtnl lock a netlink request would wait for. Empty when no
     * link has that name (ENODEV), or the name cannot be one (over 15 bytes).
     */
    public static OptionalInt ifIndex(int fd, String name) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            Optional<MemorySegment> req = ifreq(a, fd, name, SIOCGIFINDEX, "SIOCGIFINDEX");
            return req.isEmpty() ? OptionalInt.empty() : OptionalInt.of(req.get().get(JAVA_INT, IFREQ_INDEX));
        }
    }

    /**
     * A struct ifreq for link {@code name}, filled by ioctl {@code request} on {@code fd}; empty when the name
     * cannot be a link's (empty, over 15 bytes) or no link has it (ENODEV).
     */
    private static Optional<MemorySegment> ifreq(Arena a, int fd, String name, long request, String what) throws ErrnoException {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        if (b.length == 0 || b.length > 15) return Optional.empty();
        MemorySegment req = a.allocate(IFREQ_SIZE);
        MemorySegment.copy(b, 0, req, ValueLayout.JAVA_BYTE, 0, b.length);
        try {
            ioctl(fd, request, req, "ioctl " + what + " " + name);
        } catch (ErrnoException e) {
            if (e.is(Errno.ENODEV)) return Optional.empty();
            throw e;
        }
        return Optional.of(req);
    }

    private static final long SIOCGIFHWADDR = 0x8927;
    /** In struct ifreq: ifru_hwaddr, a struct sockaddr (sa_family: the ARPHRD_* type, then sa_data[14]). */
    private static final long IFREQ_HWADDR_FAMILY = 16, IFREQ_HWADDR_DATA = 18;
    private static final int ARPHRD_ETHER = 1;

    /**
     * The Ethernet MAC of link {@code name} in {@code fd}'s network namespace: ioctl(SIOCGIFHWADDR), answered
     * under RCU and the device-address lock, not the rtnl lock (which a busy host's namespace teardowns hold for
     * long). Empty when there is no such link or it is not Ethernet (ARPHRD_ETHER) with a 6-byte address.
     */
    public static Optional<byte[]> ethernetAddress(int fd, String name) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            Optional<MemorySegment> req = ifreq(a, fd, name, SIOCGIFHWADDR, "SIOCGIFHWADDR");
            if (req.isEmpty() || Short.toUnsignedInt(req.get().get(ValueLayout.JAVA_SHORT, IFREQ_HWADDR_FAMILY)) != ARPHRD_ETHER) return Optional.empty();
            byte[] mac = new byte[6];
            MemorySegment.copy(req.get(), ValueLayout.JAVA_BYTE, IFREQ_HWADDR_DATA, mac, 0, 6);
            return Optional.of(mac);
        }
    }

    public static int gettid() {
        try (Arena a = Arena.ofConfined()) {
            return (int) Gettid.H.invokeExact(capture(a));
        } catch (Throwable t) { throw rethrow(t); }
    }

    private static MemorySegment str(Arena a, String s) {
        return s == null ? MemorySegment.NULL : a.allocateFrom(s);
    }
}
