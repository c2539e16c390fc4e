package io.nslab.lab.run;

import io.nslab.lab.model.KernelNames;
import io.nslab.lab.model.Lab;
import io.nslab.lab.model.Node;
import io.nslab.lab.model.Ready;
import io.nslab.lab.model.Run;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.InetDiag;
import io.nslab.netlink.netns.ExecOptions;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.netns.NetNsException;
import io.nslab.netlink.netns.NsSpawner;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Starts the nodes' {@code run:} processes: each node's list in order, the next one once the one before is
 * ready, a node's first once every node its {@code after:} names is ready; independent nodes at the same time.
 * Spawns go through one {@link NsSpawner} per run (a few reused threads; each process's mount namespace is a
 * copy of a base without the machine's namespace files, so a start costs the same with 10 or 1,000 nodes);
 * one loop watches every pending process: its end, its ready condition (a tcp port asked over a sock_diag
 * socket opened in the node at the start, a udp port read from the socket tables of the process's
 * namespace), its timeout, counted from its start.
 */
final class Launcher {
    /** A process this run started: enough to stop it again on rollback. */
    record Started(String node, int index, long pid, long start) {}

    private static final long POLL_NANOS = 5_000_000;

    private final Lab lab;
    private final KernelNames names;
    private final Path logs;
    private final RunJournal journal;
    private final Set<String> kept;               // "node/index" already running with the same spec
    private final String run;                     // LAB:RUNID: the token prefix of this run's processes
    private final BooleanSupplier cancelled;
    private final List<Started> started = new ArrayList<>();
    private final AtomicBoolean aborted = new AtomicBoolean();
    private final Set<String> awaited = new HashSet<>();   // nodes some after: names
    private NsSpawner nsSpawner;                  // set by run() before any spawn is queued
    /** What a spec's starts share, computed once per distinct spec, not per start (1,000 nodes, one spec). */
    private final Map<Key, Derived> derived = new ConcurrentHashMap<>();
    private int rounds, probes;                   // for NSLAB_TRACE

    /** What makes two run: entries the same spec (not where in the file they were written: Run's src). */
    private record Key(List<String> cmd, Map<String, String> env, Optional<String> workdir, Ready ready) {
        static Key of(Run r) { return new Key(r.cmd(), r.env(), r.workdir(), r.ready()); }
    }

    /** A spec's journal identity, working directory and whether its ready probe needs a diag socket. */
    private record Derived(String spec, File workdir, boolean tcp) {
        static Derived of(Run r) {
            return new Derived(Specs.of(r), new File(r.workdir().orElse("/")), r.ready() instanceof Ready.Tcp);
        }
    }

    private final class NodeRun {
        final Node node;
        final String netns;
        int next;
        Pending pending;

        NodeRun(Node node) {
            this.node = node;
            this.netns = names.netns(node.name());
        }

        boolean done() { return pending == null && next >= node.run().size(); }
    }

    /** A process being started; {@code spawned} holds when it was, so a queue of starts does not eat its timeout. */
    private record Pending(int index, Run run, CompletableFuture<Spawned> spawn) {
        long since() { return spawn.join().at(); }
    }

    /** A started process, when, and for a tcp ready probe a diag socket in its node (closed once it is ready). */
    private record Spawned(Process process, long at, Optional<InetDiag> diag) {
        void closeProbe() {
            diag.ifPresent(InetDiag::close);
        }
    }

    Launcher(Lab lab, Path logs, RunJournal journal, Set<String> kept, String run, BooleanSupplier cancelled) {
        this.run = run;
        this.lab = lab;
        this.names = lab.kernelNames();
        this.logs = logs;
        this.journal = journal;
        this.kept = kept;
        this.cancelled = cancelled;
    }

    /** What this run started so far (for rollback, also after a failure). */
    List<Started> started() {
        synchronized (started) {
            return List.copyOf(started);
        }
    }

    /** Starts everything; returns when every process is ready, or throws naming the first that is not. */
    int run() throws RunException {
        Map<String, NodeRun> nodes = new LinkedHashMap<>();
        for (Node n : lab.nodes()) if (!n.run().isEmpty()) nodes.put(n.name(), new NodeRun(n));
        if (nodes.isEmpty()) return 0;
        for (NodeRun nr : nodes.values()) for (Run r : nr.node.run()) awaited.addAll(r.after());
        try {
            Files.createDirectories(logs);
        } catch (Exception e) {
            throw new RunException("cannot create " + logs + ": " + e.getMessage(), e);
        }
        // one start at a time per core: measured at 1,000 processes on 2 cores, 2 threads started them in
        // 1.3 s, 4 in 2.3 s, 8 in 1.5 s (a start is CPU in the kernel: mount namespace copy, sysfs, exec)
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        int count = 0;
        try {
            nsSpawner = NsSpawner.open(threads);
        } catch (NetNsException e) {
            throw new RunException("cannot start processes: " + e.getMessage(), e);
        }
        // twice as many callers as spawn threads: a caller's own part (journal lines, /proc/PID/stat) then
        // overlaps the next spawn instead of leaving a spawn thread idle
        ExecutorService spawner = Executors.newFixedThreadPool(2 * threads, Thread.ofPlatform().daemon(true).name("nslab-run-", 0).factory());
        try {
            while (true) {
                if (cancelled.getAsBoolean()) throw new RunException("interrupted");
                boolean progressed = false, all = true;
                for (NodeRun nr : nodes.values()) {
                    while (nr.pending == null && nr.next < nr.node.run().size()) {
                        if (kept.contains(nr.node.name() + "/" + nr.next)) {
                            nr.next++;
                            progressed = true;
                            continue;
                        }
                        Run r = nr.node.run().get(nr.next);
                        if (!r.after().stream().allMatch(a -> nodes.get(a) == null || nodes.get(a).done())) break;
                        int index = nr.next;
                        nr.pending = new Pending(index, r, CompletableFuture.supplyAsync(() -> spawn(nr, index, r), spawner));
                        progressed = true;
                        count++;
                    }
                    if (!nr.done()) all = false;
                }
                if (all) return count;
                List<NodeRun> probe = new ArrayList<>();
                for (NodeRun nr : nodes.values()) {
                    Pending p = nr.pending;
                    if (p == null || !p.spawn.isDone()) continue;
                    Process proc = spawned(nr, p);
                    long waited = System.nanoTime() - p.since();
                    if (!proc.isAlive()) {
                        int code = proc.exitValue();
                        if (p.run.ready() instanceof Ready.Exit && code == 0) {
                            journal(RunJournal.Entry.exited(nr.node.name(), p.index));
                            progressed |= advance(nr);
                            continue;
                        }
                        throw failure(nr, p, "ended with " + exit(code) + " before it was ready (" + p.run.ready().word() + ")");
                    }
                    boolean ready = switch (p.run.ready()) {
                        case Ready.Started _ -> true;
                        case Ready.Delay d -> waited >= d.after().toNanos();
                        case Ready.File f -> Files.exists(Path.of(f.path()));
                        case Ready.Exit _ -> false;
                        case Ready.Tcp _, Ready.Udp _ -> {
                            probe.add(nr);
                            yield false;
                        }
                    };
                    if (ready) {
                        progressed |= advance(nr);
                    } else if (waited > p.run.timeout().toNanos() && !(p.run.ready() instanceof Ready.Tcp || p.run.ready() instanceof Ready.Udp)) {
                        throw failure(nr, p, "not ready (" + p.run.ready().word() + ") after " + p.run.timeout().toMillis() + " ms");
                    }
                }
                for (NodeRun nr : probe) {
                    Pending p = nr.pending;
                    probes++;
                    if (listening(p)) {
                        progressed |= advance(nr);
                    } else if (System.nanoTime() - p.since() > p.run.timeout().toNanos()) {
                            throw failure(nr, p, "not ready (" + p.run.ready().word() + ": nothing "
                                + (p.run.ready() instanceof Ready.Tcp ? "listens on it" : "bound to it") + ") after " + p.run.timeout().toMillis() + " ms");
                    }
                }
                rounds++;
                if (!progressed) sleep();
            }
        } finally {
            if (System.getenv("NSLAB_TRACE") != null) System.err.printf("nslab trace: launcher %d rounds, %d ready probes%n", rounds, probes);
            // starts not begun are dropped (no interrupt: it would close the journal's channel under a writer);
            // those in flight finish, recorded in started, before a rollback reads it
            aborted.set(true);
            spawner.shutdown();
            try {
                spawner.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            nsSpawner.close();
            for (NodeRun nr : nodes.values())
                if (nr.pending != null && nr.pending.spawn().isDone() && !nr.pending.spawn().isCompletedExceptionally()) nr.pending.spawn().join().closeProbe();
        }
    }

    /**
     * Whether the ready port is in use in the process's namespace. TCP: asked over the sock_diag socket
     * opened in the node at the start (the kernel walks only its listening sockets); without one (no
     * inet_diag in this kernel), and for UDP, from /proc/PID/net (the tables of the namespace PID is in,
     * readable from any thread, but each read walks the machine's whole socket hash).
     */
    private static boolean listening(Pending p) {
        Spawned s = p.spawn().join();
        long pid = s.process().pid();
        try {
            if (s.diag().isPresent() && p.run().ready() instanceof Ready.Tcp t) {
                try {
                    return s.diag().get().tcpListening(t.port());
                } catch (ErrnoException e) {
                    // no inet_diag for TCP here: read the tables instead
                }
            }
            return switch (p.run().ready()) {
                case Ready.Tcp t -> Listening.tcp(pid, t.port());
                case Ready.Udp u -> Listening.udp(pid, u.port());
                default -> false;
            };
        } catch (IOException gone) {
            return false; // ended: seen as such on the next round
        }
    }

    /**
     * Moves the node past its pending process; true if that may let a start go (the node has more to run, or
     * another node waits for it): only then is the next round worth running at once. Otherwise the loop sleeps
     * its poll interval: a round visits every node and probes every started one, and running one per ready
     * process (a thousand rounds of a thousand nodes) took CPU the starts themselves need.
     */
    private boolean advance(NodeRun nr) {
        if (nr.pending != null) nr.pending.spawn().join().closeProbe();
        nr.pending = null;
        nr.next++;
        return nr.next < nr.node.run().size() || awaited.contains(nr.node.name());
    }

    /** On a spawn thread: journal the intent, start the process in the node's namespace, journal its pid. */
    private Spawned spawn(NodeRun nr, int index, Run r) {
        if (aborted.get()) throw new CancellationException("up failed: not started");
        String node = nr.node.name();
        String token = run + node + ":" + index;
        Derived d = derived.computeIfAbsent(Key.of(r), k -> Derived.of(r));
        try {
            journal.appendProcess(RunJournal.Entry.start(node, index, d.spec(), token, r.cmd()));
            ProcessBuilder pb = new ProcessBuilder(r.cmd());
            pb.environment().put("NSLAB_LAB", lab.name());
            pb.environment().put("NSLAB_NODE", node);
            pb.environment().put(LabRuntime.TOKEN, token);
            pb.environment().putAll(r.env());
            pb.directory(d.workdir()); // the documented default ("/"), not wherever nslab was started
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(LabRuntime.log(logs, node, index).toFile()));
            pb.redirectErrorStream(true);
            Process p;
            Optional<InetDiag> diag;
            boolean tcp = d.tcp();
            try (NetNs ns = NetNs.open(nr.netns)) {
                NsSpawner.Spawned<Optional<InetDiag>> sp = nsSpawner.start(ns, pb, ExecOptions.forName(nr.netns),
                        () -> tcp ? probeSocket() : Optional.<InetDiag>empty());
                p = sp.process();
                diag = sp.inside();
            }
            long start = ProcStat.of(p.pid()).map(ProcStat::start).orElse(0L);
            synchronized (started) {
                started.add(new Started(node, index, p.pid(), start));
            }
            journal.appendProcess(RunJournal.Entry.pid(node, index, p.pid(), start));
            return new Spawned(p, System.nanoTime(), diag);
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** On a spawn thread inside the node: a sock_diag socket there, if this kernel has one. */
    private static Optional<InetDiag> probeSocket() {
        try {
            return Optional.of(InetDiag.open());
        } catch (ErrnoException e) {
            return Optional.empty();
        }
    }

    private Process spawned(NodeRun nr, Pending p) throws RunException {
        try {
            return p.spawn().get().process();
        } catch (ExecutionException e) {
            Throwable c = e.getCause() instanceof IllegalStateException i && i.getCause() != null ? i.getCause() : e.getCause();
            throw new RunException(Specs.label(nr.node.name(), p.index(), p.run()) + ": cannot start: " + c.getMessage(), c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunException("interrupted", e);
        }
    }

    private void journal(RunJournal.Entry e) throws RunException {
        try {
            journal.appendProcess(e);
        } catch (Exception x) {
            throw new RunException("cannot write the run journal: " + x.getMessage(), x);
        }
    }

    private RunException failure(NodeRun nr, Pending p, String what) {
        Path log = LabRuntime.log(logs, nr.node.name(), p.index());
        List<String> tail = LabRuntime.tail(log, 5);
        // one line, as every nslab error: the log's last lines joined by " | "
        String msg = Specs.label(nr.node.name(), p.index(), p.run()) + ": " + what
                + (tail.isEmpty() ? "; its log " + log + " is empty" : "; last lines of " + log + ": " + String.join(" | ", tail));
        return new RunException(msg);
    }

    private static String exit(int code) {
        return code > 128 ? "signal " + (code - 128) : "status " + code;
    }

    private static void sleep() throws RunException {
        try {
            Thread.sleep(Duration.ofNanos(POLL_NANOS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunException("interrupted", e);
        }
    }
}
