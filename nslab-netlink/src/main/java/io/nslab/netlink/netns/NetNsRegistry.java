package io.nslab.netlink.netns;

import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.NlSocket;
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
import java.util.concurrent.atomic.AtomicReference;

/**
 * The persistent network namespaces under /run/netns, managed exactly as
 * {@code ip netns} does (so iproute2 sees nslab's and nslab sees iproute2's):
 * create (an empty file, a new namespace bound onto it, /run/netns a shared
 * mount), attach, list, identify, pids, delete. Opening one and running code
 * inside it is {@link NetNs}'s.
 */
public final class NetNsRegistry {
    /** Where iproute2 keeps named namespaces (/var/run/netns is a link to it). */
    public static final Path RUN_DIR = Path.of("/run/netns");
    /** Per-namespace files bound over /etc by {@code ip netns exec}. */
    public static final Path ETC_DIR = Path.of("/etc/netns");

    private NetNsRegistry() {}

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
        NetNs.joinUninterruptibly(t);
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
                    fd.set(new Fd(LibC.open(NetNs.THREAD_SELF_NET, LibC.O_RDONLY, 0)));
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
                try (NetNs ns = NetNs.open(n)) {
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
            LibC.mount(NetNs.THREAD_SELF_NET, file.toString(), "none", LibC.MS_BIND, null);
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

}
