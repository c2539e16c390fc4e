package io.nslab.lab.events;

import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.monitor.Change;
import io.nslab.netlink.monitor.Event;
import io.nslab.netlink.monitor.Monitor;
import io.nslab.netlink.monitor.Topic;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.netns.NetNsException;
import io.nslab.netlink.netns.NsInode;
import io.nslab.netlink.route.Link;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Link, address, route and neighbour changes of every node of a lab, as they happen: one netlink monitor
 * opened inside each node's namespace (a socket stays bound to the namespace it was opened in), each read by
 * its own thread into one queue. Opening subscribes before returning, so a change made after {@link #open}
 * is seen. Close to stop. The stream also ends by itself once the lab is gone: a monitor keeps its namespace
 * alive, so the kernel never says so; a watcher looks every {@value #WATCH_MILLIS} ms whether each node's
 * /run/netns entry still is the namespace watched (same device and inode), and when none is, a last
 * {@code lab down} event is queued and {@link #take} returns empty after it. The kernel queued every change
 * made before the lab went down on the monitors' sockets before the lab's /run/netns entries went away, so
 * the watcher first waits until each reader has found its socket empty once after that moment: the lab-down
 * event comes after every change of the lab, however far behind a reader was.
 */
public final class LabEvents implements AutoCloseable {
    private final List<Monitor> monitors = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private static final Object END = new Object();
    /** Queued after the lab-down event: {@link #take} returns empty. */
    private static final Object GONE = new Object();
    static final long WATCH_MILLIS = 200;
    /** How long a reader waits on an empty socket before saying it has caught up. */
    private static final Duration QUIET = Duration.ofMillis(100);
    /** At most this long the lab-down event waits for a reader to catch up. */
    private static final long DRAIN_NANOS = 10_000_000_000L;

    private final String lab;
    private final Map<String, Object> watched = new HashMap<>(); // netns name -> its dev/ino at open
    /** Per reader: when its last poll that found the socket empty began (nanoTime); MAX_VALUE once ended. */
    private final List<AtomicLong> caughtUp = new ArrayList<>();
    private volatile boolean closed;

    private LabEvents(String lab) {
        this.lab = lab;
    }

    /** Subscribes in each node's namespace ({@code nodes}: node name to netns name). */
    public static LabEvents open(Map<String, String> nodes) throws NetNsException, ErrnoException {
        return open("", nodes);
    }

    /** As {@link #open(Map)}, for lab {@code lab} (named in the last event, once the lab is down). */
    public static LabEvents open(String lab, Map<String, String> nodes) throws NetNsException, ErrnoException {
        LabEvents ev = new LabEvents(lab);
        try {
            for (Map.Entry<String, String> n : nodes.entrySet()) {
                Map<Integer, String> names = new HashMap<>();
                Monitor m;
                try (NetNs ns = NetNs.open(n.getValue())) {
                    ev.watched.put(n.getValue(), ns.inode());
                    m = ns.call(() -> Monitor.open(Topic.LINK, Topic.ADDRESS, Topic.ROUTE, Topic.NEIGH));
                    ev.monitors.add(m);
                    try (Rtnl r = ns.rtnl()) {
                        for (Link l : r.links().dump()) names.put(l.index(), l.name());
                    }
                }
                AtomicLong quiet = new AtomicLong(Long.MIN_VALUE);
                ev.caughtUp.add(quiet);
                Thread t = Thread.ofPlatform().daemon(true).name("events-" + n.getKey()).start(() -> ev.read(n.getKey(), m, names, quiet));
                ev.readers.add(t);
            }
        } catch (ErrnoException | RuntimeException e) {
            ev.close();
            throw e;
        }
        Thread.ofPlatform().daemon(true).name("events-watch").start(ev::watch);
        return ev;
    }

    /** Until closed: ends the stream once no node's /run/netns entry is the namespace watched any more. */
    private void watch() {
        while (!closed) {
            try {
                Thread.sleep(WATCH_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            boolean any = false;
            for (Map.Entry<String, Object> w : watched.entrySet()) {
                try {
                    Map<String, Object> a = Files.readAttributes(NetNs.RUN_DIR.resolve(w.getKey()), "unix:dev,ino");
                    NsInode was = (NsInode) w.getValue();
                    if ((Long) a.get("dev") == was.dev() && (Long) a.get("ino") == was.ino()) {
                        any = true;
                        break;
                    }
                } catch (IOException gone) {
                    // removed: this node is down
                }
            }
            if (!any) {
                long gone = System.nanoTime();
                if (!drained(gone)) return;
                queue.add(new LabEvent(Instant.now(), "", "lab", Change.DEL, Optional.empty(),
                        Map.of("lab", lab, "state", "down")));
                queue.add(GONE);
                return;
            }
        }
    }

    /** Waits until every reader found its socket empty after {@code since}; false if closed meanwhile. */
    private boolean drained(long since) {
        long until = since + DRAIN_NANOS;
        while (!closed && System.nanoTime() < until) {
            if (caughtUp.stream().allMatch(q -> q.get() >= since)) return true;
            try {
                Thread.sleep(QUIET.toMillis() / 4);
            } catch (InterruptedException e) {
                return false;
            }
        }
        return !closed;
    }

    private void read(String node, Monitor m, Map<Integer, String> names, AtomicLong quiet) {
        try {
            for (;;) {
                long polled = System.nanoTime();
                Optional<Event> e = m.poll(QUIET);
                if (e.isEmpty()) {
                    if (closed) break;
                    quiet.set(polled);
                    continue;
                }
                Optional<LabEvent> le = LabEvent.of(node, e.get(), names, Instant.now());
                if (e.get() instanceof Event.LinkEvent l) {
                    if (l.change() == Change.DEL) names.remove(l.index());
                    else names.put(l.index(), l.name());
                }
                le.ifPresent(queue::add);
            }
        } catch (ErrnoException | RuntimeException e) {
            queue.add(e);
        }
        quiet.set(Long.MAX_VALUE);
        queue.add(END);
    }

    /** The next event; empty once every monitor has ended (closed, or its namespace deleted). */
    public Optional<LabEvent> take() throws InterruptedException, ErrnoException {
        int ended = 0;
        while (true) {
            Object o = queue.take();
            if (o instanceof LabEvent e) return Optional.of(e);
            if (o == GONE) {
                queue.add(GONE); // and every later take
                return Optional.empty();
            }
            if (o instanceof ErrnoException e) throw e;
            if (o instanceof RuntimeException e) throw e;
            if (o == END && ++ended >= readers.size()) return Optional.empty();
        }
    }

    /** Waits at most {@code millis} for the next event. */
    public Optional<LabEvent> poll(long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) return Optional.empty();
            Object o = queue.poll(left, TimeUnit.NANOSECONDS);
            if (o instanceof LabEvent e) return Optional.of(e);
            if (o == null) return Optional.empty();
            if (o == GONE) {
                queue.add(GONE);
                return Optional.empty();
            }
        }
    }

    @Override public void close() {
        closed = true;
        for (Monitor m : monitors) m.close();
    }
}
