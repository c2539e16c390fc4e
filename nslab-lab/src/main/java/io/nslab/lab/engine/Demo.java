package io.nslab.lab.engine;

import io.nslab.lab.apply.Applier;
import io.nslab.lab.apply.Progress;
import io.nslab.lab.model.Lab;
import io.nslab.lab.model.Problem;
import io.nslab.lab.plan.Step;
import io.nslab.lab.validate.Validator;
import io.nslab.lab.verify.Report;
import io.nslab.lab.verify.Verifier;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code nslab demo}: validate, up, verify, graph, down of one lab (the
 * embedded S10 lab by default), timing each phase. It leaves nothing behind
 * even when interrupted: {@link #interrupt()} (called from a shutdown hook on
 * Ctrl-C) stops the run between steps, rolls back a half-done {@code up}, and
 * runs {@code down} from the journal before the JVM exits.
 */
public final class Demo {
    /** One finished phase: its name, how long it took, and a one-line result. */
    public record Phase(String name, Duration took, String detail) {}

    /** Hears phases as they end. */
    @FunctionalInterface
    public interface Listener { void phase(Phase p); }

    /** Draws the lab into a directory; returns the files written. */
    @FunctionalInterface
    public interface GraphWriter { List<Path> write(Lab lab, Path dir) throws Exception; }

    /** Everything the demo did; {@code verify} is the report of the verify phase. */
    public record Result(List<Phase> phases, Optional<Report> verify, boolean passed) {}

    private final LabEngine engine;
    private final Lab lab;
    private final Duration probeTimeout;
    private final Optional<GraphWriter> graph;
    private final ReentrantLock running = new ReentrantLock(true);
    private final AtomicBoolean interrupted = new AtomicBoolean();

    public Demo(LabEngine engine, Lab lab, Duration probeTimeout, Optional<GraphWriter> graph) {
        this.engine = engine;
        this.lab = lab;
        this.probeTimeout = probeTimeout;
        this.graph = graph;
    }

    public Result run(Listener listener) throws Exception {
        List<Phase> phases = new ArrayList<>();
        Listener l = p -> {
            phases.add(p);
            listener.phase(p);
        };
        Optional<Report> report = Optional.empty();
        if (engine.status(lab.name()).steps() > 0)
            throw new IllegalStateException("lab " + lab.name() + " is already up; the demo removes what it makes, so it will not "
                    + "take over a lab of yours (nslab down " + lab.name() + " first)");
        boolean upDone = false;
        try {
            phase("validate", l, () -> {
                List<Problem> problems = Validator.validate(lab);
                if (!problems.isEmpty()) throw new IllegalStateException("lab " + lab.name() + " is invalid: " + problems);
                return lab.nodes().size() + " nodes, " + lab.links().size() + " links, " + lab.expectations().size() + " expectations";
            });
            Applier.FaultHook stop = (i, s) -> {
                if (interrupted.get()) throw new CancellationException("interrupted");
            };
            phase("up", l, () -> {
                UpResult r = engine.up(lab, Optional.empty(), Progress.NONE, stop);
                return r.applied().size() + " steps, " + r.applied().stream().filter(s -> s instanceof Step.CreateNs).count() + " namespaces";
            });
            upDone = true;
            Report[] rep = new Report[1];
            phase("verify", l, () -> {
                rep[0] = new Verifier(probeTimeout).verify(lab);
                return (rep[0].checks().size() - rep[0].failures()) + "/" + rep[0].checks().size() + " checks passed";
            });
            report = Optional.of(rep[0]);
            if (graph.isPresent()) {
                phase("graph", l, () -> {
                    Path dir = Files.createTempDirectory("nslab-demo-");
                    List<Path> files = graph.get().write(lab, dir);
                    return String.join(", ", files.stream().map(Path::toString).toList());
                });
            }
        } finally {
            // down always runs (also after a failed phase): the demo leaves nothing behind
            if (!interrupted.get() || upDone) {
                phase("down", l, () -> {
                    DownResult d = engine.down(lab.name());
                    if (!d.clean()) throw new IllegalStateException("down left: " + d.problems());
                    return d.namespaces().size() + " namespaces removed";
                });
            }
        }
        return new Result(phases, report, report.map(Report::passed).orElse(false));
    }

    private interface Body { String run() throws Exception; }

    private void phase(String name, Listener l, Body body) throws Exception {
        running.lock();
        try {
            if (interrupted.get() && !name.equals("down")) throw new CancellationException("interrupted before " + name);
            long t = System.nanoTime();
            String detail = body.run();
            l.phase(new Phase(name, Duration.ofNanos(System.nanoTime() - t), detail));
        } finally {
            running.unlock();
        }
    }

    /**
     * Stops the demo from another thread (a shutdown hook): waits for the
     * current step to end, then removes whatever the lab has made.
     */
    public void interrupt() {
        interrupted.set(true);
        running.lock();
        try {
            engine.down(lab.name());
        } catch (Exception e) {
            System.err.println("nslab demo: cleanup after interrupt failed: " + e.getMessage() + " (run: nslab down " + lab.name() + ")");
        } finally {
            running.unlock();
        }
    }
}
