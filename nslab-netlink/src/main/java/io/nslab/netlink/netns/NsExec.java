package io.nslab.netlink.netns;

import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.sys.Fd;
import io.nslab.netlink.sys.LibC;
import io.nslab.netlink.sys.Spawn;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The mount set-up of {@code ip netns exec}, done on a private thread that is
 * about to start a process: after it, the thread sees the namespace's own
 * /sys and /etc/netns/NAME files over /etc, and so does every child it starts.
 * The thread must never run anything else afterwards (its mount namespace is
 * private to it); it ends with the start.
 */
final class NsExec {
    private NsExec() {}

    /** Warnings about /etc files that could not be bound (iproute2 prints them and goes on). */
    static List<String> enter(int nsFd, String label, ExecOptions opts) throws NetNsException {
        return enter(nsFd, label, opts, Optional.empty());
    }

    /**
     * As above; {@code sysReadOnly}, when known, is whether the host's /sys is read-only (the new sysfs is
     * mounted the same way). Looking it up otherwise reads the mount table of the JVM's main thread (the
     * host's, one line per namespace file): known once, it is not read per start.
     */
    static List<String> enter(int nsFd, String label, ExecOptions opts, Optional<Boolean> sysReadOnly) throws NetNsException {
        return enter(nsFd, label, opts, sysReadOnly, false);
    }

    /**
     * As above, from a thread in a {@link MountBase} (its mounts all slaves, no /sys): the copy made here is
     * already a slave of the host's mounts, with nothing on /sys, so neither the recursive MS_SLAVE pass nor
     * the unmount of /sys is needed. Both hold the kernel's namespace lock every other start waits for.
     */
    static List<String> enterFromBase(int nsFd, String label, ExecOptions opts, boolean sysReadOnly) throws NetNsException {
        return enter(nsFd, label, opts, Optional.of(sysReadOnly), true);
    }

    private static List<String> enter(int nsFd, String label, ExecOptions opts, Optional<Boolean> sysReadOnly, boolean fromBase) throws NetNsException {
        String op = "netns exec " + label;
        try {
            LibC.setns(nsFd, LibC.CLONE_NEWNET);
        } catch (ErrnoException e) {
            throw NetNsException.of(op + ": cannot enter the network namespace", e);
        }
        try {
            // Own mount namespace (this also gives the thread its own fs_struct: root and cwd).
            LibC.unshare(LibC.CLONE_NEWNS);
        } catch (ErrnoException e) {
            throw NetNsException.of(op + ": cannot create a mount namespace", e);
        }
        if (!fromBase) {
            try {
                // Mounts made here must not propagate back to the rest of the system.
                LibC.mount("", "/", "none", LibC.MS_SLAVE | LibC.MS_REC, null);
            } catch (ErrnoException e) {
                throw NetNsException.of(op + ": cannot make / a slave mount", e);
            }
        }
        if (opts.remountSys()) remountSys(op, label, sysReadOnly.orElseGet(NsExec::sysReadOnly), !fromBase);
        List<String> warnings = new ArrayList<>();
        if (opts.etcDir().isPresent()) bindEtc(opts.etcDir().get(), warnings);
        return warnings;
    }

    /** Whether /sys is mounted read-only (as in some containers); when that cannot be told, not. */
    static boolean sysReadOnly() {
        try {
            return Files.getFileStore(Path.of("/sys")).isReadOnly();
        } catch (IOException e) {
            return false; // mount it writable, as iproute2 does when statvfs fails
        }
    }

    /** A sysfs of this network namespace over /sys, read-only if /sys was: /sys/class/net lists its links. */
    private static void remountSys(String op, String label, boolean readOnly, boolean detachOld) throws NetNsException {
        long flags = readOnly ? LibC.MS_RDONLY : 0;
        if (detachOld) {
            try {
                LibC.umount2("/sys", LibC.MNT_DETACH);
            } catch (ErrnoException e) {
                // EINVAL: /sys was not a mount point; the new sysfs goes on the directory.
            }
        }
        try {
            LibC.mount(label, "/sys", "sysfs", flags, null);
        } catch (ErrnoException e) {
            throw NetNsException.of(op + ": cannot mount sysfs on /sys", e);
        }
    }

    /** Binds each entry of {@code dir} (e.g. /etc/netns/ns1/resolv.conf) over the same name under /etc. */
    private static void bindEtc(Path dir, List<String> warnings) {
        if (!Files.isDirectory(dir)) return;
        try (DirectoryStream<Path> d = Files.newDirectoryStream(dir)) {
            for (Path src : d) {
                Path dst = Path.of("/etc").resolve(src.getFileName().toString());
                try {
                    LibC.mount(src.toString(), dst.toString(), "none", LibC.MS_BIND, null);
                } catch (ErrnoException e) {
                    warnings.add("Bind " + src + " -> " + dst + " failed: " + e.getMessage());
                }
            }
        } catch (IOException e) {
            warnings.add("cannot read " + dir + ": " + e.getMessage());
        }
    }

