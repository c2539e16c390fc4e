package io.nslab.lab.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nslab.lab.apply.Applier;
import io.nslab.lab.apply.ApplyException;
import io.nslab.lab.apply.Executor;
import io.nslab.lab.apply.Journal;
import io.nslab.lab.apply.KernelExecutor;
import io.nslab.lab.apply.LabBusyException;
import io.nslab.lab.apply.LabDirs;
import io.nslab.lab.apply.LabLock;
import io.nslab.lab.apply.NsMarks;
import io.nslab.lab.apply.Progress;
import io.nslab.lab.host.HostLimitException;
import io.nslab.lab.host.HostLimits;
import io.nslab.lab.host.HostNeed;
import io.nslab.lab.model.IfRef;
import io.nslab.lab.model.KernelNames;
import io.nslab.lab.model.Lab;
import io.nslab.lab.plan.LabSteps;
import io.nslab.lab.plan.Plan;
import io.nslab.lab.plan.Planner;
import io.nslab.lab.plan.Step;
import io.nslab.lab.run.LabRuntime;
import io.nslab.netlink.Errno;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.netns.NetNsException;
import io.nslab.netlink.tc.QdiscKindMissingException;
import io.nslab.state.CorruptJournalException;
import io.nslab.state.Marker;
import io.nslab.state.StateDir;
import io.nslab.state.StateException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The lab lifecycle over the kernel: plan, up, down, status. State lives in
 * {@code /run/nslab/labs/LAB/} ({@link LabDirs}): the journal, the lock and
 * {@code lab.json} (where the lab came from).
 */
public final class LabEngine {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String META = "lab.json";
    private static final long META_LIMIT = 64 << 10;

    private final LabDirs dirs;
    private final Supplier<Executor> kernel;
    private final HostLimits host;

    public LabEngine(LabDirs dirs, Supplier<Executor> kernel) {
        this(dirs, kernel, new HostLimits(Path.of("/proc"), dirs.root()));
    }

    /** @param host the limits the host sets for every namespace (over a fake procfs in tests) */
    public LabEngine(LabDirs dirs, Supplier<Executor> kernel, HostLimits host) {
        this.dirs = dirs;
        this.kernel = kernel;
        this.host = host;
    }

    /** The engine on this machine's kernel, state in /run/nslab (or $NSLAB_RUN). */
    public static LabEngine system() {
        return new LabEngine(LabDirs.system(), KernelExecutor::new);
    }

    public LabDirs dirs() { return dirs; }

    /** What {@code up} would do now; changes nothing, takes no lock. */
    public Plan plan(Lab lab) throws Exception {
        List<Step> desired = LabSteps.of(lab);
        List<Step> owned = owned(lab.name());
        try (Executor k = kernel.get()) {
            return Planner.plan(desired, k.observe(concat(desired, owned)), owned);
        }
    }

    private List<Step> owned(String lab) throws IOException {
        return Journal.live(Journal.read(dirs.lab(lab).resolve("journal"))).stream().map(Journal.Done::step).toList();
    }

