package io.nslab.lab.events;

import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.monitor.Change;
import io.nslab.netlink.monitor.Event;
import io.nslab.netlink.monitor.Monitor;
import io.nslab.netlink.monitor.Topic;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.netns.NetNsException;
import io.nslab.netlink.route.Link;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Link, address, route and neighbour changes of every node of a lab, as they happen: one netlink monitor
 * opened inside each node's namespace (a socket stays bound to the namespace it was opened in), each read by
 * its own thread into one queue. Opening subscribes before returning, so a change made after {@link #open}
 * is seen. Close to stop.
 */
public final class LabEvents implements AutoCloseable {
    private final List<Monitor> monitors = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private static final Object END = new Object();

    private LabEvents() {}

    /** Subscribes in each node's namespace ({@code nodes}: node name to netns name). */
    public static LabEvents open(Map<String, String> nodes) throws NetNsException, ErrnoException {
        LabEvents ev = new LabEvents();
        try {
            for (Map.Entry<String, String> n : nodes.entrySet()) {
                Map<Integer, String> names = new HashMap<>();
                Monitor m;
                try (NetNs ns = NetNs.open(n.getValue())) {
                    m = ns.call(() -> Monitor.open(Topic.LINK, Topic.ADDRESS, Topic.ROUTE, Topic.NEIGH));
                    ev.monitors.add(m);
                    try (Rtnl r = ns.rtnl()) {
                        for (Link l : r.links().dump()) names.put(l.index(), l.name());
                    }
                }
                Thread t = Thread.ofPlatform().daemon(true).name("events-" + n.getKey()).start(() -> ev.read(n.getKey(), m, names));
                ev.readers.add(t);
            }
        } catch (ErrnoException | RuntimeException e) {
            ev.close();
            throw e;
        }
        return ev;
    }

    private void read(String node, Monitor m, Map<Integer, String> names) {
        try {
            for (;;) {
                Optional<Event> e = m.take();
                if (e.isEmpty()) break;
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
        queue.add(END);
    }

    /** The next event; empty once every monitor has ended (closed, or its namespace deleted). */
    public Optional<LabEvent> take() throws InterruptedException, ErrnoException {
        int ended = 0;
        while (true) {
            Object o = queue.take();
            if (o instanceof LabEvent e) return Optional.of(e);
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
        }
    }

    @Override public void close() {
        for (Monitor m : monitors) m.close();
    }
}
