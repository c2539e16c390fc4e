package io.nslab.netlink.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Persistent TUN/TAP devices through /dev/net/tun, the way {@code ip tuntap
 * add/del} does it (the kernel refuses to create them over rtnetlink): open,
 * TUNSETIFF, optional TUNSETOWNER/TUNSETGROUP, TUNSETPERSIST, close. The
 * device appears in the network namespace of the calling thread.
 */
public final class TunTap {
    private TunTap() {}

    public static final String DEVICE = "/dev/net/tun";

    // <linux/if_tun.h>: _IOW('T', nr, int) = (1 << 30) | (sizeof(int) << 16) | ('T' << 8) | nr.
    private static long iow(int nr) { return (1L << 30) | (4L << 16) | ('T' << 8) | nr; }
    static final long TUNSETIFF = iow(202), TUNSETPERSIST = iow(203), TUNSETOWNER = iow(204), TUNSETGROUP = iow(206);

    /** struct ifreq as TUNSETIFF reads it: the name, then ifr_flags in the union. */
    static final StructLayout IFREQ = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("ifr_name"),
            JAVA_SHORT.withName("ifr_flags"),
            MemoryLayout.paddingLayout(22));
    private static final VarHandle IFR_FLAGS = IFREQ.varHandle(MemoryLayout.PathElement.groupElement("ifr_flags"));

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle IOCTL_PTR = LINKER.downcallHandle(LINKER.defaultLookup().find("ioctl").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle IOCTL_LONG = LINKER.downcallHandle(LINKER.defaultLookup().find("ioctl").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG),
            Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(2));

    /**
     * Creates persistent device {@code name}; {@code flags} are IFF_TUN or
     * IFF_TAP plus IFF_NO_PI / IFF_VNET_HDR / IFF_MULTI_QUEUE, and IFF_TUN_EXCL
     * to make an existing device an error (ip does). Owner and group are set
     * when not negative.
     */
    public static void create(String name, int flags, long owner, long group) throws ErrnoException {
        int fd = LibC.open(DEVICE, LibC.O_RDWR, 0);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ifr = ifreq(a, name, flags);
            ioctl(a, fd, TUNSETIFF, ifr, "ioctl(TUNSETIFF)");
            if (owner >= 0) ioctl(a, fd, TUNSETOWNER, owner, "ioctl(TUNSETOWNER)");
            if (group >= 0) ioctl(a, fd, TUNSETGROUP, group, "ioctl(TUNSETGROUP)");
            ioctl(a, fd, TUNSETPERSIST, 1, "ioctl(TUNSETPERSIST)");
        } finally {
            LibC.closeQuietly(fd);
        }
    }

    /** Makes device {@code name} non-persistent, so it goes away (ip tuntap del). */
    public static void delete(String name, int flags) throws ErrnoException {
        int fd = LibC.open(DEVICE, LibC.O_RDWR, 0);
        try (Arena a = Arena.ofConfined()) {
            ioctl(a, fd, TUNSETIFF, ifreq(a, name, flags), "ioctl(TUNSETIFF)");
            ioctl(a, fd, TUNSETPERSIST, 0, "ioctl(TUNSETPERSIST)");
        } finally {
            LibC.closeQuietly(fd);
        }
    }

    private static MemorySegment ifreq(Arena a, String name, int flags) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length > 15) throw new IllegalArgumentException("interface name \"" + name + "\" longer than 15 bytes");
        MemorySegment ifr = a.allocate(IFREQ);
        MemorySegment.copy(n, 0, ifr, JAVA_BYTE, 0, n.length);
        IFR_FLAGS.set(ifr, 0L, (short) flags);
        return ifr;
    }

    private static void ioctl(Arena a, int fd, long req, MemorySegment arg, String what) throws ErrnoException {
        MemorySegment c = a.allocate(CAPTURE);
        try {
            for (;;) {
                int r = (int) IOCTL_PTR.invokeExact(c, fd, req, arg);
                if (r >= 0) return;
                int e = (int) ERRNO.get(c, 0L);
                if (e != Errno.EINTR) throw new ErrnoException(what, e);
            }
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw rethrow(t); }
    }

    private static void ioctl(Arena a, int fd, long req, long arg, String what) throws ErrnoException {
        MemorySegment c = a.allocate(CAPTURE);
        try {
            for (;;) {
                int r = (int) IOCTL_LONG.invokeExact(c, fd, req, arg);
                if (r >= 0) return;
                int e = (int) ERRNO.get(c, 0L);
                if (e != Errno.EINTR) throw new ErrnoException(what, e);
            }
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw rethrow(t); }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
