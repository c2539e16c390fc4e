package io.nslab.cli.run;

import io.nslab.cli.CliException;
import io.nslab.cli.ip.IpCommand.NetnsAdd;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.netns.NetNsException;
import io.nslab.netlink.Errno;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The batch's second core: a thread that creates the namespaces of upcoming
 * {@code netns add} lines (and opens their rtnetlink sockets, from inside)
 * while the main thread configures the earlier ones. Only names no earlier
 * line mentions are created ahead, at most {@link #WINDOW} ahead of the main
 * thread. The main thread takes each result at its own line, so errors are
 * reported in file order; namespaces made ahead but never reached (the batch
 * stopped on an error) are deleted again.
 */
final class NsPrefetch {
    static final int WINDOW = 32;

    private record Made(NetNs handle, NsSession session, Exception error) {}

    private final Map<String, CompletableFuture<Made>> ahead = new HashMap<>();
    private final Set<String> taken = new HashSet<>();
    /** How many made-ahead namespaces the main thread has taken; creating threads stay within WINDOW of it. */
    private int takenCount; // guarded by this
    private volatile boolean closed;
    private final List<Thread> threads = new ArrayList<>();
    /** Creating threads: namespace creation (unshare + bind mount) runs in parallel in the kernel. */
    static final int THREADS = Math.max(1, Integer.getInteger("nslab.prefetchThreads", 2));

    NsPrefetch(List<IpRunner.Parsed> lines, Executor x) {
        Set<String> mentioned = new HashSet<>();
        List<String> order = new ArrayList<>();
        for (IpRunner.Parsed p : lines) {
            if (p.command() instanceof NetnsAdd a && !mentioned.contains(a.name()) && !ahead.containsKey(a.name())) {
                order.add(a.name());
                ahead.put(a.name(), new CompletableFuture<>());
            }
            p.line().netns().ifPresent(mentioned::add);
            mentioned.addAll(p.line().words());
        }
        if (order.size() < 2) {
            ahead.clear();
            return;
        }
        for (int k = 0; k < THREADS; k++) {
            int first = k;
            threads.add(Thread.ofPlatform().daemon(true).name("nslab-netns-ahead-" + k).start(() -> {
                for (int i = first; i < order.size(); i += THREADS) {
                    String name = order.get(i);
                    if (!awaitWindow(i)) break;
                    make(name, ahead.get(name));
                }
            }));
        }
    }

    private synchronized boolean awaitWindow(int i) {
        while (!closed && i >= takenCount + WINDOW) {
            try {
                wait();
            } catch (InterruptedException e) {
                return false;
            }
        }
        return !closed;
    }

    private static void make(String name, CompletableFuture<Made> f) {
        try {
            NetNs h = NetNs.createOpen(name);
            NsSession s = new NsSession(Optional.of(name), Optional.of(h), Optional.empty());
            try {
                s.markFresh("netns add " + name);
                f.complete(new Made(h, s, null));
            } catch (CliException e) {
                f.complete(new Made(h, s, e));
            }
        } catch (NetNsException e) {
            f.complete(new Made(null, null, e));
        } catch (RuntimeException e) {
            f.complete(new Made(null, null, new NetNsException("netns add " + name + ": " + e, Errno.EIO)));
        }
    }

    boolean has(String name) {
        return ahead.containsKey(name) && !taken.contains(name);
    }

    /** The main thread reached {@code netns add NAME}: adopt what was made ahead, or report its error. */
    void take(NetnsAdd a, Sessions sessions) throws CliException {
        taken.add(a.name());
        synchronized (this) {
            takenCount++;
            notifyAll();
        }
        Made m = ahead.get(a.name()).join();
        if (m.error() instanceof NetNsException e) throw CliException.failed(NetnsOps.message(a.text(), e));
        if (m.error() instanceof CliException e) {
            sessions.adopt(a.name(), m.session());
            throw e;
        }
        sessions.adopt(a.name(), m.session());
    }

    /** Stops the thread; deletes namespaces made ahead that no line reached. */
    void close(boolean stoppedEarly) {
        if (threads.isEmpty()) return;
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (var e : ahead.entrySet()) {
            if (taken.contains(e.getKey()) || !e.getValue().isDone()) continue;
            Made m = e.getValue().join();
            if (m.handle() == null) continue;
            if (m.session() != null) m.session().close();
            else m.handle().close();
            try {
                NetNs.delete(e.getKey());
            } catch (NetNsException ignored) {
                // best effort: it was never part of the user's result
            }
        }
    }
}
