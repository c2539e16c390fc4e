package io.nslab.lab.verify;

import io.nslab.lab.model.Expectation;
import io.nslab.lab.model.Iface;
import io.nslab.lab.model.IfaceKind;
import io.nslab.lab.model.Ip;
import io.nslab.lab.model.KernelNames;
import io.nslab.lab.model.Lab;
import io.nslab.lab.model.Measure;
import io.nslab.lab.model.Node;
import io.nslab.lab.probe.Probe;
import io.nslab.lab.probe.ProbeResult;
import io.nslab.lab.probe.Prober;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.netns.NsOutcome;
import io.nslab.netlink.route.IpPrefix;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * {@code nslab verify}: starts the file's services, then checks the file's
 * expectations and ICMP between addressed interfaces of a shared segment
 * (same subnet), each from inside its source namespace with nslab's own
 * probes. Probes run on a bounded number of threads that enter namespace
 * after namespace ({@link NetNs#inEach}); a source's probes are split in
 * parts of {@link #PART} so one busy node does not serialise the run.
 *
 * <p>Which pairs of a segment are checked (the sampling rule, docs/cli.md):
 * a segment of up to {@link #ALL_PAIRS_MAX} addressed members is checked all
 * pairs, both ways. A larger one is checked as a star and a sample: every
 * member to and from the segment's head (its bridge's interface when that is
 * addressed, else its first member), plus as many pairs as there are members
 * drawn at random with a fixed seed (the segment's name), so two runs check
 * the same pairs. {@code --all-pairs} forces every pair.
 */
public final class Verifier {
    /** Above this many addressed members a segment is sampled (see the class comment), unless all pairs are asked for. */
    static final int ALL_PAIRS_MAX = 16;
    /** Probes of one source run in order, in parts of this many. */
    static final int PART = 256;
    /** Probe threads by default: probes mostly wait for replies (or timeouts), so more threads than cores. */
    public static final int DEFAULT_PARALLEL = 64;

    private final Prober prober;
    private final boolean allPairs;
    private final int parallel;
    private final Priming.Rule prime;
    private final Consumer<String> log;

    public Verifier(Duration timeout) {
        this(timeout, false, DEFAULT_PARALLEL);
    }

    public Verifier(Duration timeout, boolean allPairs, int parallel) {
        this(timeout, allPairs, parallel, Priming.Rule.DEFAULT, s -> {});
    }

    /**
     * @param allPairs check every pair of every segment, however large
     * @param parallel how many probe threads at most
     * @param prime which segments get their IPv4 neighbour entries made by unicast ARP before they are probed
     *     ({@link Priming}; {@link Priming.Rule#OFF} for none)
     * @param log where a line about the priming goes
     */
    public Verifier(Duration timeout, boolean allPairs, int parallel, Priming.Rule prime, Consumer<String> log) {
        if (parallel < 1) throw new IllegalArgumentException("parallel must be at least 1: " + parallel);
        this.prober = new Prober(timeout);
        this.allPairs = allPairs;
        this.parallel = parallel;
        this.prime = prime;
        this.log = log;
    }

    /** What to run: a source node, a label for the target, the probes (any one reaching counts), the expectation. */
    record Planned(String from, String to, List<Probe> probes, boolean expectReach, String source, Optional<String> toNode) {
        Planned(String from, String to, List<Probe> probes, boolean expectReach, String source) {
            this(from, to, probes, expectReach, source, Optional.empty());
        }
    }

    public Report verify(Lab lab) throws Exception {
        long start = System.nanoTime();
        KernelNames names = lab.kernelNames();
        // only nodes that serve something need a handle (and a thread) for the whole run
        Map<String, NetNs> open = new LinkedHashMap<>();
        try {
            for (Node n : lab.nodes()) if (!n.serve().isEmpty()) open.put(n.name(), NetNs.open(names.netns(n.name())));
            try (Services _ = Services.start(lab, open)) {
                List<Priming.Target> targets = Priming.targets(lab, allPairs, prime);
                if (!targets.isEmpty()) log.accept("verify: " + Primer.prime(names, targets).describe());
                List<Check> checks = run(plan(lab, allPairs), names);
                return new Report(lab.name(), checks, Duration.ofNanos(System.nanoTime() - start));
            }
        } finally {
            open.values().forEach(NetNs::close);
        }
    }

    /** Runs planned checks: each source's checks in parts, the parts on at most {@link #parallel} threads. */
    List<Check> run(List<Planned> planned, KernelNames names) {
        Map<String, List<Integer>> bySource = new LinkedHashMap<>();
        for (int i = 0; i < planned.size(); i++) bySource.computeIfAbsent(planned.get(i).from(), k -> new ArrayList<>()).add(i);
        List<String> namespaces = new ArrayList<>();
        List<List<Integer>> parts = new ArrayList<>();
        for (var e : bySource.entrySet()) {
            List<Integer> all = e.getValue();
            for (int k = 0; k < all.size(); k += PART) {
                namespaces.add(names.netns(e.getKey()));
                parts.add(all.subList(k, Math.min(all.size(), k + PART)));
            }
        }
        // a namespace appears once per part; each visit takes its next part
        Map<String, Queue<List<Integer>>> queued = new HashMap<>();
        for (int p = 0; p < parts.size(); p++) queued.computeIfAbsent(namespaces.get(p), k -> new ConcurrentLinkedQueue<>()).add(parts.get(p));
        Check[] out = new Check[planned.size()];
        List<NsOutcome<Void>> outcomes = NetNs.inEach(namespaces, parallel, ns -> {
            for (int i : queued.get(ns).remove()) out[i] = check(planned.get(i));
            return null;
        });
        // a namespace that could not be entered: its checks fail with the reason
        for (NsOutcome<Void> o : outcomes) {
            if (o.error().isEmpty()) continue;
            List<Integer> left = queued.get(o.name()).poll();
            if (left == null) continue;
            for (int i : left) {
                Planned pl = planned.get(i);
                Probe probe = pl.probes().isEmpty() ? new Probe.Icmp(InetAddress.getLoopbackAddress()) : pl.probes().get(0);
                out[i] = new Check(pl.from(), pl.to(), probe, pl.expectReach(), pl.source(),
                        ProbeResult.missed(probe, System.nanoTime(), o.error().get().getMessage()));
            }
        }
        return List.of(out);
    }

    private Check check(Planned p) {
        if (p.probes().isEmpty()) {
            Probe none = new Probe.Icmp(InetAddress.getLoopbackAddress());
            return new Check(p.from(), p.to(), none, p.expectReach(), p.source(),
                    ProbeResult.missed(none, System.nanoTime(), "no address for " + p.to()));
        }
        ProbeResult last = null;
        for (Probe probe : p.probes()) {
            last = prober.run(probe);
            if (last.reached()) break;
        }
        return new Check(p.from(), p.to(), last.probe(), p.expectReach(), p.source(), last);
    }

    /** Every check of the lab, expectations first; large segments sampled unless {@code allPairs}. */
    static List<Planned> plan(Lab lab, boolean allPairs) {
        List<Planned> out = new ArrayList<>();
        for (Expectation e : lab.expectations()) {
            List<Probe> probes = new ArrayList<>();
            for (InetAddress a : lab.targetAddresses(e.from(), e.to())) probes.add(probe(e, a));
            out.add(new Planned(e.from(), e.to().toString(), probes, e.reach(), "expect"));
        }
        for (Segments.Segment s : Segments.of(lab)) {
            String source = "segment " + s.name() + (sampled(s, allPairs) ? " (sampled)" : "");
            for (IfacePair p : pairs(s, allPairs)) pair(p.from(), p.to(), source, out);
        }
        return out;
    }

    /** Two interfaces of a segment, a check from the first's node to the second's addresses. */
    public record IfacePair(Iface from, Iface to) {}

    static boolean sampled(Segments.Segment s, boolean allPairs) {
        return !allPairs && s.members().size() > ALL_PAIRS_MAX;
    }

    /** The segment's head: its bridge's interface when that is addressed, else its first member. */
    static Iface head(Segments.Segment s) {
        return s.members().stream().filter(i -> i.kind() instanceof IfaceKind.Bridge).findFirst().orElse(s.members().get(0));
    }

    /**
     * The pairs of a segment that {@code verify} checks, in order, by the sampling rule of the class comment (pairs
     * within one node included: they get no check).
     */
    static List<IfacePair> pairs(Segments.Segment s, boolean allPairs) {
        List<Iface> m = s.members();
        List<IfacePair> out = new ArrayList<>();
        if (!sampled(s, allPairs)) {
            for (Iface x : m) for (Iface y : m) out.add(new IfacePair(x, y));
            return out;
        }
        Iface head = head(s);
        for (Iface x : m) {
            out.add(new IfacePair(x, head));
            out.add(new IfacePair(head, x));
        }
        Random random = new Random(s.name().hashCode());
        Set<Long> drawn = new HashSet<>();
        for (int tries = 0; drawn.size() < m.size() && tries < 4 * m.size(); tries++) {
            int a = random.nextInt(m.size()), b = random.nextInt(m.size());
            Iface x = m.get(a), y = m.get(b);
            if (x == head || y == head || x.node().equals(y.node()) || !drawn.add((long) a * m.size() + b)) continue;
            out.add(new IfacePair(x, y));
        }
        return out;
    }

    static List<Planned> plan(Lab lab) {
        return plan(lab, false);
    }

    /** One address resolution a segment check makes: node {@code from} looks up an address of node {@code to}. */
    public record Resolution(String from, String to, boolean ipv6) {}

    /**
     * The neighbour entries {@code verify} (by its default rule) makes on the lab's segments, both ways: each check
     * from x to y leaves an entry for y in x's namespace and one for x in y's (the echo reply).
     */
    public static Set<Resolution> resolutions(Lab lab) {
        Set<Resolution> out = new HashSet<>();
        for (Planned p : plan(lab, false)) {
            if (p.toNode().isEmpty() || p.probes().isEmpty()) continue;
            boolean v6 = p.probes().get(0).target() instanceof Inet6Address;
            out.add(new Resolution(p.from(), p.toNode().get(), v6));
            out.add(new Resolution(p.toNode().get(), p.from(), v6));
        }
        return out;
    }

    /** ICMP from {@code x}'s node to each address of {@code y} on one of {@code x}'s subnets. */
    private static void pair(Iface x, Iface y, String source, List<Planned> out) {
        if (x.node().equals(y.node())) return;
        for (IpPrefix c : y.addresses()) {
            if (!Segments.sameSubnet(x, c)) continue;
            out.add(new Planned(x.node(), y.ref() + " " + Ip.text(c.address()), List.of(new Probe.Icmp(c.address())), true, source,
                    Optional.of(y.node())));
        }
    }

    private static Probe probe(Expectation e, InetAddress a) {
        if (e.measure().isPresent()) {
            return switch (e.measure().get()) {
                case Measure.Rtt r -> new Probe.Rtt(a, r);
                case Measure.Throughput t -> new Probe.Rate(a, e.port().orElseThrow(), t);
            };
        }
        return switch (e.proto()) {
            case ICMP -> new Probe.Icmp(a);
            case TCP -> new Probe.Tcp(a, e.port().orElse(80));
            case UDP -> new Probe.Udp(a, e.port().orElse(7));
            case HTTP -> new Probe.Http(a, e.port().orElse(80));
        };
    }
}
