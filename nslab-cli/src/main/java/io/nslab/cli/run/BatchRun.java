package io.nslab.cli.run;

import io.nslab.cli.CliException;
import io.nslab.cli.ExitCode;
import io.nslab.cli.ip.IpCommand;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.NlRequest;
import io.nslab.netlink.netns.NetNs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One batch run. Consecutive change lines for the same namespace are
 * planned and collected, then sent pipelined (many requests per sendmsg, the
 * ACKs read after) on that namespace's one cached socket. A group is sent
 * before: a line for another namespace, a line that reads state, a name
 * look-up that an earlier line of the group might affect, or a full chunk.
 *
 * <p>Errors are reported as {@code FILE:LINE: MESSAGE}; without -force the
 * run stops at the first one. Lines pipelined in the same group as a failing
 * line had already been sent with it (the kernel runs each request on its own).
 */
final class BatchRun {
    private static final int MAX_GROUP = 256;

    private final Executor x;
    private final List<IpRunner.Parsed> lines;
    private final boolean force;
    private final PrintStream err;
    private final NsPrefetch prefetch;

    private NsSession groupSession;
    private final List<IpRunner.Parsed> groupLines = new ArrayList<>();
    private final List<Planned> groupPlans = new ArrayList<>();
    private int status = ExitCode.OK;
    /** NSLAB_TRACE=1: where the batch's time went, on stderr (for benchmarking). */
    private final boolean trace = System.getenv("NSLAB_TRACE") != null;
    private long tTake, tFlush, tFlushHost, tPlan, tRun, nFlush, nReq;

    /** Thrown to end the run at the first error without -force. */
    private static final class Stop extends RuntimeException {
        Stop() { super(null, null, false, false); }
    }

    BatchRun(Executor x, List<IpRunner.Parsed> lines, boolean force, PrintStream err) {
        this.x = x;
        this.lines = lines;
        this.force = force;
        this.err = err;
        this.prefetch = new NsPrefetch(lines, x);
    }

    int run() {
        try {
            for (IpRunner.Parsed p : lines) step(p);
            flush();
            flushDeletes();
        } catch (Stop s) {
            // reported already
        } finally {
            prefetch.close(status != ExitCode.OK && !force);
        }
        if (trace) {
            err.printf("nslab trace: take %d ms, plan %d ms, flush %d ms (host %d ms; %d groups, %d requests), other %d ms%n",
                    tTake / 1_000_000, tPlan / 1_000_000, tFlush / 1_000_000, tFlushHost / 1_000_000, nFlush, nReq, tRun / 1_000_000);
            err.println("nslab trace: main thread " + schedstat());
        }
        return status;
    }

    /** Consecutive {@code netns del} lines, run together by {@link #flushDeletes}. */
    private final List<IpRunner.Parsed> pendingDeletes = new ArrayList<>();

    /**
     * The main thread's time on a CPU and waiting for one (runnable, not
     * running), from /proc/thread-self/schedstat: the rest of its wall time it
     * slept (on rtnl_lock, a namespace made ahead, a reply).
     */
    private static String schedstat() {
        try {
            String[] f = Files.readString(Path.of("/proc/thread-self/schedstat")).trim().split(" ");
            return "on cpu " + Long.parseLong(f[0]) / 1_000_000 + " ms, waiting for a cpu " + Long.parseLong(f[1]) / 1_000_000 + " ms";
        } catch (IOException | RuntimeException e) {
            return "schedstat unavailable: " + e.getMessage();
        }
    }

    private void step(IpRunner.Parsed p) {
        if (p.error() == null && p.command() instanceof IpCommand.NetnsDel) {
            flush();
            pendingDeletes.add(p);
            return;
        }
        flushDeletes();
        if (p.error() != null) {
            flush();
            fail(p, p.error());
            return;
        }
        try {
            if (Executor.isPlannable(p.command())) {
                NsSession s = x.sessions.get(x.where(p.line().netns()), p.command().text());
                if (s != groupSession) {
                    flush();
                    groupSession = s;
                    s.beforeLookup = this::flushChecked;
                }
                long t0 = System.nanoTime();
                Planned pl = x.plan(p.command(), s);
                tPlan += System.nanoTime() - t0;
                groupLines.add(p);
                groupPlans.add(pl);
                if (groupPlans.size() >= MAX_GROUP) flush();
            } else {
                flush();
                long t0 = System.nanoTime();
                if (p.command() instanceof IpCommand.NetnsAdd a && prefetch.has(a.name())) {
                    prefetch.take(a, x.sessions);
                    tTake += System.nanoTime() - t0;
                } else {
                    runCommand(p);
                }
            }
        } catch (CliException e) {
            flush();
            fail(p, e);
        }
    }

