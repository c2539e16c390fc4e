package io.nslab.netlink.netns;

import io.nslab.netlink.NlSocket;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.sys.Fd;
import io.nslab.netlink.sys.LibC;
import io.nslab.netlink.wire.Netlink;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SequencedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A network namespace handle: an O_RDONLY|O_CLOEXEC descriptor of the
 * namespace that runs code and processes inside it. The persistent namespaces
 * under /run/netns are {@link NetNsRegistry}'s; the static methods of the same
 * names here delegate to it.
 *
 * <p>Code runs on the handle's own platform thread, started on first use,
 * which setns()'d into the namespace once and never leaves it; tasks run on it
 * one after another. Closing the handle ends that thread. A task must not
 * start threads or use shared pools (a new thread inherits the namespace of
 * the thread that creates it) and must not call setns/unshare itself.
 */
public final class NetNs implements AutoCloseable {
    /** Where iproute2 keeps named namespaces: {@link NetNsRegistry#RUN_DIR}. */
    public static final Path RUN_DIR = NetNsRegistry.RUN_DIR;
    /** Per-namespace files bound over /etc by {@code ip netns exec}: {@link NetNsRegistry#ETC_DIR}. */
    public static final Path ETC_DIR = NetNsRegistry.ETC_DIR;

    static final String THREAD_SELF_NET = "/proc/thread-self/ns/net";

    private final Optional<String> name;
    private final Path path;
    private final Fd fd;
    private final String label;
    private NsWorker worker; // guarded by this; started on first use
    private boolean closed;  // guarded by this

    NetNs(Optional<String> name, Path path, Fd fd, NsWorker worker) {
        this.name = name;
        this.path = path;
        this.fd = fd;
        this.worker = worker;
        this.label = name.orElse(path.toString());
    }

    // ------------------------------------------------------------------ persistent namespaces (see NetNsRegistry)

    /** {@link NetNsRegistry#create}: like {@code ip netns add}. */
    public static void create(String name) throws NetNsException { NetNsRegistry.create(name); }

    /** {@link NetNsRegistry#createOpen}: creates {@code name} and returns a handle whose thread is inside already. */
    public static NetNs createOpen(String name) throws NetNsException { return NetNsRegistry.createOpen(name); }

    /** {@link NetNsRegistry#attach}: like {@code ip netns attach NAME PID}. */
    public static void attach(String name, long pid) throws NetNsException { NetNsRegistry.attach(name, pid); }

    /** {@link NetNsRegistry#createAll(List)}: many namespaces, spread over the cores. */
    public static List<Optional<NetNsException>> createAll(List<String> names) { return NetNsRegistry.createAll(names); }

    /** {@link NetNsRegistry#createAll(List, NsFunction)}: many namespaces, {@code inside} run in each right after its creation. */
    public static <T, E extends Exception> List<NsOutcome<T>> createAll(List<String> names, NsFunction<T, E> inside) {
        return NetNsRegistry.createAll(names, inside);
    }

    /** {@link NetNsRegistry#delete}: like {@code ip netns del}. */
    public static void delete(String name) throws NetNsException { NetNsRegistry.delete(name); }

    /** {@link NetNsRegistry#deleteAll}. */
    public static List<Optional<NetNsException>> deleteAll(List<String> names) { return NetNsRegistry.deleteAll(names); }

    /** {@link NetNsRegistry#list}: names under /run/netns, sorted. */
    public static List<String> list() throws NetNsException { return NetNsRegistry.list(); }

    /** {@link NetNsRegistry#listWithIds}: like {@code ip netns list}. */
    public static SequencedMap<String, OptionalInt> listWithIds() throws NetNsException { return NetNsRegistry.listWithIds(); }

    /** {@link NetNsRegistry#exists}. */
    public static boolean exists(String name) { return NetNsRegistry.exists(name); }

    /** {@link NetNsRegistry#identify}: like {@code ip netns identify}. */
    public static Optional<String> identify(long pid) throws NetNsException { return NetNsRegistry.identify(pid); }

    /** {@link NetNsRegistry#identifyAll}. */
    public static List<String> identifyAll(long pid) throws NetNsException { return NetNsRegistry.identifyAll(pid); }

    /** {@link NetNsRegistry#pids}: like {@code ip netns pids}. */
    public static List<Long> pids(String name) throws NetNsException { return NetNsRegistry.pids(name); }

    // ------------------------------------------------------------------ running code in many namespaces

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
     * Runs {@code fn} inside each named namespace, using a few private
     * threads (one per core at most) that setns from one namespace to the
     * next: no thread start per namespace. Returns one outcome per name, in
     * order. The threads end when this returns, so none stays anywhere.
     */
    public static <T, E extends Exception> List<NsOutcome<T>> inEach(List<String> names, NsFunction<T, E> fn) {
        return NsBatch.spread(names, "netns-each-", NetNs::enterByName, fn);
    }

    /**
     * {@link #inEach} on up to {@code threads} threads, for work that mostly waits (probes, timeouts): a name
     * may appear more than once (its work split in parts); each thread takes the next name when done.
     */
    public static <T, E extends Exception> List<NsOutcome<T>> inEach(List<String> names, int threads, NsFunction<T, E> fn) {
        return NsBatch.spread(names, threads, "netns-each-", NetNs::enterByName, fn);
    }

    private static void enterByName(String name) throws NetNsException {
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
     * Runs {@code task} on a fresh private platform thread that entered this namespace as
     * {@code ip netns exec} and {@code ip -n} do: its own mount namespace with /sys mounted again, so
     * /sys/class/net lists this namespace's devices (what only sysfs tells, such as a tun device's
     * flags). The thread ends after; its exception is rethrown unchanged.
     */
    public <T, E extends Exception> T callWithSysfs(NsTask<T, E> task) throws E, NetNsException {
        synchronized (this) {
            if (closed) throw new NetNsException("netns " + label + ": handle closed", Errno.EBADF);
        }
        int nsFd = fd();
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = Thread.ofPlatform().daemon(true).name("netns-sysfs-" + label).start(() -> {
            try {
                NsExec.enter(nsFd, label, ExecOptions.unnamed());
                result.set(new Object[] {task.call()});
            } catch (Throwable e) {
                result.set(e);
            }
        });
        joinUninterruptibly(t);
        Object r = result.get();
        if (r instanceof Object[] v) {
            @SuppressWarnings("unchecked") T value = (T) v[0];
            return value;
        }
        if (r instanceof NetNsException e) throw e;
        if (r instanceof RuntimeException e) throw e;
        if (r instanceof Error e) throw e;
        @SuppressWarnings("unchecked") E e = (E) r;
        throw e;
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
