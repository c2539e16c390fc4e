package io.nslab.lab.verify;

import io.nslab.lab.model.IfRef;
import io.nslab.lab.model.KernelNames;
import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.netns.NsOutcome;
import io.nslab.netlink.route.AddressFamily;
import io.nslab.netlink.route.LinkLayerAddress;
import io.nslab.netlink.route.Neighbour;
import io.nslab.netlink.route.RtConst;
import io.nslab.netlink.sys.PacketSender;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends the frames of {@link Priming}, wave after wave, from inside the lab's namespaces: each namespace is
 * visited by one of a few threads (one per core: sending is the kernel's work on the sending CPU), which opens a
 * {@link PacketSender} there and sends that namespace's frames of the wave. MACs and interface indexes are read
 * in the same visits by ioctl on that socket (SIOCGIFHWADDR, SIOCGIFINDEX): a netlink RTM_GETLINK per namespace
 * waited for the rtnl lock, 1.4 ms a member on a busy host, most of the priming's time. Priming is a help, never
 * a check: a frame that cannot be sent is counted, and the probe resolves its neighbour the usual way.
 */
final class Primer {
    /** After the broadcast, for its copies to reach every port. */
    static final Duration ANNOUNCE_SETTLE = Duration.ofMillis(150);
    /** After the members' requests to the head, how long to wait for them to land (the head's table is polled). */
    static final Duration HEAD_WAIT = Duration.ofSeconds(3);
    /** After each later wave, for its requests and answers to be processed. */
    static final Duration SETTLE = Duration.ofMillis(100);

    /** What priming did. */
    record Summary(int segments, int members, int pairs, long frames, long failed, Optional<String> firstError, Duration took,
                   List<String> steps) {
        String describe() {
            return "primed ARP on " + segments + (segments == 1 ? " segment" : " segments") + ": " + members + " members, " + pairs
                    + " pairs, " + frames + " frames in " + took.toMillis() + " ms (" + String.join(", ", steps) + ")"
                    + (failed == 0 ? "" : "; " + failed + " not sent (" + firstError.orElse("?") + ")");
        }
    }

    /** An interface as read in its namespace. */
    record Hw(int index, LinkLayerAddress mac) {}

    private final KernelNames names;
    private final Map<IfRef, Hw> hw = new ConcurrentHashMap<>();
    private final AtomicLong frames = new AtomicLong(), failed = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final List<String> steps = new ArrayList<>();
    /** Threads that close packet sockets, and how many may be open or waiting to be closed. */
    static final int CLOSERS = 64, OPEN = 512;
    private final Semaphore closable = new Semaphore(OPEN);
    private final ExecutorService closers = Executors.newFixedThreadPool(CLOSERS, Thread.ofPlatform().name("prime-close-", 0).daemon().factory());
    private long mark = System.nanoTime();

    /** Notes how long the step just done took, for the summary. */
    private void step(String what) {
        long now = System.nanoTime();
        steps.add(what + " " + (now - mark) / 1_000_000 + " ms");
        mark = now;
    }

    private Primer(KernelNames names) {
        this.names = names;
    }

    static Summary prime(KernelNames names, List<Priming.Target> targets) {
        long t0 = System.nanoTime();
        Primer p = new Primer(names);
        int members = 0, pairs = 0;
        try {
            for (Priming.Target t : targets) {
                p.prime(t);
                members += t.members().size();
                pairs += t.pairs().size();
            }
        } finally {
            p.closers.close();      // waits for every socket to be closed
            p.step("last sockets closed");
        }
        return new Summary(targets.size(), members, pairs, p.frames.get(), p.failed.get(), Optional.ofNullable(p.firstError.get()),
                Duration.ofNanos(System.nanoTime() - t0), List.copyOf(p.steps));
    }

    private void prime(Priming.Target t) {
        IfRef head = t.head().iface();
        // 1: the head's MAC, and its broadcast so that every bridge learns where it is
        visit(Map.of(head.node(), List.of()), Set.of(head), (ns, sender) -> {
            Hw h = hw.get(head);
            if (h != null) send(sender, Priming.announce(t, h.mac()), PacketSender.ETH_P_ARP);
        });
        if (!hw.containsKey(head)) return;
        sleep(ANNOUNCE_SETTLE);
        step("announce");

        // 2: each member's MAC, and its request to the head (the bridges learn the member's port)
        Map<IfRef, Priming.End> member = new LinkedHashMap<>();
        for (Priming.End e : t.members()) member.put(e.iface(), e);
        Map<String, List<Priming.Send>> none = new LinkedHashMap<>();
        Set<IfRef> wanted = Priming.interfaces(t);
        for (IfRef i : wanted) if (!i.equals(head)) none.put(i.node(), List.of());
        LinkLayerAddress headMac = hw.get(head).mac();
        visit(none, wanted, (ns, sender) -> {
            String node = ns.substring(ns.indexOf(KernelNames.SEPARATOR) + 1);
            for (Priming.End e : t.members()) {
                if (!e.iface().node().equals(node)) continue;
                Hw m = hw.get(e.iface());
                if (m != null) send(sender, Priming.request(e, m.mac(), t.head(), headMac), PacketSender.ETH_P_ARP);
            }
        });
        step("to head");
        String entries = awaitHead(t);
        step("head's table " + entries);

        Map<IfRef, LinkLayerAddress> macs = macs();
        if (!t.leaves().isEmpty()) {
            // on a bridge tree: each leaf learns the members of the others (see Priming.teachLeaves)
            Map<String, List<Priming.Send>> trees = new LinkedHashMap<>();
            Set<IfRef> ends = new HashSet<>();
            for (Priming.Leaf l : t.leaves()) {
                trees.put(l.up().node(), List.of());
                ends.add(l.up());
                ends.add(l.down());
            }
            visit(trees, ends, Work.NOTHING);
            macs = macs();
            visit(byNode(Priming.teachLeaves(t, macs)), Set.of(), Work.NOTHING);
            step("leaves");
        }
        // 3 and 4 at once: the head to each member, each pair one way; 5: the other way, once 4's answers are in
        List<Priming.Send> both = new ArrayList<>(Priming.withHead(t, macs, false));
        both.addAll(Priming.pairs(t, macs, true));
        visit(byNode(both), Set.of(), Work.NOTHING);
        sleep(SETTLE);
        step("from head and pairs");
        visit(byNode(Priming.pairs(t, macs, false)), Set.of(), Work.NOTHING);
        sleep(SETTLE);
        step("pairs back");
    }

    private Map<IfRef, LinkLayerAddress> macs() {
        Map<IfRef, LinkLayerAddress> out = new LinkedHashMap<>();
        hw.forEach((k, v) -> out.put(k, v.mac()));
        return out;
    }

    /** Until the head has an entry for every member (or for as many as it will get: no progress for a while). */
    private String awaitHead(Priming.Target t) {
        Set<InetAddress> want = new HashSet<>();
        for (Priming.End e : t.members()) if (hw.containsKey(e.iface())) want.add(e.ip());
        String ns = names.netns(t.head().iface().node());
        int index = hw.get(t.head().iface()).index();
        long deadline = System.nanoTime() + HEAD_WAIT.toNanos();
        int last = -1;
        String seen = "?/" + want.size();
        while (System.nanoTime() < deadline) {
            List<NsOutcome<Integer>> o = NetNs.inEach(List.of(ns), 1, n -> {
                try (Rtnl r = Rtnl.open()) {
                    int have = 0;
                    for (Neighbour nb : r.neighbours().dump(AddressFamily.INET, OptionalInt.of(index)))
                        if ((nb.state() & (RtConst.NUD_INCOMPLETE | RtConst.NUD_FAILED)) == 0 && nb.dst().map(want::contains).orElse(false)) have++;
                    return have;
                }
            });
            int have = o.get(0).value().orElse(-1);
            if (have >= 0) seen = have + "/" + want.size();
            if (have < 0 || have >= want.size()) return seen;
            if (have == last) { // nothing new since the last look: the rest are not coming
                sleep(SETTLE);
                return seen;
            }
            last = have;
            sleep(Duration.ofMillis(50));
        }
        return seen;
    }

    private static Map<String, List<Priming.Send>> byNode(List<Priming.Send> sends) {
        Map<String, List<Priming.Send>> out = new LinkedHashMap<>();
        for (Priming.Send s : sends) out.computeIfAbsent(s.from().node(), k -> new ArrayList<>()).add(s);
        return out;
    }

    @FunctionalInterface interface Work {
        void in(String ns, PacketSender sender);

        Work NOTHING = (ns, sender) -> {};
    }

    /**
     * Visits the namespaces of the nodes of {@code sends} (one per core at a time): reads the MAC and index of each
     * interface of {@code read} living there (once), then sends that node's frames and runs {@code then}.
     */
    private void visit(Map<String, List<Priming.Send>> sends, Set<IfRef> read, Work then) {
        Map<String, List<IfRef>> toRead = new LinkedHashMap<>();
        for (IfRef i : read) if (!hw.containsKey(i)) toRead.computeIfAbsent(i.node(), k -> new ArrayList<>()).add(i);
        List<String> namespaces = new ArrayList<>();
        for (String node : sends.keySet()) namespaces.add(names.netns(node));
        List<NsOutcome<Void>> out = NetNs.inEach(namespaces, ns -> {
            String node = ns.substring(ns.indexOf(KernelNames.SEPARATOR) + 1);
            List<IfRef> mine = toRead.getOrDefault(node, List.of());
            closable.acquireUninterruptibly();
            PacketSender sender;
            try {
                sender = PacketSender.open();
            } catch (ErrnoException | RuntimeException e) {
                closable.release();
                throw e;
            }
            try {
                // MAC and index by ioctl on the sender: no netlink request, no wait for the rtnl lock
                for (IfRef i : mine) {
                    OptionalInt index = sender.index(i.name());
                    Optional<byte[]> mac = sender.ethernetAddress(i.name());
                    if (index.isPresent() && mac.isPresent()) hw.put(i, new Hw(index.getAsInt(), LinkLayerAddress.of(mac.get())));
                }
                for (Priming.Send s : sends.get(node)) send(sender, s, Priming.etherType(s.frame()));
                then.in(ns, sender);
            } finally {
                closeLater(sender);
            }
            return null;
        });
        for (NsOutcome<Void> o : out) o.error().ifPresent(e -> fail(o.name() + ": " + e.getMessage()));
    }

    /**
     * Closing a packet socket waits for an RCU grace period (see {@link PacketSender#close}): done in each visit,
     * that wait was most of the time of priming (43 of 51 s at 10,000 members on a busy machine). So the visits
     * hand their senders to {@link #CLOSERS} threads whose waits overlap, with at most {@link #OPEN} senders not
     * yet closed (descriptors).
     */
    private void closeLater(PacketSender sender) {
        closers.execute(() -> {
            try {
                sender.close();
            } finally {
                closable.release();
            }
        });
    }

    private void send(PacketSender sender, Priming.Send s, int protocol) {
        Hw h = hw.get(s.from());
        if (h == null) {
            fail(s.from() + ": no MAC read");
            return;
        }
        for (int attempt = 0; ; attempt++) {
            try {
                sender.send(h.index(), protocol, s.frame());
                frames.incrementAndGet();
                return;
            } catch (ErrnoException e) {
                // a full queue on the way (ENOBUFS): a moment for the kernel to drain it, a few times
                if (e.is(Errno.ENOBUFS) && attempt < 3) {
                    sleep(Duration.ofMillis(1));
                    continue;
                }
                fail("send from " + s.from() + ": " + e.getMessage());
                return;
            }
        }
    }

    private void fail(String why) {
        failed.incrementAndGet();
        firstError.compareAndSet(null, why);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
