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
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Starting and reaping a child process with posix_spawn(3), from the calling
 * thread. glibc's posix_spawn clones the calling thread (CLONE_VM|CLONE_VFORK),
 * so the child is born in that thread's network and mount namespaces; unlike
 * ProcessBuilder it starts no JVM thread (the JDK's "process reaper" would be
 * created by, and stay in, the namespace of the thread that starts the child).
 * Plus the pipe/read/write/waitpid/kill/pidfd calls a Process needs.
 */
public final class Spawn {
    private Spawn() {}

    public static final int SIGKILL = 9, SIGTERM = 15;
    public static final int WNOHANG = 1;
    /** open(2) flags LibC lacks. */
    public static final int O_TRUNC = 0x200, O_APPEND = 0x400;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /** Opaque glibc types, sized with room to spare (x86_64: 80, 336 and 128 bytes). */
    private static final long FILE_ACTIONS_SIZE = 256, ATTR_SIZE = 512, SIGSET_SIZE = 128;

    private static MethodHandle fn(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError(name)), fd,
                Linker.Option.captureCallState("errno"));
    }

    private static final MethodHandle SPAWN = fn("posix_spawn", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle SPAWNP = fn("posix_spawnp", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle FA_INIT = fn("posix_spawn_file_actions_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle FA_DESTROY = fn("posix_spawn_file_actions_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle FA_DUP2 = fn("posix_spawn_file_actions_adddup2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle FA_CHDIR = fn("posix_spawn_file_actions_addchdir_np", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle FA_CLOSEFROM = fn("posix_spawn_file_actions_addclosefrom_np", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle AT_INIT = fn("posix_spawnattr_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle AT_DESTROY = fn("posix_spawnattr_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle AT_FLAGS = fn("posix_spawnattr_setflags", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
    private static final MethodHandle AT_SIGMASK = fn("posix_spawnattr_setsigmask", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle AT_SIGDEF = fn("posix_spawnattr_setsigdefault", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle PIPE2 = fn("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle READ = fn("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = fn("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WAITPID = fn("waitpid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle KILL = fn("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle PIDFD_OPEN = fn("pidfd_open", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

    private static int errno(MemorySegment c) { return (int) ERRNO.get(c, 0L); }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    /** posix_spawn* return the error number; 0 is success. */
    private static void check(String call, int r) throws ErrnoException {
        if (r != 0) throw new ErrnoException(call, r);
    }

    /**
     * Starts {@code argv} (argv[0] looked up in PATH unless it has a '/').
     * {@code stdio[i]} is the parent descriptor to become the child's fd i,
     * or -1 to leave it inherited; {@code errToOut} makes fd 2 a copy of fd 1.
     * Every other descriptor is closed in the child. Returns the pid.
     */
    public static int spawn(List<String> argv, List<String> env, Optional<String> cwd, int[] stdio, boolean errToOut) throws ErrnoException {
        if (argv.isEmpty()) throw new IllegalArgumentException("empty command");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = a.allocate(CAPTURE);
            MemorySegment fa = a.allocate(FILE_ACTIONS_SIZE, 16);
            MemorySegment at = a.allocate(ATTR_SIZE, 16);
            check("posix_spawn_file_actions_init", (int) FA_INIT.invokeExact(c, fa));
            try {
                check("posix_spawnattr_init", (int) AT_INIT.invokeExact(c, at));
                try {
                    for (int i = 0; i < 3; i++) {
                        if (stdio[i] >= 0) check("posix_spawn_file_actions_adddup2", (int) FA_DUP2.invokeExact(c, fa, stdio[i], i));
                    }
                    if (errToOut) check("posix_spawn_file_actions_adddup2", (int) FA_DUP2.invokeExact(c, fa, 1, 2));
                    if (cwd.isPresent()) check("posix_spawn_file_actions_addchdir_np", (int) FA_CHDIR.invokeExact(c, fa, a.allocateFrom(cwd.get())));
                    // Like the JDK's childproc: the child gets 0, 1, 2 and nothing else of the JVM's.
                    check("posix_spawn_file_actions_addclosefrom_np", (int) FA_CLOSEFROM.invokeExact(c, fa, 3));
                    MemorySegment empty = a.allocate(SIGSET_SIZE, 8);
                    MemorySegment standard = a.allocate(SIGSET_SIZE, 8);
                    standard.set(JAVA_LONG, 0, 0x7fffffffL); // signals 1..31 back to their defaults
                    check("posix_spawnattr_setsigmask", (int) AT_SIGMASK.invokeExact(c, at, empty));
                    check("posix_spawnattr_setsigdefault", (int) AT_SIGDEF.invokeExact(c, at, standard));
                    check("posix_spawnattr_setflags", (int) AT_FLAGS.invokeExact(c, at, (short) (POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)));
                    MemorySegment argvSeg = strings(a, argv);
                    MemorySegment envSeg = strings(a, env);
                    MemorySegment pid = a.allocate(JAVA_INT);
                    boolean search = argv.get(0).indexOf('/') < 0;
                    MemorySegment file = a.allocateFrom(argv.get(0));
                    int r = search ? (int) SPAWNP.invokeExact(c, pid, file, fa, at, argvSeg, envSeg)
                                   : (int) SPAWN.invokeExact(c, pid, file, fa, at, argvSeg, envSeg);
                    check("posix_spawn(" + argv.get(0) + ")", r);
                    return pid.get(JAVA_INT, 0);
                } finally {
                    int ignored = (int) AT_DESTROY.invokeExact(c, at);
                }
            } finally {
                int ignored = (int) FA_DESTROY.invokeExact(c, fa);
            }
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw rethrow(t); }
    }

    private static MemorySegment strings(Arena a, List<String> l) {
        MemorySegment arr = a.allocate(ADDRESS, l.size() + 1);
        for (int i = 0; i < l.size(); i++) arr.setAtIndex(ADDRESS, i, a.allocateFrom(l.get(i)));
        arr.setAtIndex(ADDRESS, l.size(), MemorySegment.NULL);
        return arr;
    }

    /** A close-on-exec pipe: {read end, write end}. */
    public static int[] pipe() throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = a.allocate(CAPTURE);
            MemorySegment fds = a.allocate(JAVA_INT, 2);
            int r = (int) PIPE2.invokeExact(c, fds, LibC.O_CLOEXEC);
            if (r < 0) throw new ErrnoException("pipe2", errno(c));
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw rethrow(t); }
    }

    /** read(2) into {@code b[off..off+len)}; 0 at end of file. */
    public static int read(int fd, byte[] b, int off, int len) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = a.allocate(CAPTURE);
            MemorySegment buf = a.allocate(Math.max(1, len));
            for (;;) {
                long r = (long) READ.invokeExact(c, fd, buf, (long) len);
                if (r >= 0) {
                    MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, b, off, (int) r);
                    return (int) r;
                }
                int e = errno(c);
                if (e != Errno.EINTR) throw new ErrnoException("read", e);
            }
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw rethrow(t); }
    }

    /** write(2) of all of {@code b[off..off+len)}. */
    public static void write(int fd, byte[] b, int off, int len) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = a.allocate(CAPTURE);
            MemorySegment buf = a.allocate(Math.max(1, len));
            MemorySegment.copy(b, off, buf, ValueLayout.JAVA_BYTE, 0, len);
            long done = 0;
            while (done < len) {
                long r = (long) WRITE.invokeExact(c, fd, buf.asSlice(done), len - done);
                if (r >= 0) { done += r; continue; }
                int e = errno(c);
                if (e != Errno.EINTR) throw new ErrnoException("write", e);
            }
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw rethrow(t); }
    }

    /** waitpid(2): the raw wait status once {@code pid} ended (reaping it), or empty with {@code WNOHANG} while it runs. */
    public static OptionalInt waitpid(int pid, int options) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = a.allocate(CAPTURE);
            MemorySegment status = a.allocate(JAVA_INT);
            for (;;) {
                int r = (int) WAITPID.invokeExact(c, pid, status, options);
                if (r == pid) return OptionalInt.of(status.get(JAVA_INT, 0));
                if (r == 0) return OptionalInt.empty();
                int e = errno(c);
                if (e != Errno.EINTR) throw new ErrnoException("waitpid", e);
            }
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw rethrow(t); }
    }

    public static void kill(int pid, int signal) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = a.allocate(CAPTURE);
            int r = (int) KILL.invokeExact(c, pid, signal);
            if (r < 0) throw new ErrnoException("kill", errno(c));
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw rethrow(t); }
    }

    /** A close-on-exec descriptor that becomes readable when {@code pid} exits. */
    public static int pidfdOpen(int pid) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment c = a.allocate(CAPTURE);
            int r = (int) PIDFD_OPEN.invokeExact(c, pid, 0);
            if (r < 0) throw new ErrnoException("pidfd_open", errno(c));
            return r;
        } catch (ErrnoException e) { throw e; } catch (Throwable t) { throw rethrow(t); }
    }
}
