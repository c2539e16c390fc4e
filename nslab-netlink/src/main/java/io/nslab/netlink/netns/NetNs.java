package io.nslab.netlink.netns;

import io.nslab.netlink.NlSocket;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.sys.Fd;
import io.nslab.netlink.sys.LibC;
import io.nslab.netlink.wire.Netlink;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SequencedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A network namespace: the static methods manage the persistent ones under
 * /run/netns exactly as {@code ip netns} does (so iproute2 sees nslab's and
 * nslab sees iproute2's); an instance is an open handle (an O_RDONLY|O_CLOEXEC
 * descriptor of the namespace) that runs code and processes inside it.
 *
 * <p>Code runs on the handle's own platform thread, started on first use,
 * which setns()'d into the namespace once and never leaves it; tasks run on it
 * one after another. Closing the handle ends that thread. A task must not
 * start threads or use shared pools (a new thread inherits the namespace of
 * the thread that creates it) and must not call setns/unshare itself.
 */
public final class NetNs implements AutoCloseable {
    /** Where iproute2 keeps named namespaces (/var/run/netns is a link to it). */
    public static final Path RUN_DIR = Path.of("/run/netns");
    /** Per-namespace files bound over /etc by {@code ip netns exec}. */
    public static final Path ETC_DIR = Path.of("/etc/netns");

    private static final String THREAD_SELF_NET = "/proc/thread-self/ns/net";

    private final Optional<String> name;
    private final Path path;
    private final Fd fd;
    private final String label;
    private NsWorker worker; // guarded by this; started on first use
    private boolean closed;  // guarded by this

    private NetNs(Optional<String> name, Path path, Fd fd, NsWorker worker) {
        this.name = name;
        this.path = path;
        this.fd = fd;
        this.worker = worker;
        this.label = name.orElse(path.toString());
    }

    // ------------------------------------------------------------------ persistent namespaces

    /**
     * Creates the persistent namespace {@code name}, like {@code ip netns add}:
     * /run/netns made a shared mount (bound on itself the first time), an empty
     * file /run/netns/NAME, a new namespace unshared on a private thread and
     * bound onto that file. If anything fails the file is removed again.
     */
    public static void create(String name) throws NetNsException {
        String op = "netns add " + name;
        NsName.check("netns add", name);
        prepareRunDir(op);
        Path file = reserve(op, name);
        AtomicReference<NetNsException> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().daemon(true).name("netns-add-" + name).start(() -> {
            try {
                unshareAndBind(op, file);
            } catch (NetNsException e) {
                failure.set(e);
            }
        });
        joinUninterruptibly(t);
        if (failure.get() != null) throw failure.get();
    }

    /**
     * Creates {@code name} like {@link #create} and returns an open handle whose
     * thread is the one that created the namespace: it is inside already, so
     * the first {@link #call} costs no setns. The batch path for many namespaces.
     */
    public static NetNs createOpen(String name) throws NetNsException {
        String op = "netns add " + name;
        NsName.check("netns add", name);
        prepareRunDir(op);
        Path file = reserve(op, name);
        AtomicReference<Fd> fd = new AtomicReference<>();
        NsWorker w;
        try {
            w = NsWorker.start(name, () -> {
                unshareAndBind(op, file);
                try {
                    fd.set(new Fd(LibC.open(THREAD_SELF_NET, LibC.O_RDONLY, 0)));
                } catch (ErrnoException e) {
                    throw NetNsException.of(op + ": cannot open the new namespace", e);
                }
            });
        } catch (NetNsException e) {
            throw e;
        } catch (Exception e) {
            throw new NetNsException(op + ": " + e, Errno.EIO);
        }
        return new NetNs(Optional.of(name), file, fd.get(), w);
    }

    /**
     * Gives the network namespace of process {@code pid} the persistent name
     * {@code name}, like {@code ip netns attach NAME PID}: /proc/PID/ns/net
     * bound onto /run/netns/NAME. Nothing is created if the name is taken or
     * the process is gone.
     */
    public static void attach(String name, long pid) throws NetNsException {
        String op = "netns attach " + name + " " + pid;
        NsName.check("netns attach", name);
        Path proc = Path.of("/proc", Long.toString(pid), "ns", "net");
        if (!Files.exists(proc)) throw new NetNsException(op + ": no such process", Errno.ESRCH);
        prepareRunDir(op);
        Path file = reserve(op, name);
        try {
            LibC.mount(proc.toString(), file.toString(), "none", LibC.MS_BIND, null);
        } catch (ErrnoException e) {
            removeQuietly(file);
            throw NetNsException.of(op + ": cannot bind " + proc + " onto " + file, e);
        }
    }