    private static List<Step> concat(List<Step> a, List<Step> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    /**
     * Why {@code up} would refuse the plan's steps on this kernel (a netem impairment without
     * {@code CONFIG_NET_SCH_NETEM}): the same preflight {@code up} runs, its one line; empty when
     * the kernel has what they need ({@code plan} warns with it).
     */
    public Optional<String> kernelLacks(Plan plan) throws Exception {
        try (Executor k = kernel.get()) {
            k.preflight(plan.steps());
            return Optional.empty();
        } catch (QdiscKindMissingException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** What the lab needs of the host (neighbour entries, broadcast fan-out) against its limits ({@code plan} shows it, {@code up} enforces it). */
    public HostLimits.Check hostLimits(Lab lab) {
        return host.check(HostNeed.of(lab));
    }

    public UpResult up(Lab lab, Optional<Path> source, Progress progress, Applier.FaultHook fault)
            throws ClashException, ApplyException, LabBusyException, HostLimitException, Exception {
        return up(lab, source, progress, fault, false);
    }

    /**
     * Makes the kernel match the lab: refuses clashes and a lab that does not fit
     * in the host's limits (neighbour tables, input backlog) before any change (with
     * {@code tuneHost}, raises them instead, until the last such lab is down),
     * removes what the lab made that its file no longer has, runs the missing
     * steps journaled; a failure rolls this run back.
     *
     * @param source the file the lab came from, remembered for status
     */
    public UpResult up(Lab lab, Optional<Path> source, Progress progress, Applier.FaultHook fault, boolean tuneHost)
            throws ClashException, ApplyException, LabBusyException, HostLimitException, Exception {
        long start = System.nanoTime();
        HostLimits.Check limits = hostLimits(lab);
        if (!limits.filesFit()) throw new HostLimitException(limits.filesMessage(lab.name()));
        if (!limits.fits() && !tuneHost) throw new HostLimitException(limits.message(lab.name()));
        Path dir = dirs.lab(lab.name());
        try (LabLock lock = LabLock.acquire(dir, lab.name());
             Journal journal = Journal.open(lock.dir());
             Executor k = kernel.get()) {
            k.owner(lab.name());
            writeMeta(lock.dir(), lab, source);
            List<Step> desired = LabSteps.of(lab);
            List<Step> owned = journal.live().stream().map(Journal.Done::step).toList();
            Plan plan = Planner.plan(desired, k.observe(concat(desired, owned)), owned);
            if (!plan.clashes().isEmpty()) throw new ClashException(lab.name(), plan.clashes());
            k.preflight(plan.steps());
            // a lab up with --tune-host while the host is tuned holds the tuning too, even if it fits only thanks to it
            boolean tuned = tuneHost && (!limits.fits() || host.recorded().isPresent());
            if (tuned) host.tune(lab.name(), limits);
            try {
                apply(lab, dir, k, journal, progress, fault, plan);
            } catch (Exception | Error e) {
                // rolled back: a lab with nothing up holds no tuning (an earlier run's stays until down)
                if (tuned && journal.live().isEmpty()) host.release(lab.name());
                throw e;
            }
            return new UpResult(lab.name(), plan.steps(), plan.satisfied(), plan.removals(), Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private static void apply(Lab lab, Path dir, Executor k, Journal journal, Progress progress, Applier.FaultHook fault, Plan plan) throws Exception {
        Applier applier = new Applier(k, journal, progress, fault);
        if (!plan.removals().isEmpty()) {
            List<String> problems = applier.remove(plan.removals());
            if (!problems.isEmpty()) throw new IOException("up " + lab.name() + ": could not remove " + String.join("; ", problems));
        }
        // the run: processes' log files and, on a first up, the hosts files are made while the network is
        // applied (its steps wait on the kernel often enough to leave a core free): on an ext4 that has just
        // freed many inodes, a create costs about a millisecond; on the spawn path the logs took a fifth of the
        // run phase's CPU, and the hosts files (1,001 links) 0.1-0.9 s of it before the first start
        AtomicBoolean hostsAhead = new AtomicBoolean();
        Thread files = Thread.ofPlatform().daemon(true).name("nslab-files").start(() -> {
            LabRuntime.prepareLogs(lab, dir);
            hostsAhead.set(LabRuntime.prepareHosts(lab, dir));
        });
        try {
            applier.apply(plan.steps());
            k.settle(plan.steps());
        } catch (Exception | Error e) {
            files.join();
            if (hostsAhead.get()) {
                try {
                    LabRuntime.removeHosts(lab, dir); // a file that stays is still journaled: down removes it
                } catch (IOException | RuntimeException x) {
                    e.addSuppressed(x);
                }
            }
            throw e;
        } finally {
            files.join();
        }
        k.release();
        Runs.start(lab, dir, plan.steps(), applier, fault, hostsAhead.get());
    }

    public UpResult up(Lab lab) throws Exception {
        return up(lab, Optional.empty(), Progress.NONE, Applier.FaultHook.NONE);
    }

    /** Removes everything the lab's journal says it made (also after a crash), then its state directory. */
    public DownResult down(String lab, Progress progress) throws Exception {
        long start = System.nanoTime();
        Path dir = dirs.lab(lab);
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return new DownResult(lab, 0, List.of(), List.of(), Duration.ofNanos(System.nanoTime() - start));
        List<String> problems;
        int undone;
        List<String> namespaces = new ArrayList<>();
        try (LabLock lock = LabLock.acquire(dir, lab)) {
            try (Journal journal = openForDown(lab, lock);
                 Executor k = kernel.get()) {
                k.owner(lab);
                refuseUnproven(lab, lock, journal);
                // the lab's processes first: they keep their namespaces alive
                problems = new ArrayList<>(LabRuntime.stop(lab, dir));
                List<Journal.Done> live = journal.live();
                undone = live.size();
                for (Journal.Done d : live) if (d.step() instanceof Step.CreateNs c) namespaces.add(c.name());
                if (problems.isEmpty()) problems = new Applier(k, journal, progress, Applier.FaultHook.NONE).teardown();
            }
            // still locked: a run waiting for the lock finds it stale and starts from a fresh directory
            if (problems.isEmpty()) lock.removeLabDirectory();
        }
        if (problems.isEmpty()) host.release(lab);
        return new DownResult(lab, undone, namespaces, problems, Duration.ofNanos(System.nanoTime() - start));
    }

    /** The journal, or a one-line refusal: nslab removes nothing on the say-so of a damaged journal. */
    private static Journal openForDown(String lab, LabLock lock) throws IOException {
        try {
            return Journal.open(lock.dir());
        } catch (CorruptJournalException e) {
            throw new IOException("down " + lab + ": " + e.getMessage() + "; nothing was removed. `nslab down --recover " + lab
                    + "` removes what carries the lab's mark; `nslab status " + lab + "` lists what it was thought to hold", e);
        }
    }

    /**
     * A namespace the journal names without proof (no inode record, no mark)
     * stops {@code down} before anything is removed: a step written with a
     * valid checksum naming someone else's namespace looks exactly so.
     */
    private static void refuseUnproven(String lab, LabLock lock, Journal journal) throws IOException {
        List<String> unproven = Applier.unproven(journal);
        if (unproven.isEmpty()) return;
        journal.close();
        throw new IOException("down " + lab + ": " + journal.file() + ": names netns " + String.join(", ", unproven)
                + ", which the lab cannot have made (no inode record, and no " + Marker.lab(lab).text() + " on its lo): "
                + "the journal was edited; nothing was removed. `nslab down --recover " + lab + "` removes what carries the lab's mark");
    }

    /**
     * {@code down --recover}: for a lab whose journal does not check. Nothing
     * the journal says is believed; what the lab made is found in the kernel
     * by its mark instead: each namespace named {@code LAB.NODE} whose
     * loopback carries {@code nslab:lab:LAB} ({@link NsMarks}). Each is
     * announced through {@code say} before it is removed, as is each namespace
     * of the lab's name left alone for want of the mark; then the lab's
     * processes are stopped and its state directory removed. A journal that
     * checks is taken down as {@link #down} does.
     */
    public DownResult recover(String lab, Progress progress, Consumer<String> say) throws Exception {
        long start = System.nanoTime();
        Path dir = dirs.lab(lab);
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            try (LabLock lock = LabLock.acquire(dir, lab); Journal ok = Journal.open(lock.dir())) {
                if (Applier.unproven(ok).isEmpty()) say.accept("down " + lab + ": the journal checks; removing what it lists");
            } catch (CorruptJournalException e) {
                return recoverByMarks(lab, dir, say, start, Optional.of(e.getMessage()));
            }
            try {
                return down(lab, progress);
            } catch (IOException refused) {
                if (!refused.getMessage().contains("nothing was removed")) throw refused;
                return recoverByMarks(lab, dir, say, start, Optional.of(refused.getMessage()));
            }
        }
        return recoverByMarks(lab, dir, say, start, Optional.empty());
    }

    private DownResult recoverByMarks(String lab, Path dir, Consumer<String> say, long start, Optional<String> why) throws Exception {
        Marker mark = Marker.lab(lab);
        why.ifPresent(w -> say.accept("down " + lab + ": not believing the journal (" + w + ")"));
        List<String> proven = new ArrayList<>(), problems = new ArrayList<>();
        boolean hasDir = Files.exists(dir, LinkOption.NOFOLLOW_LINKS);
        // held from the search to the directory's removal: no `up` of the lab runs in between
        try (LabLock lock = hasDir ? LabLock.acquire(dir, lab) : null) {
            for (String ns : NetNs.list()) {
                if (KernelNames.parseNetns(ns).map(IfRef::node).filter(lab::equals).isEmpty()) continue;
                Optional<String> alias = NsMarks.read(ns);
                if (mark.on(alias)) {
                    proven.add(ns);
                    say.accept("down " + lab + ": removes netns " + ns + " (its lo carries " + mark.text() + ")");
                } else {
                    say.accept("down " + lab + ": leaves netns " + ns + " alone: its lo carries " + alias.map(a -> "'" + a + "'").orElse("no alias")
                            + ", not " + mark.text());
                }
            }
            if (hasDir) {
                try {
                    problems.addAll(LabRuntime.stop(lab, dir));
                } catch (IOException e) {
                    say.accept("down " + lab + ": its processes' journal cannot be read either (" + e.getMessage() + "): none stopped");
                }
            }
            for (String ns : proven) {
                try {
                    NetNs.delete(ns);
                } catch (NetNsException e) {
                    if (!e.is(Errno.ENOENT)) problems.add("netns del " + ns + ": " + e.getMessage());
                }
            }
            if (problems.isEmpty() && hasDir) lock.removeLabDirectory();
        }
        if (problems.isEmpty()) host.release(lab);
        return new DownResult(lab, proven.size(), proven, problems, Duration.ofNanos(System.nanoTime() - start));
    }

    public DownResult down(String lab) throws Exception {
        return down(lab, Progress.NONE);
    }

    /** Every lab with state here, by name. */
    public List<LabStatus> status() throws IOException {
        List<LabStatus> out = new ArrayList<>();
        if (!Files.exists(dirs.labs(), LinkOption.NOFOLLOW_LINKS)) return out;
        try (StateDir labs = StateDir.open(dirs.labs())) {
            for (String name : labs.list()) if (LabDirs.isLabName(name)) out.add(status(name));
        }
        return out;
    }

    public LabStatus status(String lab) throws IOException {
        Path dir = dirs.lab(lab);
        List<Journal.Done> live = Journal.live(Journal.read(dir.resolve("journal")));
        List<String> ns = new ArrayList<>(), missing = new ArrayList<>();
        for (Journal.Done d : live) {
            if (d.step() instanceof Step.CreateNs c) {
                ns.add(c.name());
                if (!NetNs.exists(c.name())) missing.add(c.name());
            }
        }
        Optional<String> file = Optional.empty();
        boolean locked;
        try (LabLock l = LabLock.acquire(dir, lab)) {
            locked = false;
            file = readMeta(l.dir());
        } catch (LabBusyException e) {
            locked = true;
        }
        return new LabStatus(lab, file, live.size(), ns, missing, locked, BridgeParts.of(live.stream().map(Journal.Done::step).toList()));
    }

    private static void writeMeta(StateDir dir, Lab lab, Optional<Path> source) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("lab", lab.name());
        n.put("file", source.map(p -> p.toAbsolutePath().toString()).orElse(null));
        n.put("pid", ProcessHandle.current().pid());
        dir.write(META, (JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The lab file {@code up} came from, as lab.json remembers it. */
    private static Optional<String> readMeta(StateDir dir) throws IOException {
        Optional<byte[]> bytes = dir.read(META, META_LIMIT);
        if (bytes.isEmpty()) return Optional.empty();
        JsonNode node;
        try {
            node = JSON.readTree(bytes.get());
        } catch (IOException e) {
            throw new StateException(dir.path().resolve(META).toString(), "not the JSON nslab writes");
        }
        JsonNode f = node == null ? null : node.get("file");
        return f != null && f.isTextual() ? Optional.of(f.asText()) : Optional.empty();
    }
}
