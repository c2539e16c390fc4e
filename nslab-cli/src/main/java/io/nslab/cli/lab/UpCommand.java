package io.nslab.cli.lab;

import io.nslab.cli.CliException;
import io.nslab.cli.ExitCode;
import io.nslab.lab.apply.Applier;
import io.nslab.lab.apply.ApplyException;
import io.nslab.lab.apply.LabBusyException;
import io.nslab.lab.engine.ClashException;
import io.nslab.lab.engine.LabEngine;
import io.nslab.lab.engine.UpResult;
import io.nslab.lab.host.HostLimitException;
import io.nslab.lab.host.HostLimits;
import io.nslab.lab.model.Lab;
import io.nslab.lab.plan.Plan;
import io.nslab.lab.plan.Step;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code nslab up FILE}: idempotent, transactional, journaled, locked. */
@Command(name = "up", description = {"Build a lab: only what is missing is made (a second `up` changes nothing);",
        "--name NAME brings up another instance of the same file beside the first;",
        "a failing step undoes this run; the journal lets `down` remove everything even after a crash."})
public final class UpCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Output output;

    @Parameters(paramLabel = "FILE", description = "the lab file")
    Path file;

    @Mixin Instance instance;

    @Option(names = {"-v", "--verbose"}, description = "print each step made")
    boolean verbose;

    @Option(names = "--tune-host", description = {"raise the host's neighbour table limits (net.ipv4/ipv6.neigh.default.gc_thresh2/3) when the lab",
            "needs more entries than they allow; the old values come back when the last lab that needed them goes down"})
    boolean tuneHost;

    @Override public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        Lab lab = instance.of(LabFiles.require(file, err));
        instance.refuseTaken(lab, file);
        UpResult r;
        // Ctrl-C: stop before the next step and roll this run back (the JVM waits for the hook);
        // kill -9 leaves the journal, from which `nslab down` removes everything
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean completed = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            interrupted.set(true);
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            // a signal after the last step: the run is not rolled back, and the exit status (130/143) alone would not say so
            if (completed.get()) {
                err.println("nslab: up " + lab.name() + ": interrupted after its last step: the lab is up (`nslab down "
                        + lab.name() + "` removes it)");
                err.flush();
            }
        }, "nslab-up-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        Applier.FaultHook stop = (i, s) -> {
            if (interrupted.get()) throw new CancellationException("interrupted");
        };
        ProgressPrinter progress = new ProgressPrinter(err);
        progress.trace("loaded and validated " + lab.name());
        LabEngine engine = LabEngine.system();
        HostLimits.Check host = engine.hostLimits(lab);
        if (!host.readable()) err.println("nslab: " + host.note());
        try {
            r = engine.up(lab, Optional.of(file), progress, stop, tuneHost);
            completed.set(true);
            pauseAfterLastStep(lab.name(), err, finished);
            progress.trace("up done");
        } catch (ClashException | LabBusyException | HostLimitException e) {
            throw CliException.failed(e.getMessage());
        } catch (ApplyException e) {
            if (interrupted.get()) {
                // the JVM halts as soon as the hook returns: say it now
                err.println("nslab: up " + lab.name() + ": " + e.getMessage());
                err.flush();
            }
            throw CliException.failed("up " + lab.name() + ": " + e.getMessage());
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is waiting for us: it is released above
            }
        }
        print(out, r, output.json(), verbose);
        return ExitCode.OK;
    }

    /** A test seam (LabCommandsTest): with this set, {@code up} waits here, its last step made, until a signal ends it. */
    static final String PAUSE_AFTER_LAST_STEP = "NSLAB_TEST_PAUSE_AFTER_UP";

    /**
     * Where a signal lands "exactly after the last step": the run will not be
     * rolled back, and the shutdown hook must say that the lab is up. Only
     * with {@link #PAUSE_AFTER_LAST_STEP} in the environment, so that a test
     * can deliver the signal there deterministically.
     */
    private static void pauseAfterLastStep(String lab, PrintWriter err, CountDownLatch finished) throws InterruptedException {
        if (System.getenv(PAUSE_AFTER_LAST_STEP) == null) return;
        finished.countDown(); // the hook must not wait for a run that waits for it
        err.println("nslab: up " + lab + ": paused after its last step (" + PAUSE_AFTER_LAST_STEP + ")");
        err.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    static void print(PrintWriter out, UpResult r, boolean json, boolean verbose) throws Exception {
        long creates = r.applied().stream().filter(s -> Plan.actionOf(s) == Plan.Action.CREATE).count();
        double ms = r.took().toNanos() / 1e6;
        if (json) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("lab", r.lab());
            j.put("changed", r.changed());
            j.put("created", creates);
            j.put("changes", r.applied().size() - creates);
            j.put("deleted", r.removed().size());
            j.put("unchanged", r.satisfied());
            j.put("namespaces", r.applied().stream().filter(s -> s instanceof Step.CreateNs).map(s -> ((Step.CreateNs) s).name()).toList());
            j.put("ms", Math.round(ms * 10) / 10.0);
            out.println(Output.JSON.writeValueAsString(j));
            return;
        }
        if (verbose) {
            for (Step s : r.removed()) out.println("- " + s.describe());
            for (Step s : r.applied()) out.println(Plan.actionOf(s).sign + " " + s.describe());
        }
        if (!r.changed()) out.printf("up %s: nothing to do, %d steps already in place (%.1f ms)%n", r.lab(), r.satisfied(), ms);
        else out.printf(Locale.ROOT, "up %s: %d created, %d changed, %d deleted, %d unchanged in %.1f ms%n", r.lab(), creates,
                r.applied().size() - creates, r.removed().size(), r.satisfied(), ms);
    }
}
