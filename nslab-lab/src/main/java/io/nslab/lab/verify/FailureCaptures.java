package io.nslab.lab.verify;

import io.nslab.lab.model.IfRef;
import io.nslab.lab.model.KernelNames;
import io.nslab.lab.model.Lab;
import io.nslab.lab.model.Node;
import io.nslab.lab.probe.ProbeResult;
import io.nslab.lab.probe.Prober;
import io.nslab.netlink.packet.BpfCompiler;
import io.nslab.netlink.packet.PacketCapture;
import io.nslab.netlink.packet.PcapngWriter;
import io.nslab.netlink.netns.NetNs;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code nslab verify --capture DIR}: each failed check is run once more while nslab captures on the
 * interfaces of its path ({@link CheckPath}), into {@code DIR/NN-FROM-TO.pcapng} (one interface
 * description per captured interface, named {@code NODE:IF}), for {@code tcpdump -r} or Wireshark.
 */
public final class FailureCaptures {
    /** One file: the check it is about, the interfaces captured, the packets written, the re-run's result. */
    public record Written(Path file, Check check, List<IfRef> interfaces, long packets, ProbeResult rerun) {}

    /** Time given to the captures before the probe and after it (late replies, retransmissions). */
    static final Duration SETTLE = Duration.ofMillis(100), TAIL = Duration.ofMillis(300);

    private FailureCaptures() {}

    public static List<Written> write(Lab lab, Report report, Path dir, Duration timeout) throws Exception {
        List<Check> failed = report.checks().stream().filter(c -> !c.passed()).toList();
        if (failed.isEmpty()) return List.of();
        Files.createDirectories(dir);
        KernelNames names = lab.kernelNames();
        Map<String, NetNs> open = new LinkedHashMap<>();
        List<Written> out = new ArrayList<>();
        try {
            for (Node n : lab.nodes()) open.put(n.name(), NetNs.open(names.netns(n.name())));
            try (Services _ = Services.start(lab, open)) {
                int k = 0;
                for (Check c : report.checks()) {
                    k++;
                    if (c.passed()) continue;
                    Path file = dir.resolve(String.format("%02d-%s-%s.pcapng", k, safe(c.from()), safe(c.to())));
                    out.add(capture(lab, c, open, file, new Prober(timeout)));
                }
            }
        } finally {
            open.values().forEach(NetNs::close);
        }
        return out;
    }

    private static Written capture(Lab lab, Check c, Map<String, NetNs> open, Path file, Prober prober) throws Exception {
        List<IfRef> path = CheckPath.of(lab, c.from(), c.probe().target());
        List<PacketCapture> captures = new ArrayList<>();
        List<IfRef> taken = new ArrayList<>();
        AtomicLong packets = new AtomicLong();
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            PcapngWriter w = new PcapngWriter(os);
            try {
                for (IfRef r : path) {
                    NetNs ns = open.get(r.node());
                    if (ns == null) continue;
                    try {
                        captures.add(ns.call(() -> PacketCapture.open(r.name(), BpfCompiler.compile(List.of(), PacketCapture.DEFAULT_SNAPLEN))));
                        taken.add(r);
                    } catch (Exception e) {
                        // an interface the kernel does not have (down lab, renamed): capture the others
                    }
                }
                List<Integer> ids = new ArrayList<>();
                for (int i = 0; i < captures.size(); i++)
                    ids.add(w.addInterface(taken.get(i).toString(), captures.get(i).linkType(), captures.get(i).snaplen()));
                AtomicBoolean stop = new AtomicBoolean();
                List<Thread> readers = new ArrayList<>();
                for (int i = 0; i < captures.size(); i++) {
                    PacketCapture pc = captures.get(i);
                    int id = ids.get(i);
                    readers.add(Thread.ofPlatform().daemon().name("nslab-verify-capture").start(() -> {
                        try {
                            pc.capture(0, Duration.ZERO, stop::get, p -> {
                                synchronized (w) { w.write(id, p); }
                                packets.incrementAndGet();
                            });
                        } catch (IOException e) {
                            // the file's end is written by the caller; what came before stays
                        }
                    }));
                }
                Thread.sleep(SETTLE.toMillis());
                ProbeResult rerun = open.get(c.from()).call(() -> prober.run(c.probe()));
                Thread.sleep(TAIL.toMillis());
                stop.set(true);
                for (Thread t : readers) t.join(2000);
                synchronized (w) { w.flush(); }
                return new Written(file, c, taken, packets.get(), rerun);
            } finally {
                captures.forEach(PacketCapture::close);
            }
        }
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9_.-]+", "_");
    }
}
