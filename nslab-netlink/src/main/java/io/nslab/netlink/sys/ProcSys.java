package io.nslab.netlink.sys;

import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * sysctl writes through procfs instances of nslab's own (fsopen + fsmount, detached, never attached to a
 * mount namespace), each used for {@value #USES} writes and then dropped with its dentries.
 * <p>
 * Why: every namespace has its own {@code /proc/sys/net} directory, and in one procfs instance their
 * dentries all hang in one hash chain under {@code /proc/sys}, which the kernel walks (proc_sys_compare,
 * under a spinlock) on every lookup of "net". With N namespaces on the machine each write costs O(N):
 * perf of a 3,000-node {@code up} put 30% of its samples there, and 10,001 namespaces took 190 s to make,
 * 212 s of system time. A fresh instance's chain holds only the namespaces looked up through it.
 * <p>
 * The kernel resolves {@code sys/net} against the calling thread's network namespace whichever instance
 * it goes through. Where no instance can be made (no fsopen in this libc or kernel, no privilege in a user
 * namespace) {@link #write} answers false once and for all, and the caller goes through /proc/sys.
 */
public final class ProcSys {
    private ProcSys() {}

    static final int USES = 64;
    private static final int FSOPEN_CLOEXEC = 0x1, FSCONFIG_CMD_CREATE = 6, FSMOUNT_CLOEXEC = 0x1;
    private static final int MOUNT_ATTR_NOSUID = 0x2, MOUNT_ATTR_NODEV = 0x4, MOUNT_ATTR_NOEXEC = 0x8;

    private static final class Fsopen { static final MethodHandle H = LibC.fn("fsopen", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)); }
    private static final class Fsconfig { static final MethodHandle H = LibC.fn("fsconfig", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT)); }
    private static final class Fsmount { static final MethodHandle H = LibC.fn("fsmount", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT)); }
    private static final class Openat { static final MethodHandle H = LibC.fn("openat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT)); }
    private static final class Write { static final MethodHandle H = LibC.fn("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG)); }

    /** One detached procfs mount; closed when retired and no write is under way through it. */
    private static final class Instance {
        final int fd;
        int uses, users;
        boolean retired;
        Instance(int fd) { this.fd = fd; }
    }

    private static final Object LOCK = new Object();
    private static Instance current;          // guarded by LOCK
    private static boolean unavailable;       // guarded by LOCK

    /**
     * Writes {@code value} to {@code /proc/sys/REL} of the calling thread's network namespace in one
     * write(2); false when no private procfs instance can be made here (then nothing was done). An errno
     * of the open or the write (ENOENT for a missing key, EINVAL for a refused value) is thrown.
     */
    public static boolean write(String rel, byte[] value) throws ErrnoException {
        Instance in = acquire();
        if (in == null) return false;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = LibC.capture(a);
            int fd;
            for (;;) {
                fd = (int) Openat.H.invokeExact(c, in.fd, a.allocateFrom("sys/" + rel), LibC.O_WRONLY | LibC.O_CLOEXEC);
                if (fd >= 0) break;
                if (LibC.errno(c) != Errno.EINTR) throw new ErrnoException("open(/proc/sys/" + rel + ")", LibC.errno(c));
            }
            try {
                MemorySegment buf = a.allocate(Math.max(1, value.length));
                MemorySegment.copy(value, 0, buf, JAVA_BYTE, 0, value.length);
                long n;
                do {
                    n = (long) Write.H.invokeExact(c, fd, buf, (long) value.length);
                } while (n < 0 && LibC.errno(c) == Errno.EINTR);
                if (n < 0) throw new ErrnoException("write(/proc/sys/" + rel + ")", LibC.errno(c));
            } finally {
                LibC.closeQuietly(fd);
            }
            return true;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw LibC.rethrow(t);
        } finally {
            release(in);
        }
    }

    private static Instance acquire() {
        synchronized (LOCK) {
            if (unavailable) return null;
            if (current == null || current.uses >= USES) {
                if (current != null) retire(current);
                int fd = mount();
                if (fd < 0) {
                    unavailable = true;
                    current = null;
                    return null;
                }
                current = new Instance(fd);
            }
            current.uses++;
            current.users++;
            return current;
        }
    }

    private static void release(Instance in) {
        synchronized (LOCK) {
            in.users--;
            if (in.retired && in.users == 0) LibC.closeQuietly(in.fd);
        }
    }

    private static void retire(Instance in) {
        in.retired = true;
        if (in.users == 0) LibC.closeQuietly(in.fd);
    }

    /** A new detached procfs mount, or -1 when this libc, kernel or privilege does not allow one. */
    private static int mount() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = LibC.capture(a);
            int fs = (int) Fsopen.H.invokeExact(c, a.allocateFrom("proc"), FSOPEN_CLOEXEC);
            if (fs < 0) return -1;
            try {
                int r = (int) Fsconfig.H.invokeExact(c, fs, FSCONFIG_CMD_CREATE, MemorySegment.NULL, MemorySegment.NULL, 0);
                if (r < 0) return -1;
                return (int) Fsmount.H.invokeExact(c, fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
            } finally {
                LibC.closeQuietly(fs);
            }
        } catch (Throwable t) {
            // no such symbol in this libc (UnsatisfiedLinkError in the holder's initialiser), or a linker failure
            return -1;
        }
    }
}
