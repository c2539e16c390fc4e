package io.nslab.lab.apply;

import io.nslab.lab.plan.NsRef;
import io.nslab.netlink.Addresses;
import io.nslab.netlink.Links;
import io.nslab.netlink.Routes;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.netns.NetNsException;
import io.nslab.netlink.netns.NsRoamers;
import io.nslab.netlink.netns.NsTask;
import io.nslab.netlink.netns.Sysctl;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The namespaces a run works in: one open handle (namespace + rtnetlink
 * socket) per namespace, created on first use and kept for the run, and the
 * roamers that enter them. Nothing here spawns a process or calls setns
 * itself (the library's {@link NsRoamers} does).
 */
final class NsHandles implements AutoCloseable {
    /** An open namespace and the rtnetlink session bound to it. */
    record Handle(NetNs ns, Rtnl rtnl) {
        Links links() { return rtnl.links(); }
        Addresses addresses() { return rtnl.addresses(); }
        Routes routes() { return rtnl.routes(); }

        void close() {
            rtnl.close();
            ns.close();
        }
    }

    /**
     * Platform threads that enter namespace after namespace (setns) to open
     * their sockets, write their sysctls and send grouped steps: for a lab of
     * 1000 nodes that is 1000 setns calls instead of 1000 thread starts, and
     * two of them keep both cores busy. Work that needs a namespace for
     * longer (nft, tun/tap) uses the handle's own thread.
     */
    static final int WORKERS = 2;

    private final Map<NsRef, Handle> open = new ConcurrentHashMap<>();
    private final NsRoamers roamers = NsRoamers.start("nslab-roamer", WORKERS);

    /** Runs {@code task} inside {@code ns} on a roamer (in place when called from one). */
    <T, E extends Exception> T in(NetNs ns, NsTask<T, E> task) throws E, NetNsException {
        return roamers.call(ns, task);
    }

    /** Queues {@code task} on roamer {@code which} (0 or 1). */
    <T> Future<T> submit(int which, NsTask<T, Exception> task) {
        return roamers.submit(which, task::call);
    }

    Handle handle(NsRef ref) throws Exception {
        Handle h = open.get(ref);
        return h != null ? h : opened(ref);
    }

    /** Opens a namespace's handle once, also when two roamers ask at the same time. */
    private synchronized Handle opened(NsRef ref) throws Exception {
        Handle h = open.get(ref);
        if (h == null) {
            if (ref.isHost()) {
                // the main thread's namespace (a roamer asking may stand in another one)
                h = wrap(NetNs.openPid(ProcessHandle.current().pid()));
            } else {
                NetNs ns = NetNs.open(ref.name());
                try {
                    Rtnl r = in(ns, Rtnl::open);
                    h = new Handle(ns, r);
                } catch (Exception e) {
                    ns.close();
                    throw e;
                }
            }
            open.put(ref, h);
        }
        return h;
    }

    private static Handle wrap(NetNs ns) throws NetNsException {
        try {
            Rtnl r = ns.rtnl();
            return new Handle(ns, r);
        } catch (NetNsException | RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    /** Keeps {@code r}, opened inside the new namespace {@code name} by the thread that made it. */
    void adopt(String name, Rtnl r) {
        try {
            NetNs ns = NetNs.open(name);
            Handle old = open.put(NsRef.of(name), new Handle(ns, r));
            if (old != null) old.close();
        } catch (NetNsException e) {
            r.close();           // opened again on first use
        }
    }

    void forget(NsRef ref) {
        Handle h = open.remove(ref);
        if (h != null) h.close();
    }

    void sysctl(NsRef ref, String key, String value) throws Exception {
        Handle h = handle(ref);
        if (ref.isHost()) h.ns().sysctl(key, value);
        else in(h.ns(), () -> {
            Sysctl.write(key, value);
            return null;
        });
    }

    String sysctl(NsRef ref, String key) throws Exception {
        Handle h = handle(ref);
        return ref.isHost() ? h.ns().sysctl(key) : in(h.ns(), () -> Sysctl.read(key));
    }

    static boolean exists(NsRef ns) {
        return ns.isHost() || NetNs.exists(ns.name());
    }

    /** Waits for every task; the first failure is rethrown as the task threw it. */
    static void awaitAll(List<Future<?>> running) throws Exception {
        for (var f : running) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Exception x) throw x;
                throw e;
            }
        }
    }

    @Override public void close() {
        for (Handle h : open.values()) h.close();
        open.clear();
        roamers.close();
    }
}
