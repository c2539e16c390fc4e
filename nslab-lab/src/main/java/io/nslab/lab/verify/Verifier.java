package io.nslab.lab.verify;

import io.nslab.netlink.route.IpPrefix;
import io.nslab.lab.model.Expectation;
import io.nslab.lab.model.Iface;
import io.nslab.lab.model.Ip;
import io.nslab.lab.model.KernelNames;
import io.nslab.lab.model.Lab;
import io.nslab.lab.model.Measure;
import io.nslab.lab.model.Node;
import io.nslab.lab.probe.Probe;
import io.nslab.lab.probe.ProbeResult;
import io.nslab.lab.probe.Prober;
import io.nslab.netlink.netns.NetNs;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code nslab verify}: starts the file's services, then checks the file's
 * expectations and ICMP between every two addressed interfaces of a shared
 * segment (same subnet), each from inside its source namespace with nslab's
 * own probes. Sources run in parallel, each namespace's probes in order.
 */
public final class Verifier {
    /** Above this many addressed members a segment is checked as a star around its bridge, not all pairs. */
    static final int ALL_PAIRS_MAX = 16;

    private final Prober prober;

    public Verifier(Duration timeout) {
        this.prober = new Prober(timeout);
    }

    /** What to run: a source node, a label for the target, the probes (any one reaching counts), the expectation. */
    record Planned(String from, String to, List<Probe> probes, boolean expectReach, String source) {}

    public Report verify(Lab lab) throws Exception {
        long start = System.nanoTime();
        KernelNames names = lab.kernelNames();
        Map<String, NetNs> open = new LinkedHashMap<>();
        try {
            for (Node n : lab.nodes()) open.put(n.name(), NetNs.open(names.netns(n.name())));
            try (Services _ = Services.start(lab, open)) {
                List<Check> checks = run(plan(lab), open);
                return new Report(lab.name(), checks, Duration.ofNanos(System.nanoTime() - start));
            }
        } finally {
            open.values().forEach(NetNs::close);
        }
    }

    /** Runs planned checks: one queue per source namespace, all namespaces at once. */
    List<Check> run(List<Planned> planned, Map<String, NetNs> open) {
        Map<String, List<Integer>> bySource = new LinkedHashMap<>();
        for (int i = 0; i < planned.size(); i++) bySource.computeIfAbsent(planned.get(i).from(), k -> new ArrayList<>()).add(i);
        Check[] out = new Check[planned.size()];
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (var e : bySource.entrySet()) {
            NetNs ns = open.get(e.getKey());
            all.add(ns.submit(() -> {
                for (int i : e.getValue()) out[i] = check(planned.get(i));
                return null;
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
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

    /** Every check of the lab, expectations first. */
    static List<Planned> plan(Lab lab) {
        List<Planned> out = new ArrayList<>();
        for (Expectation e : lab.expectations()) {
            List<Probe> probes = new ArrayList<>();
            for (InetAddress a : lab.targetAddresses(e.from(), e.to())) probes.add(probe(e, a));
            out.add(new Planned(e.from(), e.to().toString(), probes, e.reach(), "expect"));
        }
        for (Segments.Segment s : Segments.of(lab)) {
            List<Iface> m = s.members();
            boolean star = m.size() > ALL_PAIRS_MAX;
            for (Iface x : m) {
                for (Iface y : m) {
                    if (x.node().equals(y.node())) continue;
                    if (star && x != m.get(0) && y != m.get(0)) continue;
                    for (IpPrefix c : y.addresses()) {
                        if (!Segments.sameSubnet(x, c)) continue;
                        out.add(new Planned(x.node(), y.ref() + " " + Ip.text(c.address()), List.of(new Probe.Icmp(c.address())),
                                true, "segment " + s.name()));
                    }
                }
            }
        }
        return out;
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
