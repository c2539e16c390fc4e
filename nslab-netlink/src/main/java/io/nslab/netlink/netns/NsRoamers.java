package io.nslab.netlink.netns;

import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.sys.LibC;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A few private platform threads that enter namespace after namespace
 * (setns) for work spread over many namespaces: for 1000 namespaces that is
 * 1000 setns calls instead of 1000 thread starts, and two roamers keep two
 * cores busy. Unlike a {@link NetNs} handle's thread, a roamer does not stay
 * in one namespace: {@link #call} enters the one it is given first, and a
 * roamer is wherever its last call left it. Work that must stay in a
 * namespace for longer (a socket used from several threads, nft, tun/tap)
 * belongs on the handle's own thread.
 */
public final class NsRoamers implements AutoCloseable {
    private final List<ExecutorService> roamers = new ArrayList<>();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    private NsRoamers(String name, int count) {
        for (int w = 0; w < count; w++) {
            roamers.add(Executors.newSingleThreadExecutor(r -> {
                Thread t = Thread.ofPlatform().daemon(true).name(name).unstarted(r);
                threads.add(t);
                return t;
            }));
        }
    }

    /** {@code count} roamers (daemon platform threads named {@code name}), started on first use. */
    public static NsRoamers start(String name, int count) {
        if (count < 1) throw new IllegalArgumentException("roamers: " + count);
        return new NsRoamers(name, count);
    }

    /** How many roamers there are. */
    public int size() { return roamers.size(); }

    /** Whether the calling thread is one of these roamers. */
    public boolean isRoamer() { return threads.contains(Thread.currentThread()); }

    /**
     * Queues {@code task} on roamer {@code which}; it runs in no particular
     * namespace and may {@link #call} into any (in place, on that roamer).
     */
    public <T> Future<T> submit(int which, Callable<T> task) {
        return roamers.get(which).submit(task);
    }

    /**
     * Runs {@code task} inside {@code ns} and returns its result; its
     * exception is rethrown unchanged. Called from a roamer, that roamer
     * enters {@code ns} and runs it in place; from any other thread, the
     * first roamer does and the caller waits.
     */
    public <T, E extends Exception> T call(NetNs ns, NsTask<T, E> task) throws E, NetNsException {
        if (isRoamer()) {
            enter(ns);
            return task.call();
        }
        Future<T> f = roamers.get(0).submit(() -> {
            enter(ns);
            return task.call();
        });
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw NsWorker.<RuntimeException>sneaky(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetNsException("netns " + ns.label() + ": interrupted while waiting for a task in the namespace", Errno.EINTR);
        }
    }

    private static void enter(NetNs ns) throws NetNsException {
        try {
            LibC.setns(ns.fd(), LibC.CLONE_NEWNET);
        } catch (ErrnoException e) {
            throw NetNsException.of("netns " + ns.label() + ": cannot enter", e);
        }
    }

    /** Stops the roamers (queued work is dropped, running work interrupted). */
    @Override public void close() {
        for (var r : roamers) r.shutdownNow();
    }
}
