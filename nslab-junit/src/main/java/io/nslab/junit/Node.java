package io.nslab.junit;

import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.netns.NetNsException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A node of a {@link Lab}: a network namespace, and Java code or processes run inside it.
 *
 * <p>{@link #call}, {@link #run} and {@link #start} run the code on a new platform thread born inside the
 * namespace (setns(2) binds one OS thread, and a thread inherits its creator's namespace). Sockets it opens stay in
 * the namespace for their whole life, wherever they are used from later; threads it starts are born there too.
 * Virtual threads and shared pools (the common ForkJoinPool, an executor made elsewhere) run on carrier threads
 * outside it: open sockets on the node's thread, or give the code an executor it makes itself.
 */
public final class Node {
    /** Code to run in a node that returns nothing. */
    @FunctionalInterface
    public interface Task {
        void run() throws Exception;
    }

    private final Lab lab;
    private final String name;
    private final String namespace;
    private NetNs ns;                                    // guarded by this; opened on first use
    private final List<Thread> threads = new ArrayList<>();      // guarded by this
    private final List<Process> processes = new ArrayList<>();   // guarded by this
    private boolean closed;                              // guarded by this

    Node(Lab lab, String name, String namespace) {
        this.lab = lab;
        this.name = name;
        this.namespace = namespace;
    }

    /** The node's name in the lab file. */
    public String name() { return name; }

    /** Its namespace under /run/netns ({@code INSTANCE.NODE}): {@code ip -n NAMESPACE ...} sees it. */
    public String namespace() { return namespace; }

    /** The first address the lab file gives this node. */
    public InetAddress address() {
        List<InetAddress> all = lab.topology().addresses(name);
        if (all.isEmpty()) throw new IllegalStateException("node " + name + " of lab " + lab.name() + " has no address");
        return all.get(0);
    }

    /** The first address the lab file gives interface {@code ifname} of this node. */
    public InetAddress address(String ifname) {
        if (!lab.topology().hasIface(name, ifname))
            throw new IllegalArgumentException("node " + name + " of lab " + lab.name() + " has no interface " + ifname);
        List<InetAddress> all = lab.topology().addresses(name, ifname);
        if (all.isEmpty()) throw new IllegalStateException("interface " + name + ":" + ifname + " of lab " + lab.name() + " has no address");
        return all.get(0);
    }

    /** Runs {@code task} inside the node and returns its result; its exception is rethrown as it is. */
    public <T> T call(Callable<T> task) throws Exception {
        CompletableFuture<T> f = start(task);
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) throw x;
            if (e.getCause() instanceof Error x) throw x;
            throw e;
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        }
    }

    /** {@link #call} without a result. */
    public void run(Task task) throws Exception {
        call(() -> {
            task.run();
            return null;
        });
    }

    /**
     * Starts {@code task} inside the node on a thread of its own and returns at once (a server, a client loop).
     * Cancelling the future interrupts the thread; the lab's teardown interrupts what is still running.
     */
    public <T> CompletableFuture<T> start(Callable<T> task) {
        CompletableFuture<Thread> holder = new CompletableFuture<>();
        CompletableFuture<T> result = new CompletableFuture<>() {
            @Override public boolean cancel(boolean interrupt) {
                boolean c = super.cancel(interrupt);
                if (interrupt) holder.thenAccept(Thread::interrupt);
                return c;
            }
        };
        Thread t = Thread.ofPlatform().daemon(true).name(namespace + "-task").unstarted(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        try {
            handle().run(t::start);                      // started by the namespace's own thread: born inside it
        } catch (NetNsException e) {
            result.completeExceptionally(e);
            return result;
        }
        holder.complete(t);
        synchronized (this) {
            threads.removeIf(x -> !x.isAlive());
            threads.add(t);
        }
        return result;
    }

    /**
     * Runs a program inside the node to its end, as {@code ip netns exec} would (its own /sys, the node's
     * /etc/netns overlay), and returns its status and output. No shell unless you ask for one.
     */
    public ExecResult exec(String... command) throws IOException, InterruptedException {
        Process p = spawn(command);
        p.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
        String out = drain(p.getInputStream());
        int code = p.waitFor();
        return new ExecResult(code, out, err.join());
    }

    /** Starts a program inside the node and returns it running; the lab's teardown kills it if it still runs. */
    public Process spawn(String... command) throws IOException {
        Process p = handle().start(new ProcessBuilder(command));
        synchronized (this) {
            processes.removeIf(x -> !x.isAlive());
            processes.add(p);
        }
        return p;
    }

    private static String drain(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    synchronized NetNs handle() throws NetNsException {
        if (closed) throw new IllegalStateException("lab " + lab.name() + " is torn down: node " + name + " is gone");
        if (ns == null) ns = NetNs.open(namespace);
        return ns;
    }

    /** Interrupts the node's threads, kills its processes and closes its handle: before the namespace goes. */
    void close() {
        List<Thread> ts;
        List<Process> ps;
        synchronized (this) {
            if (closed) return;
            closed = true;
            ts = List.copyOf(threads);
            ps = List.copyOf(processes);
            if (ns != null) ns.close();
        }
        for (Process p : ps) {
            try {
                if (p.isAlive()) p.descendants().forEach(ProcessHandle::destroyForcibly);
            } catch (IllegalStateException | UnsupportedOperationException exitedMeanwhile) {
                // nothing left to kill under it
            }
            p.destroyForcibly();
        }
        for (Thread t : ts) t.interrupt();
        for (Process p : ps) {
            try {
                p.waitFor(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // a thread blocked in a classic socket call (accept, read) does not see the interrupt: wait a little for
        // the others, then leave it (a daemon); the namespace is unmounted anyway and freed once its sockets close
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
        for (Thread t : ts) {
            try {
                long left = deadline - System.nanoTime();
                if (left > 0) t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override public String toString() { return "Node[" + name + " in " + namespace + "]"; }
}
