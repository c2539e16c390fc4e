package io.nslab.netlink.netns;

import io.nslab.netlink.Errno;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One platform thread that entered a namespace once (setns, or unshare when it
 * created it) and then runs every task given to it, in order, without ever
 * leaving. It is never a pool thread and never a virtual thread: setns(2)
 * changes only the calling OS thread, so the thread itself is the namespace
 * binding. When the worker stops, the thread ends; nothing is reused.
 */
final class NsWorker implements AutoCloseable {
    private abstract static class Job {
        abstract void run();
        abstract void abandon(Throwable why);
    }

    private static final Job STOP = new Job() {
        @Override void run() {}
        @Override void abandon(Throwable why) {}
    };

    private final String label;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    /** False once close() began: no new tasks. */
    private volatile boolean accepting = true;
    /** True once the loop ended: whatever is still queued is failed, not run. */
    private volatile boolean finished;

    private NsWorker(String label, NsAction<? extends Exception> enter, CompletableFuture<Void> entered) {
        this.label = label;
        this.thread = Thread.ofPlatform().daemon(true).name("netns-" + label).unstarted(() -> {
            try {
                enter.run();
            } catch (Throwable t) {
                accepting = false;
                finished = true;
                entered.completeExceptionally(t);
                return;
            }
            entered.complete(null);
            loop();
        });
    }

    /**
     * Starts the thread, runs {@code enter} first on it (it must leave the
     * thread inside the namespace), and returns once that succeeded.
     */
    static NsWorker start(String label, NsAction<? extends Exception> enter) throws Exception {
        CompletableFuture<Void> entered = new CompletableFuture<>();
        NsWorker w = new NsWorker(label, enter, entered);
        w.thread.start();
        try {
            entered.get();
        } catch (ExecutionException e) {
            w.thread.join();
            if (e.getCause() instanceof Exception x) throw x;
            if (e.getCause() instanceof Error x) throw x;
            throw e;
        } catch (InterruptedException e) {
            // The thread goes on entering; make sure it stops right after.
            w.close();
            Thread.currentThread().interrupt();
            throw new NetNsException(label + ": interrupted while entering the namespace", Errno.EINTR);
        }
        return w;
    }

    private void loop() {
        try {
            for (;;) {
                Job j = queue.take();
                if (j == STOP) break;
                j.run();
            }
        } catch (InterruptedException e) {
            // Interrupted from outside: stop serving, fail what is queued.
        } finally {
            accepting = false;
            finished = true;
            drain();
        }
    }

    private void drain() {
        NetNsException gone = new NetNsException(label + ": namespace handle closed", Errno.EBADF);
        for (Job j; (j = queue.poll()) != null; ) j.abandon(gone);
    }

    boolean isWorkerThread() { return Thread.currentThread() == thread; }

    <T, E extends Exception> CompletableFuture<T> submit(NsTask<T, E> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        if (!accepting) {
            f.completeExceptionally(new NetNsException(label + ": namespace handle closed", Errno.EBADF));
            return f;
        }
        queue.add(new Job() {
            @Override void run() {
                try {
                    f.complete(task.call());
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            }
            @Override void abandon(Throwable why) { f.completeExceptionally(why); }
        });
        // Raced with the end of the loop: fail it so nothing waits forever.
        if (finished) drain();
        return f;
    }

    /** Runs {@code task} on the thread and waits; the task's own exception is rethrown as is. */
    <T, E extends Exception> T call(NsTask<T, E> task) throws E, NetNsException {
        if (isWorkerThread()) return task.call();
        CompletableFuture<T> f = submit(task);
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw NsWorker.<RuntimeException>sneaky(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetNsException(label + ": interrupted while waiting for a task in the namespace", Errno.EINTR);
        }
    }

    /**
     * Rethrows {@code t} unchanged. Sound here: a task can only throw its
     * declared {@code E} or an unchecked exception, and that is what call declares.
     */
    @SuppressWarnings("unchecked")
    static <X extends Throwable> X sneaky(Throwable t) throws X {
        throw (X) t;
    }

    /** Stops after the tasks already queued and waits for the thread to end (unless called from it). */
    @Override public synchronized void close() {
        if (!accepting && finished) return;
        if (accepting) {
            accepting = false;
            queue.add(STOP);
        }
        if (!isWorkerThread()) NetNs.joinUninterruptibly(thread);
    }
}
