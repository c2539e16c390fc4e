package io.nslab.netlink.netns;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The batch calls' threads: a few private platform threads (one per core at
 * most), each entering one namespace after another and running the caller's
 * function there. They end when the batch returns, so none stays anywhere.
 */
final class NsBatch {
    private NsBatch() {}

    interface Enter { void enter(String name) throws NetNsException; }

    /** Splits {@code names} over private threads; each enters a namespace (by {@code enter}) and runs {@code fn} in it. */
    static <T, E extends Exception> List<NsOutcome<T>> spread(List<String> names, String threadName, Enter enter, NsFunction<T, E> fn) {
        return spread(names, Math.min(Runtime.getRuntime().availableProcessors(), (names.size() + 15) / 16), threadName, enter, fn);
    }

    /**
     * The same with up to {@code maxThreads} threads, for work that mostly waits (probes): each thread takes the
     * next name when it is done with one, so a slow namespace does not hold back the ones behind it.
     */
    static <T, E extends Exception> List<NsOutcome<T>> spread(List<String> names, int maxThreads, String threadName, Enter enter,
                                                             NsFunction<T, E> fn) {
        List<NsOutcome<T>> out = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) out.add(null);
        if (names.isEmpty()) return out;
        int threads = Math.max(1, Math.min(maxThreads, names.size()));
        AtomicInteger next = new AtomicInteger();
        List<Thread> started = new ArrayList<>();
        for (int k = 0; k < threads; k++) {
            started.add(Thread.ofPlatform().daemon(true).name(threadName + k).start(() -> {
                for (int i; (i = next.getAndIncrement()) < names.size(); ) {
                    String name = names.get(i);
                    NsOutcome<T> o;
                    try {
                        enter.enter(name);
                        o = NsOutcome.done(name, fn.apply(name));
                    } catch (Exception e) {
                        o = NsOutcome.failed(name, e);
                    } catch (Error e) {
                        o = NsOutcome.failed(name, new IllegalStateException(name + ": " + e, e));
                    }
                    synchronized (out) { out.set(i, o); }
                }
            }));
        }
        for (Thread t : started) NetNs.joinUninterruptibly(t);
        synchronized (out) { return List.copyOf(out); }
    }

}
