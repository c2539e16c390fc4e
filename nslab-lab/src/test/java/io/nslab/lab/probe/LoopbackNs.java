package io.nslab.lab.probe;

import io.nslab.netlink.NlRequest;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.route.LinkConst;
import io.nslab.netlink.route.RtConst;
import io.nslab.netlink.sys.LibC;
import io.nslab.netlink.wire.NlWriter;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A throwaway anonymous netns with lo up, on a private platform thread (probe tests need no library beyond that). */
final class LoopbackNs implements AutoCloseable {
    interface Task<T> { T call() throws Exception; }

    private final ExecutorService thread =
            Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("probe-ns").unstarted(r));

    LoopbackNs() throws Exception {
        call(() -> {
            LibC.unshare(LibC.CLONE_NEWNET);
            try (Rtnl r = Rtnl.open()) {
                NlWriter w = new NlWriter();
                w.u8(0).u8(0).u16(0).u32(1).u32(LinkConst.IFF_UP).u32(LinkConst.IFF_UP); // ifinfomsg for lo (index 1)
                r.socket().execute(new NlRequest(RtConst.RTM_NEWLINK, 0, w.toByteArray(), "link set lo up"));
            }
            return null;
        });
    }

    <T> T call(Task<T> t) throws Exception {
        try {
            return thread.submit((Callable<T>) t::call).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) throw x;
            throw e;
        }
    }

    @Override public void close() { thread.shutdownNow(); }
}
