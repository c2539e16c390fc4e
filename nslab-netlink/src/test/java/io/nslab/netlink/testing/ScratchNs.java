package io.nslab.netlink.testing;

import io.nslab.netlink.sys.LibC;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A throwaway anonymous network namespace for one test: a private platform
 * thread unshares it and runs everything the test does inside it. The
 * namespace dies with the thread (and with any socket opened in it).
 */
public final class ScratchNs implements AutoCloseable {
    public interface Task<T> { T call() throws Exception; }
    public interface Action { void run() throws Exception; }

    private final ExecutorService thread =
            Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("scratch-ns").unstarted(r));
    private final String path;

    private ScratchNs() throws Exception {
        this.path = get(() -> {
            LibC.unshare(LibC.CLONE_NEWNET);
            return "/proc/" + ProcessHandle.current().pid() + "/task/" + LibC.gettid() + "/ns/net";
        });
    }

    public static ScratchNs create() throws Exception { return new ScratchNs(); }

    /** /proc path of the namespace, for an observer: {@code nsenter --net=PATH ip -j ...}. */
    public String path() { return path; }

    public <T> T call(Task<T> t) throws Exception { return get(t); }

    public void run(Action a) throws Exception { get(() -> { a.run(); return null; }); }

    private <T> T get(Task<T> t) throws Exception {
        Future<T> f = thread.submit((Callable<T>) t::call);
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) throw x;
            throw e;
        }
    }

    @Override public void close() { thread.shutdownNow(); }
}