    /**
     * A new namespace without a name (nothing under /run/netns), alive as long
     * as the handle (and whatever else uses it): for tests and throwaway
     * sandboxes. Its thread created it, so it is already inside.
     */
    public static NetNs createUnnamed() throws NetNsException {
        AtomicReference<Fd> fd = new AtomicReference<>();
        NsWorker w;
        try {
            w = NsWorker.start("unnamed", () -> {
                try {
                    LibC.unshare(LibC.CLONE_NEWNET);
                    fd.set(new Fd(LibC.open(THREAD_SELF_NET, LibC.O_RDONLY, 0)));
                } catch (ErrnoException e) {
                    throw NetNsException.of("netns: cannot create a network namespace", e);
                }
            });
        } catch (NetNsException e) {
            throw e;
        } catch (Exception e) {
            throw new NetNsException("netns: " + e, Errno.EIO);
        }
        return new NetNs(Optional.empty(), Path.of("/proc/self/fd/" + fd.get().get()), fd.get(), w);
    }

    /**
     * Creates many namespaces, spread over the machine's cores: each creating
     * thread unshares one new namespace after the other (an unshare leaves the
     * previous namespace, which lives on through its bind mount), so there is
     * no thread start per namespace. Returns, per name, its error if any.
     */
    public static List<Optional<NetNsException>> createAll(List<String> names) {
        List<Optional<NetNsException>> out = new ArrayList<>(names.size());
        for (NsOutcome<Object> o : createAll(names, n -> null)) {
            out.add(o.error().map(e -> e instanceof NetNsException x ? x : new NetNsException("netns add " + o.name() + ": " + e, Errno.EIO)));
        }
        return out;
    }

    /**
     * {@link #createAll(List)}, then {@code inside} run by the creating
     * thread right after each creation, while it is still inside (no setns):
     * e.g. open an Rtnl and send that namespace's pipelined requests.
     * {@code inside} is not run for a namespace whose creation failed.
     * The threads end when this returns; the same rules as for tasks apply.
     */
    public static <T, E extends Exception> List<NsOutcome<T>> createAll(List<String> names, NsFunction<T, E> inside) {
        try {
            prepareRunDir("netns add");
        } catch (NetNsException e) {
            List<NsOutcome<T>> out = new ArrayList<>();
            for (String n : names) out.add(NsOutcome.failed(n, e));
            return out;
        }
        return NsBatch.spread(names, "netns-add-", name -> {
            String o = "netns add " + name;
            NsName.check("netns add", name);
            unshareAndBind(o, reserve(o, name));
        }, inside);
    }

    /**
     * Runs {@code fn} inside each named namespace, using a few private
     * threads (one per core at most) that setns from one namespace to the
     * next: no thread start per namespace. Returns one outcome per name, in
     * order. The threads end when this returns, so none stays anywhere.
     */
    public static <T, E extends Exception> List<NsOutcome<T>> inEach(List<String> names, NsFunction<T, E> fn) {
        return NsBatch.spread(names, "netns-each-", name -> {
            NsName.check("netns", name);
            Path file = RUN_DIR.resolve(name);
            int f;
            try {
                f = LibC.open(file.toString(), LibC.O_RDONLY, 0);
            } catch (ErrnoException e) {
                if (e.is(Errno.ENOENT)) throw new NetNsException("netns " + name + ": no such namespace", Errno.ENOENT);
                throw NetNsException.of("netns " + name + ": cannot open " + file, e);
            }
            try {
                LibC.setns(f, LibC.CLONE_NEWNET);
            } catch (ErrnoException e) {
                throw NetNsException.of("netns " + name + ": cannot enter", e);
            } finally {
                try { LibC.close(f); } catch (ErrnoException ignored) { /* nothing to do */ }
            }
        }, fn);
    }

