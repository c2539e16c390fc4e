package io.nslab.cli.lab;

import io.nslab.cli.CliException;
import io.nslab.cli.ExitCode;
import io.nslab.lab.engine.LabEngine;
import io.nslab.lab.engine.LabInspect;
import io.nslab.lab.model.KernelNames;
import io.nslab.lab.model.Lab;
import io.nslab.lab.model.Node;
import io.nslab.lab.verify.Check;
import io.nslab.lab.verify.FailureCaptures;
import io.nslab.lab.verify.Priming;
import io.nslab.lab.verify.Report;
import io.nslab.lab.verify.Verifier;
import io.nslab.netlink.netns.NetNs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code nslab verify FILE}: the file's expectations plus all-pairs reachability per segment; non-zero on a miss. */
@Command(name = "verify", description = {"Check a lab that is up: the file's expectations and ICMP between all pairs on each shared segment,",
        "from inside the namespaces with nslab's own probes (no ping). Exits 2 on any miss."})
public final class VerifyCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Output output;

    @Mixin Instance instance;

    @Parameters(paramLabel = "FILE|LAB", description = "the lab file, or the name of a lab that is up")
    String target;

    @Option(names = "--timeout", paramLabel = "MS", description = "per-probe timeout in milliseconds (default ${DEFAULT-VALUE})")
    int timeoutMillis = 1500;

    @Option(names = "--all-pairs", description = "check every pair of every segment (by default a segment of more than 16 members is sampled: each member to and from its head, plus as many seeded random pairs as it has members)")
    boolean allPairs;

    @Option(names = "--no-prime", description = "do not make the neighbour entries of a segment of more than 1,024 members with unicast ARP before probing it (then every probe's ARP request is broadcast to every port)")
    boolean noPrime;

    @Option(names = "--parallel", paramLabel = "N", description = "probe threads at most (default ${DEFAULT-VALUE})")
    int parallel = Verifier.DEFAULT_PARALLEL;

    @Option(names = "--capture", paramLabel = "DIR", description = "run each failed check again, capturing on the interfaces of its path into DIR/NN-FROM-TO.pcapng")
    Path captureDir;

    @Override public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Lab lab = instance.load(target, spec.commandLine().getErr());
        KernelNames names = lab.kernelNames();
        for (Node n : lab.nodes())
            if (!NetNs.exists(names.netns(n.name()))) throw CliException.failed("verify " + lab.name() + ": the lab is not up (no netns " + names.netns(n.name()) + "); run nslab up " + target);
        if (parallel < 1) throw CliException.usage("verify: --parallel must be at least 1, not " + parallel);
        Report r = new Verifier(Duration.ofMillis(timeoutMillis), allPairs, parallel,
                noPrime ? Priming.Rule.OFF : Priming.Rule.DEFAULT, spec.commandLine().getErr()::println).verify(lab);
        print(out, r, output.json());
        save(r);
        if (captureDir != null) {
            for (FailureCaptures.Written w : FailureCaptures.write(lab, r, captureDir, Duration.ofMillis(timeoutMillis))) {
                spec.commandLine().getErr().println("capture: " + w.file() + " (" + w.packets() + " packets on "
                        + String.join(", ", w.interfaces().stream().map(Object::toString).toList()) + "; " + w.check().from() + " -> "
                        + w.check().to() + " " + w.check().probe().describe() + " again: " + (w.rerun().reached() ? "reached" : "blocked")
                        + " (" + w.rerun().detail() + "))");
            }
        }
        return r.passed() ? ExitCode.OK : ExitCode.FAILED;
    }

    /** The result, for {@code status -o json}: kept in the lab's state directory while it is up. */
    private static void save(Report r) throws Exception {
        Path dir = LabEngine.system().dirs().lab(r.lab());
        if (!Files.isDirectory(dir)) return;
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("time", Instant.now().toString());
        j.putAll(json(r));
        Files.writeString(LabInspect.verifyFile(dir), Output.JSON.writeValueAsString(j) + "\n");
    }

    static void print(PrintWriter out, Report r, boolean json) throws Exception {
        if (!json) {
            out.print(r.table());
            return;
        }
        out.println(Output.JSON.writeValueAsString(json(r)));
    }

    static Map<String, Object> json(Report r) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("lab", r.lab());
        j.put("passed", r.passed());
        j.put("failures", r.failures());
        List<Map<String, Object>> checks = new ArrayList<>();
        for (Check c : r.checks()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ok", c.passed());
            m.put("from", c.from());
            m.put("to", c.to());
            m.put("probe", c.probe().describe());
            m.put("expect", c.expectReach() ? "reach" : "blocked");
            m.put("reached", c.result().reached());
            m.put("detail", c.result().detail());
            m.put("ms", Math.round(c.result().elapsed().toNanos() / 1e5) / 10.0);
            m.put("source", c.source());
            checks.add(m);
        }
        j.put("checks", checks);
        return j;
    }
}
