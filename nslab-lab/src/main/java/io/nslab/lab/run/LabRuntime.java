package io.nslab.lab.run;

import io.nslab.lab.model.Lab;
import io.nslab.lab.model.Node;
import io.nslab.lab.model.Run;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * What a lab runs beside its network: the hosts files of its nodes and the {@code run:} processes, journaled
 * in {@code LAB/run.journal} ({@link RunJournal}), logs in {@code LAB/logs/NODE.I.log}. {@code up} calls
 * {@link #start} once the network is up, {@code down} calls {@link #stop} before the namespaces go.
 */
public final class LabRuntime {
    /** The environment variable every process carries: {@code LAB:RUN:NODE:INDEX}. */
    public static final String TOKEN = "NSLAB_PROC";

    private LabRuntime() {}

    /** What {@link #start} did: processes started, and those left running from an earlier {@code up}. */
    public record Started(int started, int kept) {}

    public static Path logs(Path labDir) {
        return labDir.resolve("logs");
    }

    public static Path log(Path logs, String node, int index) {
        return logs.resolve(node + "." + index + ".log");
    }

    /**
     * Creates the log file of every {@code run:} process (empty; one kept from an earlier {@code up} is left
     * as it is), ahead of the starts, which then only open them. Best effort: a file that cannot be made here
     * is made, or its failure reported, by the start.
     */
    public static void prepareLogs(Lab lab, Path labDir) {
        Path logs = logs(labDir);
        try {
            boolean any = false;
            for (Node n : lab.nodes()) any |= !n.run().isEmpty();
            if (!any) return;
            Files.createDirectories(logs);
        } catch (IOException | RuntimeException e) {
            return;
        }
        for (Node n : lab.nodes()) {
            for (int i = 0; i < n.run().size(); i++) {
                try {
                    Files.newByteChannel(log(logs, n.name(), i), StandardOpenOption.CREATE, StandardOpenOption.WRITE).close();
                } catch (IOException | RuntimeException e) {
                    // the start opens it again and says why it cannot
                }
            }
        }
    }

    /**
     * On a first {@code up} (no hosts files journaled yet), writes the hosts files ahead of {@link #start}, on a
     * thread beside the network's apply: journaled first, as there. Returns whether it wrote them; then
     * {@link #start} is told so and leaves them, and a failed apply calls {@link #removeHosts}. On a later
     * {@code up} it does nothing (the files in place stay as they are until the network is up). If the write
     * fails, what it wrote is removed again and {@link #start} writes them (and reports the failure).
     */
    public static boolean prepareHosts(Lab lab, Path labDir) {
        try {
            if (!RunJournal.read(labDir).hostsFiles().isEmpty()) return false;
            List<String> paths = Hosts.paths(lab);
            try (RunJournal journal = RunJournal.open(labDir)) {
                journal.append(RunJournal.Entry.hosts(paths));
                try {
                    Hosts.write(lab, paths);
                    return true;
                } catch (IOException | RuntimeException e) {
                    if (Hosts.remove(paths).isEmpty()) journal.append(RunJournal.Entry.hostsRemoved());
                    return false;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Undoes {@link #prepareHosts} after the network's apply failed. Returns problems. */
    public static List<String> removeHosts(Lab lab, Path labDir) throws IOException {
        List<String> problems = Hosts.remove(Hosts.paths(lab));
        if (problems.isEmpty()) {
            try (RunJournal journal = RunJournal.open(labDir)) {
                journal.append(RunJournal.Entry.hostsRemoved());
            }
        }
        return problems;
    }

    /**
     * Writes the hosts files, stops processes the file no longer has (or has changed), starts the missing
     * ones and waits until all are ready. On failure what this call started is stopped again (and the hosts
     * files removed if this call wrote them first), and the exception says which process failed and how.
     */
    public static Started start(Lab lab, Path labDir, BooleanSupplier cancelled) throws RunException, IOException {
        return start(lab, labDir, cancelled, false);
    }

    /** As {@link #start(Lab, Path, BooleanSupplier)}; {@code hostsAhead}: {@link #prepareHosts} wrote them. */
    public static Started start(Lab lab, Path labDir, BooleanSupplier cancelled, boolean hostsAhead) throws RunException, IOException {
        RunJournal.State state = RunJournal.read(labDir);
        try (RunJournal journal = RunJournal.open(labDir)) {
            List<String> paths = Hosts.paths(lab);
            boolean freshHosts = hostsAhead || state.hostsFiles().isEmpty();
            if (!hostsAhead) {
                List<String> gone = new ArrayList<>(state.hostsFiles());
                gone.removeAll(paths);
                Hosts.remove(gone);
                journal.append(RunJournal.Entry.hosts(paths));
                Hosts.write(lab, paths);
            }

            Set<String> kept = new HashSet<>();
            List<Stopper.Target> stale = new ArrayList<>();
            List<RunJournal.Entry> stopped = new ArrayList<>();
            for (RunJournal.Proc p : state.procs()) {
                Optional<Run> now = lab.node(p.node()).filter(n -> p.index() < n.run().size()).map(n -> n.run().get(p.index()));
                boolean same = now.map(r -> Specs.of(r).equals(p.spec())).orElse(false);
                boolean alive = p.pid().isPresent() && ProcStat.same(p.pid().getAsLong(), p.start().orElse(-1));
                if (same && (p.exited() || alive)) {
                    kept.add(p.node() + "/" + p.index());
                    continue;
                }
                if (alive) stale.add(new Stopper.Target(p.pid().getAsLong(), p.start().getAsLong()));
                stopped.add(RunJournal.Entry.stopped(p.node(), p.index()));
            }
            Stopper.stop(stale, Stopper.GRACE);
            journal.append(stopped);

            // the state directory's name, which is what down is given (an instance of a file may differ from its name:)
            String run = labDir.getFileName() + ":" + UUID.randomUUID().toString().substring(0, 8) + ":";
            Launcher launcher = new Launcher(lab, logs(labDir), journal, kept, run, cancelled);
            try {
                int n = launcher.run();
                return new Started(n, kept.size());
            } catch (RunException e) {
                List<Stopper.Target> mine = new ArrayList<>();
                for (Launcher.Started s : launcher.started()) mine.add(new Stopper.Target(s.pid(), s.start()));
                Stopper.stopAll(mine, run, Stopper.GRACE);
                List<RunJournal.Entry> undone = new ArrayList<>();
                for (Launcher.Started s : launcher.started()) undone.add(RunJournal.Entry.stopped(s.node(), s.index()));
                journal.append(undone);
                if (freshHosts && kept.isEmpty()) {
                    Hosts.remove(paths);
                    journal.append(RunJournal.Entry.hostsRemoved());
                }
                throw e;
            }
        }
    }

    /** Stops every process of the lab (state in {@code labDir}, named {@code lab}) and removes its hosts files; returns what could not be undone. */
    public static List<String> stop(String lab, Path labDir) throws IOException {
        RunJournal.State state = RunJournal.read(labDir);
        List<Stopper.Target> targets = new ArrayList<>();
        for (RunJournal.Proc p : state.procs())
            if (!p.exited() && p.pid().isPresent() && p.start().isPresent()) targets.add(new Stopper.Target(p.pid().getAsLong(), p.start().getAsLong()));
        List<String> problems = new ArrayList<>();
        List<Stopper.Target> left = state.procs().isEmpty() ? List.of() : Stopper.stopAll(targets, lab + ":", Stopper.GRACE);
        for (Stopper.Target t : left) problems.add("process " + t.pid() + " did not stop");
        if (state.procs().isEmpty() && state.hostsFiles().isEmpty()) return problems;
        try (RunJournal journal = RunJournal.open(labDir)) {
            if (problems.isEmpty()) {
                List<RunJournal.Entry> e = new ArrayList<>();
                for (RunJournal.Proc p : state.procs()) e.add(RunJournal.Entry.stopped(p.node(), p.index()));
                journal.append(e);
            }
            List<String> h = Hosts.remove(state.hostsFiles());
            if (h.isEmpty() && !state.hostsFiles().isEmpty()) journal.append(RunJournal.Entry.hostsRemoved());
            problems.addAll(h);
        }
        return problems;
    }

    /** A process as status shows it. {@code state}: running, exited (ready: exit, done), gone (ended since). */
    public record ProcInfo(String node, int index, List<String> cmd, Optional<Long> pid, String state, Path log) {}

    /** The lab's processes, in file order (those the journal knows of). */
    public static List<ProcInfo> processes(Lab lab, Path labDir) throws IOException {
        return processes(Optional.of(lab), labDir);
    }

    /**
     * The lab's processes the journal knows of: in file order with the commands the file has when {@code lab}
     * is given; without it (the file gone or no longer valid), by node and index with the commands journaled
     * at their start (empty for a journal written before commands were).
     */
    public static List<ProcInfo> processes(Optional<Lab> lab, Path labDir) throws IOException {
        RunJournal.State state = RunJournal.read(labDir);
        List<ProcInfo> out = new ArrayList<>();
        for (RunJournal.Proc p : state.procs()) {
            List<String> cmd = lab.flatMap(l -> l.node(p.node())).filter(n -> p.index() < n.run().size())
                    .map(n -> n.run().get(p.index()).cmd()).orElse(p.cmd());
            String st = p.exited() ? "exited"
                    : p.pid().isPresent() && ProcStat.same(p.pid().getAsLong(), p.start().orElse(-1)) ? "running" : "gone";
            out.add(new ProcInfo(p.node(), p.index(), cmd, p.pid().isPresent() ? Optional.of(p.pid().getAsLong()) : Optional.empty(), st,
                    log(logs(labDir), p.node(), p.index())));
        }
        // the journal has them in the order they were spawned (nodes at once): show them in file order
        Map<String, Integer> order = new HashMap<>();
        lab.ifPresent(l -> {
            for (Node n : l.nodes()) order.putIfAbsent(n.name(), order.size());
        });
        out.sort(Comparator.comparingInt((ProcInfo i) -> order.getOrDefault(i.node(), Integer.MAX_VALUE))
                .thenComparing(ProcInfo::node).thenComparingInt(ProcInfo::index));
        return out;
    }

    /** The logs of one node, in the order of its run: list (those that exist). */
    public static List<Path> logsOf(Node node, Path labDir) {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < node.run().size(); i++) {
            Path p = log(logs(labDir), node.name(), i);
            if (Files.exists(p)) out.add(p);
        }
        return out;
    }

    /** The last {@code n} lines of a log (for failure messages); reads at most its last 8 KiB. */
    static List<String> tail(Path log, int n) {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long len = f.length();
            long from = Math.max(0, len - 8192);
            byte[] b = new byte[(int) (len - from)];
            f.seek(from);
            f.readFully(b);
            List<String> lines = new ArrayList<>(List.of(new String(b, StandardCharsets.UTF_8).split("\n")));
            if (from > 0 && !lines.isEmpty()) lines.removeFirst();
            lines.removeIf(String::isBlank);
            return lines.subList(Math.max(0, lines.size() - n), lines.size());
        } catch (IOException e) {
            return List.of();
        }
    }
}