    /** Like {@code ip netns del}: detach the bind mount, remove the file. The namespace dies with its last user. */
    public static void delete(String name) throws NetNsException {
        String op = "netns del " + name;
        NsName.check("netns del", name);
        Path file = RUN_DIR.resolve(name);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) throw new NetNsException(op + ": no such namespace", Errno.ENOENT);
        try {
            LibC.umount2(file.toString(), LibC.MNT_DETACH);
        } catch (ErrnoException e) {
            // EINVAL: not a mount point (a stale file); iproute2 removes it all the same.
        }
        try {
            Files.delete(file);
        } catch (NoSuchFileException e) {
            throw new NetNsException(op + ": no such namespace", Errno.ENOENT);
        } catch (IOException e) {
            throw NetNsException.of(op + ": cannot remove " + file, e);
        }
    }

    /** Deletes each name; returns, per name, its error if any. */
    public static List<Optional<NetNsException>> deleteAll(List<String> names) {
        List<Optional<NetNsException>> out = new ArrayList<>(names.size());
        for (String n : names) {
            try {
                delete(n);
                out.add(Optional.empty());
            } catch (NetNsException e) {
                out.add(Optional.of(e));
            }
        }
        return out;
    }

    /** Names under /run/netns, sorted; empty when the directory does not exist. */
    public static List<String> list() throws NetNsException {
        if (!Files.isDirectory(RUN_DIR)) return List.of();
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> d = Files.newDirectoryStream(RUN_DIR)) {
            for (Path p : d) names.add(p.getFileName().toString());
        } catch (IOException e) {
            throw NetNsException.of("netns list: cannot read " + RUN_DIR, e);
        }
        names.sort(null);
        return names;
    }

    /**
     * {@link #list()} with each namespace's id as seen from the calling
     * thread's namespace, like {@code ip netns list} prints "ns1 (id: 0)".
     * One netlink socket for all of them. A name that cannot be opened (a
     * stale file) is listed without an id.
     */
    public static SequencedMap<String, OptionalInt> listWithIds() throws NetNsException {
        SequencedMap<String, OptionalInt> out = new LinkedHashMap<>();
        List<String> names = list();
        if (names.isEmpty()) return out;
        try (NlSocket s = NlSocket.open(Netlink.NETLINK_ROUTE)) {
            for (String n : names) {
                OptionalInt id = OptionalInt.empty();
                try (NetNs ns = open(n)) {
                    id = NsIds.get(s, ns);
                } catch (NetNsException e) {
                    // Not a namespace (stale file, removed meanwhile): no id, as ip shows it.
                }
                out.put(n, id);
            }
        } catch (ErrnoException e) {
            throw NetNsException.of("netns list: rtnetlink socket", e);
        }
        return out;
    }

    /** Whether /run/netns/NAME exists (false for a name that could not be one). */
    public static boolean exists(String name) {
        try {
            NsName.check("netns", name);
        } catch (NetNsException e) {
            return false;
        }
        return Files.exists(RUN_DIR.resolve(name), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * The name of the persistent namespace process {@code pid} is in, like
     * {@code ip netns identify}: /proc/PID/ns/net compared (dev, inode) with
     * each file under /run/netns. Empty if it is in none of them.
     */
    public static Optional<String> identify(long pid) throws NetNsException {
        List<String> all = identifyAll(pid);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /** Every name under /run/netns bound to the namespace of {@code pid} (one namespace can have several), sorted. */
    public static List<String> identifyAll(long pid) throws NetNsException {
        NsInode target;
        try {
            target = NsInode.of(Path.of("/proc", Long.toString(pid), "ns", "net"));
        } catch (NoSuchFileException e) {
            throw new NetNsException("netns identify " + pid + ": no such process", Errno.ESRCH);
        } catch (IOException e) {
            throw NetNsException.of("netns identify " + pid, e);
        }
        List<String> out = new ArrayList<>();
        for (String n : list()) {
            try {
                if (NsInode.of(RUN_DIR.resolve(n)).equals(target)) out.add(n);
            } catch (IOException e) {
                // Deleted meanwhile or unreadable: not a match.
            }
        }
        return out;
    }

    /** The processes whose network namespace is {@code name}, like {@code ip netns pids}, sorted. */
    public static List<Long> pids(String name) throws NetNsException {
        NsName.check("netns pids", name);
        NsInode target;
        try {
            target = NsInode.of(RUN_DIR.resolve(name));
        } catch (NoSuchFileException e) {
            throw new NetNsException("netns pids " + name + ": no such namespace", Errno.ENOENT);
        } catch (IOException e) {
            throw NetNsException.of("netns pids " + name, e);
        }
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> d = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path p : d) {
                String f = p.getFileName().toString();
                if (f.isEmpty() || !f.chars().allMatch(Character::isDigit)) continue;
                try {
                    if (NsInode.of(p.resolve("ns/net")).equals(target)) out.add(Long.parseLong(f));
                } catch (IOException e) {
                    // Exited meanwhile, or a kernel thread: skip, as iproute2 does.
                }
            }
        } catch (IOException e) {
            throw NetNsException.of("netns pids " + name + ": cannot read /proc", e);
        }
        out.sort(null);
        return out;
    }

    // ------------------------------------------------------------------ handles

    /** Opens the persistent namespace {@code name}. */
    public static NetNs open(String name) throws NetNsException {
        NsName.check("netns", name);
        Path file = RUN_DIR.resolve(name);
        try {
            return new NetNs(Optional.of(name), file, new Fd(LibC.open(file.toString(), LibC.O_RDONLY, 0)), null);
        } catch (ErrnoException e) {
            if (e.is(Errno.ENOENT)) throw new NetNsException("netns " + name + ": no such namespace", Errno.ENOENT);
            throw NetNsException.of("netns " + name + ": cannot open " + file, e);
        }
    }

    /** Opens the network namespace of process {@code pid}. */
    public static NetNs openPid(long pid) throws NetNsException {
        Path file = Path.of("/proc", Long.toString(pid), "ns", "net");
        try {
            return new NetNs(Optional.empty(), file, new Fd(LibC.open(file.toString(), LibC.O_RDONLY, 0)), null);
        } catch (ErrnoException e) {
            if (e.is(Errno.ENOENT)) throw new NetNsException("netns of pid " + pid + ": no such process", Errno.ESRCH);
            throw NetNsException.of("netns of pid " + pid + ": cannot open " + file, e);
        }
    }

    /** Opens the namespace file at {@code path} (a /run/netns entry, /proc/PID/ns/net, a bind mount elsewhere). */
    public static NetNs openPath(Path path) throws NetNsException {
        try {
            return new NetNs(Optional.empty(), path, new Fd(LibC.open(path.toString(), LibC.O_RDONLY, 0)), null);
        } catch (ErrnoException e) {
            if (e.is(Errno.ENOENT)) throw new NetNsException("netns " + path + ": no such namespace file", Errno.ENOENT);
            throw NetNsException.of("netns " + path + ": cannot open", e);
        }
    }

    /** Opens the calling thread's own network namespace. */
    public static NetNs current() throws NetNsException {
        try {
            Fd fd = new Fd(LibC.open(THREAD_SELF_NET, LibC.O_RDONLY, 0));
            return new NetNs(Optional.empty(), Path.of("/proc/self/fd/" + fd.get()), fd, null);
        } catch (ErrnoException e) {
            throw NetNsException.of("netns: cannot open " + THREAD_SELF_NET, e);
        }
    }

    /** The persistent name, if opened by name or created. */
    public Optional<String> name() { return name; }

    /** The file it was opened from. */
    public Path path() { return path; }

    /** The namespace descriptor, e.g. for IFLA_NET_NS_FD when moving a link here. Valid until close. */
    public int fd() { return fd.get(); }

    /** dev/ino of the namespace: equal for two handles of the same namespace. */
    public NsInode inode() throws NetNsException {
        try {
            return NsInode.of(Path.of("/proc/self/fd/" + fd.get()));
        } catch (IOException e) {
            throw NetNsException.of("netns " + label, e);
        }
    }

    /** The name if it has one, else the path; used in messages. */
    public String label() { return label; }

    // ------------------------------------------------------------------ running code inside

    private synchronized NsWorker worker() throws NetNsException {
        if (closed) throw new NetNsException("netns " + label + ": handle closed", Errno.EBADF);
        if (worker == null) {
            try {
                worker = NsWorker.start(label, () -> {
                    try {
                        LibC.setns(fd.get(), LibC.CLONE_NEWNET);
                    } catch (ErrnoException e) {
                        throw NetNsException.of("netns " + label + ": cannot enter", e);
                    }
                });
            } catch (NetNsException e) {
                throw e;
            } catch (Exception e) {
                throw new NetNsException("netns " + label + ": " + e, Errno.EIO);
            }
        }
        return worker;
    }

    /**
     * Runs {@code task} on this handle's thread inside the namespace and
     * returns its result; its exception is rethrown unchanged. Called from
     * that thread itself (a nested call), it runs in place.
     */
    public <T, E extends Exception> T call(NsTask<T, E> task) throws E, NetNsException {
        return worker().call(task);
    }

    /** {@link #call} without a result. */
    public <E extends Exception> void run(NsAction<E> action) throws E, NetNsException {
        worker().<Void, E>call(() -> {
            action.run();
            return null;
        });
    }

    /** Queues {@code task} on this handle's thread; for pipelining work over many namespaces. */
    public <T, E extends Exception> CompletableFuture<T> submit(NsTask<T, E> task) {
        try {
            return worker().submit(task);
        } catch (NetNsException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** An Executor running on this handle's thread (for CompletableFuture.*Async). */
    public Executor executor() {
        return r -> submit(() -> {
            r.run();
            return null;
        });
    }

    /** An rtnetlink session bound to this namespace (opened on its thread; usable from any one thread after). */
    public Rtnl rtnl() throws NetNsException {
        try {
            return call(Rtnl::open);
        } catch (ErrnoException e) {
            throw NetNsException.of("netns " + label + ": rtnetlink socket", e);
        }
    }

    /** sysctl {@code key} inside this namespace, e.g. {@code net.ipv4.ip_forward} -> "0". */
    public String sysctl(String key) throws NetNsException {
        return call(() -> Sysctl.read(key, " (netns " + label + ")"));
    }

    /** Sets sysctl {@code key} inside this namespace. */
    public void sysctl(String key, String value) throws NetNsException {
        run(() -> Sysctl.write(key, value, " (netns " + label + ")"));
    }

    /** This namespace's id as seen from the calling thread's namespace (a socket opened here); empty if none. */
    public OptionalInt nsid() throws NetNsException {
        try (NlSocket s = NlSocket.open(Netlink.NETLINK_ROUTE)) {
            return NsIds.get(s, this);
        } catch (ErrnoException e) {
            throw NetNsException.of("netns id of " + label, e);
        }
    }

    /** This namespace's id as seen from {@code viewer}. */
    public OptionalInt nsidIn(NetNs viewer) throws NetNsException {
        try (Rtnl r = viewer.rtnl()) {
            return NsIds.get(r.socket(), this);
        }
    }

    /**
     * Assigns {@code nsid} to this namespace in the calling thread's namespace,
     * like {@code ip netns set NAME ID}; {@code -1} lets the kernel pick one.
     * Returns the id now assigned.
     */
    public int setNsid(int nsid) throws NetNsException {
        try (NlSocket s = NlSocket.open(Netlink.NETLINK_ROUTE)) {
            NsIds.set(s, this, nsid);
            return NsIds.get(s, this).orElseThrow(() -> new NetNsException("netns set " + label + ": no id after setting it", Errno.EIO));
        } catch (ErrnoException e) {
            throw NetNsException.of("netns set " + label + " " + nsid, e);
        }
    }

    /** Assigns {@code nsid} to this namespace as seen from {@code viewer}; returns the id assigned. */
    public int setNsidIn(NetNs viewer, int nsid) throws NetNsException {
        try (Rtnl r = viewer.rtnl()) {
            NsIds.set(r.socket(), this, nsid);
            return NsIds.get(r.socket(), this).orElseThrow(() -> new NetNsException("netns set " + label + ": no id after setting it", Errno.EIO));
        }
    }

    /**
     * Starts {@code pb} inside this namespace with {@code ip netns exec}
     * semantics ({@link ExecOptions#forName} for a named handle).
     */
    public Process start(ProcessBuilder pb) throws NetNsException {
        return start(pb, name.map(ExecOptions::forName).orElse(ExecOptions.unnamed()));
    }

    /** Starts {@code cmd} inside this namespace, stdin/stdout/stderr inherited (an interactive shell works). */
    public Process start(List<String> cmd) throws NetNsException {
        return start(new ProcessBuilder(cmd).inheritIO());
    }

    /**
     * Starts {@code pb} from a fresh private platform thread that entered this
     * namespace, unshared its mount namespace, made / a slave, remounted /sys
     * and bound the /etc overlay: the child, spawned by that thread with
     * posix_spawn, is born with that view. The thread then ends. Honoured from
     * {@code pb}: command, environment, directory, the three redirects and
     * redirectErrorStream. Redirect files are opened before entering, so their
     * paths mean what they mean to the caller.
     */
    public Process start(ProcessBuilder pb, ExecOptions opts) throws NetNsException {
        String op = "netns exec " + label;
        if (pb.command().isEmpty()) throw new NetNsException(op + ": empty command", Errno.EINVAL);
        synchronized (this) {
            if (closed) throw new NetNsException("netns " + label + ": handle closed", Errno.EBADF);
        }
        int nsFd = fd();
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = Thread.ofPlatform().daemon(true).name("netns-exec-" + label).start(() -> {
            try {
                result.set(NsExec.spawn(op, pb, () -> NsExec.enter(nsFd, label, opts)));
            } catch (Throwable e) {
                result.set(e);
            }
        });
        joinUninterruptibly(t);
        Object r = result.get();
        if (r instanceof Process p) return p;
        if (r instanceof NetNsException e) throw e;
        if (r instanceof RuntimeException e) throw e;
        if (r instanceof Error e) throw e;
        throw new NetNsException(op + ": " + r, Errno.EIO);
    }

    /**
     * A prepared exec environment of this namespace for many fast starts
     * (see {@link NsStarter}), with {@code ip netns exec}'s options for a
     * named handle.
     */
    public NsStarter starter() throws NetNsException {
        return starter(name.map(ExecOptions::forName).orElse(ExecOptions.unnamed()));
    }

    /** {@link #starter()} with explicit options. Close it when done; it does not close with the handle. */
    public NsStarter starter(ExecOptions opts) throws NetNsException {
        synchronized (this) {
            if (closed) throw new NetNsException("netns " + label + ": handle closed", Errno.EBADF);
        }
        int nsFd = fd();
        try {
            return new NsStarter(NsWorker.start("exec-" + label, () -> NsExec.enter(nsFd, label, opts)), label);
        } catch (NetNsException e) {
            throw e;
        } catch (Exception e) {
            throw new NetNsException("netns exec " + label + ": " + e, Errno.EIO);
        }
    }

    /** Ends the thread (after queued tasks) and closes the descriptor. Idempotent. */
    @Override public void close() {
        NsWorker w;
        synchronized (this) {
            if (closed) return;
            closed = true;
            w = worker;
        }
        if (w != null) w.close();
        fd.close();
    }

    @Override public String toString() { return "NetNs[" + label + "]"; }

    // ------------------------------------------------------------------ internals

    /** mkdir /run/netns; make it a shared mount so bind mounts propagate to mount namespaces made later. */
    static void prepareRunDir(String op) throws NetNsException {
        try {
            if (!Files.isDirectory(RUN_DIR)) {
                Files.createDirectories(RUN_DIR, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            }
        } catch (IOException e) {
            throw NetNsException.of(op + ": cannot create " + RUN_DIR, e);
        }
        String dir = RUN_DIR.toString();
        boolean bound = false;
        for (;;) {
            try {
                LibC.mount("", dir, "none", LibC.MS_SHARED | LibC.MS_REC, null);
                return;
            } catch (ErrnoException e) {
                // EINVAL: not a mount point yet; bind it on itself once, then it is one.
                if (!e.is(Errno.EINVAL) || bound) throw NetNsException.of(op + ": cannot make " + dir + " a shared mount", e);
            }
            try {
                LibC.mount(dir, dir, "none", LibC.MS_BIND | LibC.MS_REC, null);
                bound = true;
            } catch (ErrnoException e) {
                throw NetNsException.of(op + ": cannot bind " + dir + " on itself", e);
            }
        }
    }

    /** Creates the empty file /run/netns/NAME (O_EXCL): the name is taken before the namespace exists. */
    static Path reserve(String op, String name) throws NetNsException {
        Path file = RUN_DIR.resolve(name);
        try {
            LibC.close(LibC.open(file.toString(), LibC.O_RDONLY | LibC.O_CREAT | LibC.O_EXCL, 0));
        } catch (ErrnoException e) {
            if (e.is(Errno.EEXIST)) throw new NetNsException(op + ": namespace already exists (" + file + ")", Errno.EEXIST);
            throw NetNsException.of(op + ": cannot create " + file, e);
        }
        return file;
    }

    /** On the calling (private, platform) thread: a new namespace, bound onto {@code file}; undone on failure. */
    static void unshareAndBind(String op, Path file) throws NetNsException {
        try {
            LibC.unshare(LibC.CLONE_NEWNET);
        } catch (ErrnoException e) {
            removeQuietly(file);
            throw NetNsException.of(op + ": cannot create a network namespace", e);
        }
        try {
            LibC.mount(THREAD_SELF_NET, file.toString(), "none", LibC.MS_BIND, null);
        } catch (ErrnoException e) {
            removeQuietly(file);
            throw NetNsException.of(op + ": cannot bind the namespace onto " + file, e);
        }
    }

    private static void removeQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // The original failure is what the caller needs to see.
        }
    }

    static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        for (;;) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