    /**
     * Runs the pending {@code netns del} lines: those up to the first one that
     * would fail for want of its namespace (absent, or named twice) on several
     * threads ({@link NsDeleteRun}), errors reported in file order; that line
     * and the rest one by one, as any other line. So a missing namespace stops
     * the batch with nothing after it deleted, as in iproute2.
     */
    private void flushDeletes() {
        if (pendingDeletes.isEmpty()) return;
        List<IpRunner.Parsed> run = List.copyOf(pendingDeletes);
        pendingDeletes.clear();
        long t0 = System.nanoTime();
        Set<String> seen = new HashSet<>();
        List<String> names = new ArrayList<>();
        for (IpRunner.Parsed p : run) {
            String name = ((IpCommand.NetnsDel) p.command()).name();
            if (!seen.add(name) || !NetNs.exists(name)) break;
            names.add(name);
        }
        if (names.size() > 1) {
            for (String n : names) x.sessions.forget(n);
            var results = NsDeleteRun.deleteAll(names);
            tRun += System.nanoTime() - t0;
            for (int i = 0; i < names.size(); i++) {
                if (results.get(i).isPresent()) {
                    IpRunner.Parsed p = run.get(i);
                    fail(p, CliException.failed(NetnsOps.message(p.command().text(), results.get(i).get())));
                }
            }
        } else {
            tRun += System.nanoTime() - t0;
            names.clear();
        }
        for (IpRunner.Parsed p : run.subList(names.size(), run.size())) runOne(p);
    }

    private void flushChecked() throws CliException {
        flush();
    }

    /** A line run on its own (not pipelined): reads state, or more than requests. */
    private void runCommand(IpRunner.Parsed p) throws CliException {
        long t0 = System.nanoTime();
        int rc = x.run(p.command(), p.line().netns());
        tRun += System.nanoTime() - t0;
        if (rc != ExitCode.OK) {
            status = batchStatus(status, rc);
            if (!force) throw new Stop();
        }
    }

    /** {@link #runCommand} with its error reported against its line. */
    private void runOne(IpRunner.Parsed p) {
        try {
            runCommand(p);
        } catch (CliException e) {
            fail(p, e);
        }
    }

    /** Sends the pending group; reports each failed line. */
    private void flush() {
        if (groupPlans.isEmpty()) return;
        List<Planned> plans = List.copyOf(groupPlans);
        List<IpRunner.Parsed> who = List.copyOf(groupLines);
        groupPlans.clear();
        groupLines.clear();
        List<NlRequest> reqs = new ArrayList<>();
        for (Planned p : plans) reqs.addAll(p.requests());
        if (reqs.isEmpty()) return;
        List<Optional<ErrnoException>> results;
        long t0 = System.nanoTime();
        nFlush++;
        nReq += reqs.size();
        try {
            results = groupSession.socket().executeAll(reqs);
            tFlush += System.nanoTime() - t0;
            if (groupSession.name().isEmpty()) tFlushHost += System.nanoTime() - t0;
        } catch (ErrnoException e) {
            fail(who.get(0), Kernel.error(plans.get(0).text(), e));
            return;
        } catch (CliException e) {
            fail(who.get(0), e);
            return;
        }
        int i = 0;
        CliException first = null;
        IpRunner.Parsed firstWho = null;
        for (int k = 0; k < plans.size(); k++) {
            Planned p = plans.get(k);
            for (int r = 0; r < p.requests().size(); r++, i++) {
                if (results.get(i).isPresent()) {
                    CliException e = Kernel.error(p.text(), p.explain().apply(results.get(i).get()));
                    if (force) {
                        report(who.get(k), e);
                    } else if (first == null) {
                        first = e;
                        firstWho = who.get(k);
                    }
                }
            }
        }
        if (first != null) fail(firstWho, first);
    }

    private void report(IpRunner.Parsed p, CliException e) {
        err.println("nslab: " + p.line().where() + ": " + e.getMessage());
        status = batchStatus(status, e.exitCode());
    }

    /**
     * ip -batch's status: 1 once any line failed, whatever its own status; a line ip rejects with
     * exit(-1) (an unknown word, an invalid value) ends the whole run there with 255, even with -force.
     */
    static int batchStatus(int status, int lineStatus) {
        if (status == ExitCode.IP_INVALID || lineStatus == ExitCode.IP_INVALID) return ExitCode.IP_INVALID;
        return lineStatus == ExitCode.OK ? status : ExitCode.USAGE;
    }

    private void fail(IpRunner.Parsed p, CliException e) {
        if (e instanceof Sessions.NoSuchNamespace && p.line().netns().isPresent()) e = CliException.usage(e.getMessage());
        report(p, e);
        if (!force || e.exitCode() == ExitCode.IP_INVALID) throw new Stop();
    }
}
