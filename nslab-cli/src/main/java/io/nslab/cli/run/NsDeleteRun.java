package io.nslab.cli.run;

import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.netns.NetNsException;
import io.nslab.netlink.Errno;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Consecutive {@code netns del} lines of a batch, run on several threads.
 * Each deletion is an {@code umount2(MNT_DETACH)} that waits for an RCU grace
 * period in the kernel (about 1 ms, more under load) while using almost no
 * CPU; a thousand of them one after another are most of a teardown's time.
 * On several threads those waits overlap. The kernel tears the namespaces
 * down later, asynchronously, in either case.
 */
final class NsDeleteRun {
    /** Threads deleting at once: the work is waiting, not CPU. */
    static final int THREADS = Math.max(1, Integer.getInteger("nslab.deleteThreads", 8));

    private NsDeleteRun() {}

    /** Deletes every name (callers checked they exist); returns, per name, its error if any. */
    static List<Optional<NetNsException>> deleteAll(List<String> names) {
        int n = names.size();
        @SuppressWarnings("unchecked")
        Optional<NetNsException>[] out = new Optional[n];
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            for (int i; (i = next.getAndIncrement()) < n; ) {
                try {
                    NetNs.delete(names.get(i));
                    out[i] = Optional.empty();
                } catch (NetNsException e) {
                    out[i] = Optional.of(e);
                } catch (RuntimeException e) {
                    out[i] = Optional.of(new NetNsException("netns del " + names.get(i) + ": " + e, Errno.EIO));
                }
            }
        };
        int k = Math.min(THREADS, n);
        List<Thread> threads = new ArrayList<>(k);
        for (int t = 1; t < k; t++) threads.add(Thread.ofPlatform().daemon(true).name("nslab-netns-del-" + t).start(worker));
        worker.run();
        for (Thread t : threads) {
            boolean done = false;
            while (!done) {
                try {
                    t.join();
                    done = true;
                } catch (InterruptedException e) {
                    // the deletions are under way; wait for them all the same
                }
            }
        }
        return List.of(out);
    }
}