    /** Opens the redirects, runs {@code enter}, spawns; on the exec thread. Closes whatever it opened on failure. */
    static Process spawn(String op, ProcessBuilder pb, NsAction<NetNsException> enter) throws NetNsException {
        return spawn(op, pb, enter, null);
    }

    /**
     * As above; {@code defaultCwd} (when not null) is the directory of a process whose {@code pb} names none,
     * for a thread whose own working directory is not the JVM's (one that entered another mount namespace).
     * Relative paths (redirect files, the directory) are taken from the JVM's working directory.
     */
    static Process spawn(String op, ProcessBuilder pb, NsAction<NetNsException> enter, String defaultCwd) throws NetNsException {
        return spawn(op, pb, enter, defaultCwd, true);
    }

    /**
     * As above; without {@code pidfd} the process holds no descriptor (its waitFor polls, every 100 ms at
     * most): for callers that start many and only ask whether they are alive, since every later child copies
     * and closes each descriptor the JVM holds.
     */
    static Process spawn(String op, ProcessBuilder pb, NsAction<NetNsException> enter, String defaultCwd, boolean pidfd) throws NetNsException {
        List<Fd> childEnds = new ArrayList<>();
        List<Fd> parentEnds = new ArrayList<>();
        try {
            ProcessBuilder.Redirect[] redirects = {pb.redirectInput(), pb.redirectOutput(), pb.redirectError()};
            int[] stdio = {-1, -1, -1};
            List<Optional<Fd>> pipes = new ArrayList<>(List.of(Optional.<Fd>empty(), Optional.<Fd>empty(), Optional.<Fd>empty()));
            for (int i = 0; i < 3; i++) {
                if (i == 2 && pb.redirectErrorStream()) break;
                ProcessBuilder.Redirect rd = redirects[i];
                switch (rd.type()) {
                    case INHERIT -> { }
                    case PIPE -> {
                        int[] p = Spawn.pipe();
                        Fd readEnd = new Fd(p[0]), writeEnd = new Fd(p[1]);
                        Fd child = i == 0 ? readEnd : writeEnd, parent = i == 0 ? writeEnd : readEnd;
                        childEnds.add(child);
                        parentEnds.add(parent);
                        stdio[i] = child.get();
                        pipes.set(i, Optional.of(parent));
                    }
                    case READ, WRITE, APPEND -> {
                        int flags = switch (rd.type()) {
                            case READ -> LibC.O_RDONLY;
                            case WRITE -> LibC.O_WRONLY | LibC.O_CREAT | Spawn.O_TRUNC;
                            default -> LibC.O_WRONLY | LibC.O_CREAT | Spawn.O_APPEND;
                        };
                        try {
                            Fd f = new Fd(LibC.open(rd.file().getAbsolutePath(), flags, 0666));
                            childEnds.add(f);
                            stdio[i] = f.get();
                        } catch (ErrnoException e) {
                            throw NetNsException.of(op + ": cannot open " + rd.file(), e);
                        }
                    }
                }
            }
            enter.run();
            List<String> env = new ArrayList<>();
            pb.environment().forEach((k, v) -> env.add(k + "=" + v));
            int pid;
            try {
                pid = Spawn.spawn(pb.command(), env,
                        Optional.ofNullable(pb.directory()).map(File::getAbsolutePath).or(() -> Optional.ofNullable(defaultCwd)), stdio, pb.redirectErrorStream());
            } catch (ErrnoException e) {
                throw new NetNsException(op + ": cannot run " + pb.command().get(0) + ": " + Errno.nameAndText(e.errno()), e.errno());
            }
            Optional<Fd> waiter = Optional.empty();
            if (pidfd) {
                try {
                    waiter = Optional.of(new Fd(Spawn.pidfdOpen(pid)));
                } catch (ErrnoException e) {
                    throw NetNsException.of(op + ": pidfd_open " + pid, e);
                }
            }
            for (Fd f : childEnds) f.close();
            parentEnds.clear();
            return new NsProcess(pid, waiter, pipes.get(0), pipes.get(1), pipes.get(2));
        } catch (ErrnoException e) {
            throw NetNsException.of(op + ": pipe", e);
        } finally {
            for (Fd f : childEnds) f.close();
            for (Fd f : parentEnds) f.close();
        }
    }

}
