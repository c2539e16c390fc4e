package io.nslab.netlink.netns;

import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.sys.LibC;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Starts many processes in many namespaces, each with {@code ip netns exec}'s view (its own /sys, the
 * namespace's /etc/netns/NAME files over /etc), at a cost that does not grow with the number of namespaces:
 * <ul>
 *   <li>each process's mount namespace is copied from one {@link MountBase base} made at {@link #open}
 *       (the host's mounts without nsfs ones), not from the host's table: a few dozen mounts, not one per
 *       namespace on the machine. The price: namespace files such as /run/netns/* are not mounted in the
 *       process's view (ip netns exec inside it cannot enter them; the file names are still listed);</li>
 *   <li>starts run on a few platform threads of this spawner, reused (each start moves its thread back to
 *       the base, then into the node), not on a new thread per process.</li>
 * </ul>
 * A process started with no directory runs in this JVM's working directory (as with {@link NetNs#start}).
 * Its {@link Process} holds no pidfd (waitFor polls): every later start copies the JVM's descriptor table
 * into the child and closes it there, so a thousand pidfds would make each start slower than the one before.
 * Close when done: the threads end (they hold the last namespaces they entered), the base goes with the
 * processes still using copies of it.
 */
public final class NsSpawner implements AutoCloseable {
    /** A started process and what {@code inside} returned (run in the node's network namespace before the spawn). */
    public record Spawned<T>(Process process, T inside) {}

    private final MountBase.Base base;
    private final ExecutorService threads;
    /** Per thread: whether it has its own fs_struct yet (setns to a mount namespace needs one). */
    private static final ThreadLocal<Boolean> OWN_FS = ThreadLocal.withInitial(() -> false);

    private NsSpawner(MountBase.Base base, int threads) {
        this.base = base;
        this.threads = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon(true).name("netns-spawn-", 0).factory());
    }

    /** Prepares the base mount namespace; {@code threads} starts at a time. */
    public static NsSpawner open(int threads) throws NetNsException {
        return new NsSpawner(MountBase.create(), Math.max(1, threads));
    }

    /**
     * Starts {@code pb} in {@code ns} with {@code opts} (see {@link NetNs#start(ProcessBuilder, ExecOptions)} for
     * what of {@code pb} is honoured); {@code inside} runs first on the same thread, in the namespace (e.g. to
     * open a socket there). Blocks until the process runs or the start failed.
     */
    public <T, E extends Exception> Spawned<T> start(NetNs ns, ProcessBuilder pb, ExecOptions opts, NsTask<T, E> inside) throws NetNsException, E {
        String op = "netns exec " + ns.label();
        if (pb.command().isEmpty()) throw new NetNsException(op + ": empty command", Errno.EINVAL);
        int nsFd = ns.fd();
        Object[] in = new Object[1];
        CompletableFuture<Process> f;
        try {
            f = CompletableFuture.supplyAsync(() -> {
                try {
                    fromBase(op); // first: the redirect files are opened in the base's view
                    return NsExec.spawn(op, pb, () -> {
                        NsExec.enterFromBase(nsFd, ns.label(), opts, base.sysReadOnly());
                        try {
                            in[0] = inside.call();
                        } catch (Exception e) {
                            throw new Failed(e); // nothing spawned
                        }
                    }, System.getProperty("user.dir"), false);
                } catch (NetNsException e) {
                    throw new Failed(e);
                }
            }, threads);
        } catch (RejectedExecutionException e) {
            throw new NetNsException(op + ": spawner closed", Errno.EBADF);
        }
        try {
            Process p = f.get();
            @SuppressWarnings("unchecked") T t = (T) in[0];
            return new Spawned<>(p, t);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Failed x) {
                if (x.getCause() instanceof NetNsException n) throw n;
                @SuppressWarnings("unchecked") E cause = (E) x.getCause();
                throw cause;
            }
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error r) throw r;
            throw new NetNsException(op + ": " + e.getCause(), Errno.EIO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetNsException(op + ": interrupted", Errno.EINTR);
        }
    }

    /** Moves the calling spawner thread into the base mount namespace (its cwd and root become the base's /). */
    private void fromBase(String op) throws NetNsException {
        try {
            if (!OWN_FS.get()) {
                LibC.unshare(LibC.CLONE_FS);
                OWN_FS.set(true);
            }
            LibC.setns(base.fd().get(), LibC.CLONE_NEWNS);
        } catch (ErrnoException e) {
            throw NetNsException.of(op + ": cannot enter the base mount namespace", e);
        }
    }

    /** A checked failure carried out of the spawner thread unchanged. */
    private static final class Failed extends RuntimeException {
        Failed(Exception cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    @Override public void close() {
        threads.shutdown();
        try {
            threads.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        base.fd().close();
    }
}
