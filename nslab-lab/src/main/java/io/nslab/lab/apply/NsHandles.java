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

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The namespaces a run works in: open handles (a namespace descriptor and, once
 * asked for, the rtnetlink socket bound to it), at most {@link #OPEN} of them
 * kept, the least recently used closed first; and the roamers that enter them.
 * A handle is used through a {@link Lease}: one closed while leased (evicted
 * or forgotten) stays open until its last lease ends. So a run holds
 * descriptors for at most {@link #OPEN} namespaces plus those its threads are
 * working in at that moment, whatever the size of the lab: a 10,000-node lab
 * kept two per node (20,256) and hit RLIMIT_NOFILE. Nothing here spawns a
 * process or calls setns itself (the library's {@link NsRoamers} does).
 */
final class NsHandles implements AutoCloseable {
    /**
     * Namespaces kept open between uses: a lab of up to this many nodes opens each once per run (as before the
     * bound); a bigger one reopens a namespace it comes back to (one open(2), and a socket when steps go there).
     */
    static final int OPEN = 1024;

    /** An open namespace and, opened on first use, the rtnetlink session bound to it. */
    final class Handle {
        private final NsRef ref;
        private final NetNs ns;
        private volatile Rtnl rtnl;
        private int leases;           // guarded by NsHandles.this
        private boolean retired;      // guarded by NsHandles.this: out of the table, closed by its last lease

        private Handle(NsRef ref, NetNs ns, Rtnl rtnl) {
            this.ref = ref;
            this.ns = ns;
            this.rtnl = rtnl;
        }

        NetNs ns() { return ns; }

        /**
         * The socket, opened inside the namespace the first time (a veth's peer namespace needs only the
         * descriptor). No lock is held while opening: from a thread that is not a roamer the open waits for a
         * roamer, which may itself be waiting for a handle; two threads racing keep the first socket.
         */
        Rtnl rtnl() throws Exception {
            Rtnl r = rtnl;
            if (r != null) return r;
            Rtnl fresh = ref.isHost() ? ns.rtnl() : in(ns, Rtnl::open);
            synchronized (this) {
                if (rtnl == null) {
                    rtnl = fresh;
                    return fresh;
                }
            }
            fresh.close();
            return rtnl;
        }

        private void close() {
            Rtnl r = rtnl;
            if (r != null) r.close();
            ns.close();
        }
    }

    /** A handle in use: closing the lease lets the handle be closed once it is no longer kept. */
    final class Lease implements AutoCloseable {
        private final Handle h;
        private boolean closed;

        private Lease(Handle h) {
            this.h = h;
        }

        NetNs ns() { return h.ns(); }
        Rtnl rtnl() throws Exception { return h.rtnl(); }
        Links links() throws Exception { return rtnl().links(); }
        Addresses addresses() throws Exception { return rtnl().addresses(); }
        Routes routes() throws Exception { return rtnl().routes(); }

        @Override public void close() {
            if (closed) return;
            closed = true;
            release(h);
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

    /** Kept handles, least recently leased first; guarded by this. */
    private final LinkedHashMap<NsRef, Handle> open = new LinkedHashMap<>(64, 0.75f, true);
    private final int capacity;
    private final NsRoamers roamers = NsRoamers.start("nslab-roamer", WORKERS);

    NsHandles() {
        this(OPEN);
    }

    /** With room for {@code capacity} handles (tests use a small one to make every path reopen). */
    NsHandles(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        this.capacity = capacity;
    }

    /** Runs {@code task} inside {@code ns} on a roamer (in place when called from one). */
    <T, E extends Exception> T in(NetNs ns, NsTask<T, E> task) throws E, NetNsException {
        return roamers.call(ns, task);
    }

    /** Queues {@code task} on roamer {@code which} (0 or 1). */
    <T> Future<T> submit(int which, NsTask<T, Exception> task) {
        return roamers.submit(which, task::call);
    }

    /** The namespace's handle, opened if it is not kept; use it in try-with-resources. */
    Lease lease(NsRef ref) throws Exception {
        synchronized (this) {
            Handle h = open.get(ref);
            if (h != null) return leased(h);
        }
        // the open itself outside the lock: a namespace descriptor (the socket comes when asked for)
        NetNs ns = ref.isHost() ? NetNs.openPid(ProcessHandle.current().pid()) : NetNs.open(ref.name());
        Handle fresh = new Handle(ref, ns, null);
        synchronized (this) {
            Handle h = open.get(ref);
            if (h == null) {
                open.put(ref, fresh);
                trim();
                return leased(fresh);
            }
            ns.close();
            return leased(h);
        }
    }

    private Lease leased(Handle h) {
        h.leases++;
        return new Lease(h);
    }

    private synchronized void release(Handle h) {
        h.leases--;
        if (h.retired && h.leases == 0) h.close();
    }

    /** Closes the least recently leased handles beyond the capacity (the host's is kept: it is one). */
    private void trim() {
        for (Iterator<Map.Entry<NsRef, Handle>> it = open.entrySet().iterator(); open.size() > capacity && it.hasNext(); ) {
            Handle h = it.next().getValue();
            if (h.ref.isHost()) continue;
            it.remove();
            retire(h);
        }
    }

    private void retire(Handle h) {
        h.retired = true;
        if (h.leases == 0) h.close();
    }

    /** The ifindex of link {@code name} in {@code ref}. */
    OptionalInt index(NsRef ref, String name) throws Exception {
        try (Lease h = lease(ref)) {
            return h.links().index(name);
        }
    }

    /**
     * Keeps {@code r}, opened inside the new namespace {@code name} by the thread that made it, while there is
     * room (a namespace made beyond it gets its socket again when its steps come).
     */
    void adopt(String name, Rtnl r) {
        NsRef ref = NsRef.of(name);
        synchronized (this) {
            if (open.size() >= capacity || open.containsKey(ref)) {
                r.close();
                return;
            }
        }
        try {
            Handle h = new Handle(ref, NetNs.open(name), r);
            synchronized (this) {
                Handle old = open.put(ref, h);
                if (old != null) retire(old);
                trim();
            }
        } catch (NetNsException e) {
            r.close();           // opened again on first use
        }
    }

    /** Closes every kept handle (each leased one once its lease ends); later leases open them again. */
    synchronized void closeKept() {
        for (Handle h : open.values()) retire(h);
        open.clear();
    }

    synchronized void forget(NsRef ref) {
        Handle h = open.remove(ref);
        if (h != null) retire(h);
    }

    void sysctl(NsRef ref, String key, String value) throws Exception {
        try (Lease h = lease(ref)) {
            if (ref.isHost()) h.ns().sysctl(key, value);
            else in(h.ns(), () -> {
                Sysctl.write(key, value);
                return null;
            });
        }
    }

    String sysctl(NsRef ref, String key) throws Exception {
        try (Lease h = lease(ref)) {
            return ref.isHost() ? h.ns().sysctl(key) : in(h.ns(), () -> Sysctl.read(key));
        }
    }

    int capacity() { return capacity; }

    /** How many namespaces are kept open now (for tests). */
    synchronized int kept() {
        return open.size();
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
        List<Handle> all;
        synchronized (this) {
            all = new ArrayList<>(open.values());
            open.clear();
            for (Handle h : all) h.retired = true;
        }
        for (Handle h : all) h.close();
        roamers.close();
    }
}
