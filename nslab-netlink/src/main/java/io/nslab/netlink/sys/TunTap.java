package io.nslab.netlink.sys;

import io.nslab.netlink.ErrnoException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
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

    /**
     * Creates persistent device {@code name}; {@code flags} are IFF_TUN or
     * IFF_TAP plus IFF_NO_PI / IFF_VNET_HDR / IFF_MULTI_QUEUE, and IFF_TUN_EXCL
     * to make an existing device an error (ip does). Owner and group are set
     * when not negative. An empty name lets the kernel pick the first free
     * tunN or tapN, as {@code ip tuntap add} without a name does; returns the
     * name the device got (the kernel writes it back into ifr_name).
     */
    public static String create(String name, int flags, long owner, long group) throws ErrnoException {
        int fd = LibC.open(DEVICE, LibC.O_RDWR, 0);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ifr = ifreq(a, name, flags);
            LibC.ioctl(fd, TUNSETIFF, ifr, "ioctl(TUNSETIFF)");
            if (owner >= 0) LibC.ioctl(fd, TUNSETOWNER, owner, "ioctl(TUNSETOWNER)");
            if (group >= 0) LibC.ioctl(fd, TUNSETGROUP, group, "ioctl(TUNSETGROUP)");
            LibC.ioctl(fd, TUNSETPERSIST, 1, "ioctl(TUNSETPERSIST)");
            return ifr.getString(0, StandardCharsets.UTF_8);
        } finally {
            LibC.closeQuietly(fd);
        }
    }

    /** Makes device {@code name} non-persistent, so it goes away (ip tuntap del). */
    public static void delete(String name, int flags) throws ErrnoException {
        int fd = LibC.open(DEVICE, LibC.O_RDWR, 0);
        try (Arena a = Arena.ofConfined()) {
            LibC.ioctl(fd, TUNSETIFF, ifreq(a, name, flags), "ioctl(TUNSETIFF)");
            LibC.ioctl(fd, TUNSETPERSIST, 0, "ioctl(TUNSETPERSIST)");
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
}
