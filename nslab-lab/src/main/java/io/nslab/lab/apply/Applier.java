package io.nslab.lab.apply;

import io.nslab.lab.plan.LinkSpec;
import io.nslab.lab.plan.NsRef;
import io.nslab.lab.plan.Planner;
import io.nslab.lab.plan.Step;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Runs steps against the kernel, journaled and transactional: each step's
 * intent is forced to the journal before it runs (a batch's intents with one
 * force before any of the batch runs); if one fails, this run's
 * steps are undone newest first and the journal says so, leaving the kernel
 * (and the journal's live set) as before the run. {@link #teardown} undoes
 * every live step of a journal: namespaces the lab made are deleted whole,
 * everything the lab made elsewhere is removed one by one, and sysctls it
 * changed elsewhere get their old values back.
 */
public final class Applier {
    /** A test hook: called before each step; throwing makes that step fail. */
    @FunctionalInterface
    public interface FaultHook {
        FaultHook NONE = (i, s) -> { };
        void before(int index, Step s) throws Exception;
    }

    private final Executor kernel;
    private final Journal journal;
    private final Progress progress;
    private final FaultHook fault;

    public Applier(Executor kernel, Journal journal, Progress progress, FaultHook fault) {
        this.kernel = kernel;
        this.journal = journal;
        this.progress = progress;
        this.fault = fault;
    }

    public Applier(Executor kernel, Journal journal) { this(kernel, journal, Progress.NONE, FaultHook.NONE); }

    /**
     * Runs {@code steps} in order; on failure rolls this run back and throws.
     * Runs of steps that can go together (the namespaces of a lab; then the
     * steps of many namespaces that only touch their own, see {@link #segmentEnd})
     * are journaled with one force and handed to the kernel at once.
     */
    public void apply(List<Step> steps) throws ApplyException, IOException {
        Run run = new Run(new ArrayList<>(), new HashSet<>());
        int i = 0;
        while (i < steps.size()) {
            int end = segmentEnd(steps, i);
            if (end - i > 1) {
                segment(steps, i, end, run);
                i = end;
                continue;
            }
            Step s = steps.get(i);
            progress.step("up", i, steps.size(), s);
            Optional<String> previous;
            try {
                // a namespace made by this run goes away whole: nothing in it needs an old value back
                previous = run.bornHere(s) ? Optional.empty() : kernel.before(s);
            } catch (Exception e) {
                throw rollback(run.done(), s, i, steps.size(), e, false);
            }
            try {
                journal.intend(s, previous);
            } catch (IOException e) {
                // a full or read-only state directory: nothing of this step happened, the run is undone
                throw rollback(run.done(), s, i, steps.size(), e, false);
            }
            try {
                fault.before(i, s);
                kernel.apply(s);
                run.add(new Journal.Done(s, previous));
                recordOwned(List.of(s));
            } catch (Exception e) {
                try {
                    journal.failed(s);
                } catch (IOException unjournaled) {
                    e.addSuppressed(unjournaled);
                }
                throw rollback(run.done(), s, i, steps.size(), e, true);
            }
            i++;
        }
    }

    /** Journals the identity (inode) of the namespaces just made: what {@code down} checks before deleting one. */
    private void recordOwned(List<Step> made) {
        Map<String, Long> inodes = new LinkedHashMap<>();
        for (Step s : made) if (s instanceof Step.CreateNs c) NsInodes.of(c.name()).ifPresent(i -> inodes.put(c.name(), i));
        try {
            journal.owns(inodes);
        } catch (IOException e) {
            // the journaled intent still names them; the next intent's write fails the same way and rolls the run back
        }
    }

    /**
     * Whether the namespace of {@code c} is still the one the lab made: its
     * inode is the one journaled when it was made. Without a record (the run
     * died between making it and recording it) it must carry the lab's mark
     * ({@link NsMarks}), which the thread that made it set first thing; a
     * namespace that is gone is nothing to delete.
     */
    static boolean stillOurs(Step.CreateNs c, Map<String, Long> owned) throws IOException {
        OptionalLong now = NsInodes.of(c.name());
        if (now.isEmpty()) return true;
        Long made = owned.get(c.key());
        if (made != null) return now.getAsLong() == made;
        return NsMarks.carries(c.name());
    }

    /**
     * The namespaces the journal says the lab made that nothing proves it
     * made: no inode record and no mark, yet a namespace by that name exists.
     * A journal step with a valid checksum naming someone else's namespace
     * looks exactly like that; {@code down} removes nothing while there is one.
     */
    public static List<String> unproven(Journal journal) throws IOException {
        Map<String, Long> owned = journal.inodes();
        List<String> out = new ArrayList<>();
        for (Journal.Done d : journal.live()) {
            if (d.step() instanceof Step.CreateNs c && !owned.containsKey(c.key()) && NsInodes.of(c.name()).isPresent()
                    && !NsMarks.carries(c.name())) out.add(c.name());
        }
        return out;
    }

    /** What this run has made so far, and the namespaces among it. */
    private record Run(List<Journal.Done> done, Set<String> born) {
        void add(Journal.Done d) {
            done.add(d);
            if (d.step() instanceof Step.CreateNs c) born.add(c.name());
        }

        boolean bornHere(Step s) {
            return s instanceof Step.Sysctl && !s.ns().isHost() && born.contains(s.ns().name());
        }
    }

    /**
     * The end of the segment starting at {@code from}: a run of namespace
     * creations, or a run of groupable steps that either all reach into
     * another namespace (veth pairs with their peer elsewhere) or all stay in
     * their own; so a segment's steps of different namespaces never depend on
     * each other, and may run in any order between namespaces.
     */
    private int segmentEnd(List<Step> steps, int from) {
        Step first = steps.get(from);
        int end = from + 1;
        if (first instanceof Step.CreateNs) {
            Set<String> made = new HashSet<>();
            while (end <= steps.size() && steps.get(end - 1) instanceof Step.CreateNs c) {
                made.add(c.name());
                end++;
            }
            end--;
            // the new namespaces' own settings (IPv6 off before any interface exists) are written from
            // inside them as they are made: one write each, no setns
            while (end < steps.size() && steps.get(end) instanceof Step.Sysctl c && !c.ns().isHost() && made.contains(c.ns().name())) end++;
            return end;
        }
        if (!kernel.groupable(first)) return end;
        boolean reach = reachesOut(first);
        while (end < steps.size() && kernel.groupable(steps.get(end)) && reachesOut(steps.get(end)) == reach) end++;
        return end;
    }

    private static boolean reachesOut(Step s) {
        return switch (s) {
            case Step.AddLink l -> l.spec() instanceof LinkSpec.Veth v && !v.peerNs().equals(l.ns());
            case Step.MoveLink m -> true;
            default -> false;
        };
    }

    /**
     * Steps {@code from..to} journaled together (one force), then made at
     * once: namespaces in parallel, other steps in one group per namespace.
     * A fault injected at a step makes the steps before it run and that one
     * fail; any failure rolls the run back (exactly what succeeded).
     */
    private void segment(List<Step> steps, int from, int to, Run run) throws ApplyException, IOException {
        List<Step> group = steps.subList(from, to);
        progress.step("up", from, steps.size(), group.get(0));
        List<Journal.Done> intents = new ArrayList<>(group.size());
        for (int k = 0; k < group.size(); k++) {
            Step s = group.get(k);
            try {
                boolean born = run.bornHere(s) || s instanceof Step.Sysctl && group.get(0) instanceof Step.CreateNs;
                intents.add(new Journal.Done(s, born ? Optional.empty() : kernel.before(s)));
            } catch (Exception e) {
                try {
                    journal.intendAll(intents);
                    runAll(intents, run);            // what came before it in the file still runs, then all is undone
                } catch (IOException unjournaled) {
                    e.addSuppressed(unjournaled);
                }
                throw rollback(run.done(), s, from + k, steps.size(), e, false);
            }
        }
        Optional<Integer> faultAt = Optional.empty();
        Exception fault = null;
        for (int k = 0; k < group.size() && faultAt.isEmpty(); k++) {
            try {
                this.fault.before(from + k, group.get(k));
            } catch (Exception e) {
                faultAt = Optional.of(k);
                fault = e;
            }
        }
        int runnable = faultAt.orElse(group.size());
        try {
            journal.intendAll(intents.subList(0, faultAt.map(k -> k + 1).orElse(group.size())));
        } catch (IOException e) {
            throw rollback(run.done(), group.get(0), from, steps.size(), e, false);
        }
        List<Optional<Exception>> results = runAll(intents.subList(0, runnable), run);
        List<Step> made = new ArrayList<>();
        for (int k = 0; k < runnable; k++) if (results.get(k).isEmpty()) made.add(group.get(k));
        recordOwned(made);
        Optional<Integer> firstFailure = Optional.empty();
        for (int k = 0; k < runnable; k++) {
            if (results.get(k).isPresent()) {
                journal.failed(group.get(k));
                if (firstFailure.isEmpty()) firstFailure = Optional.of(k);
            }
        }
        if (firstFailure.isPresent()) {
            int k = firstFailure.get();
            throw rollback(run.done(), group.get(k), from + k, steps.size(), results.get(k).get(), true);
        }
        if (faultAt.isPresent()) {
            int k = faultAt.get();
            journal.failed(group.get(k));
            throw rollback(run.done(), group.get(k), from + k, steps.size(), fault, true);
        }
        progress.step("up", to - 1, steps.size(), group.get(group.size() - 1));
    }

    /** Runs journaled steps (one segment) and records those that succeeded; per step, its failure if any. */
    private List<Optional<Exception>> runAll(List<Journal.Done> intents, Run run) {
        if (intents.isEmpty()) return List.of();
        List<Step> all = intents.stream().map(Journal.Done::step).toList();
        List<Optional<Exception>> results;
        if (all.get(0) instanceof Step.CreateNs) {
            results = kernel.applyAll(all);
        } else {
            Map<NsRef, List<Integer>> byNs = new LinkedHashMap<>();
            for (int k = 0; k < all.size(); k++) byNs.computeIfAbsent(all.get(k).ns(), x -> new ArrayList<>()).add(k);
            List<List<Step>> groups = new ArrayList<>();
            for (List<Integer> idx : byNs.values()) groups.add(idx.stream().map(all::get).toList());
            List<List<Optional<Exception>>> per = kernel.applyGroups(groups);
            List<Optional<Exception>> flat = new ArrayList<>(Collections.nCopies(all.size(), Optional.empty()));
            int g = 0;
            for (List<Integer> idx : byNs.values()) {
                for (int j = 0; j < idx.size(); j++) flat.set(idx.get(j), per.get(g).get(j));
                g++;
            }
            results = flat;
        }
        for (int k = 0; k < all.size(); k++) if (results.get(k).isEmpty()) run.add(intents.get(k));
        return results;
    }

    private ApplyException rollback(List<Journal.Done> done, Step failed, int index, int total, Exception cause, boolean journaled)
            throws IOException {
        List<String> leftovers = new ArrayList<>();
        String unrecorded = "";
        Set<NsRef> dying = new HashSet<>();
        for (Journal.Done d : done) if (d.step() instanceof Step.CreateNs c) dying.add(NsRef.of(c.name()));
        for (int i = done.size() - 1; i >= 0; i--) {
            Journal.Done d = done.get(i);
            progress.step("rollback", done.size() - 1 - i, done.size(), d.step());
            try {
                kernel.undo(d.step(), d.previous(), dying);
            } catch (Exception e) {
                leftovers.add(d.step().describe() + ": " + e.getMessage());
                continue;
            }
            try {
                journal.undone(d.step());
            } catch (IOException e) {
                // undone in the kernel all the same; a later `down` finds it gone, which is success
                unrecorded = unrecorded.isEmpty() ? message(e) : unrecorded;
            }
        }
        String msg = "step " + (index + 1) + "/" + total + " " + failed.describe() + ": " + message(cause)
                + "; rolled back " + (done.size() - leftovers.size()) + " step(s) of this run"
                + (leftovers.isEmpty() ? "" : "; could not undo " + leftovers.size() + " (run `nslab down` again): " + String.join("; ", leftovers))
                + (unrecorded.isEmpty() ? "" : "; the journal could not record the rollback (" + unrecorded + "): `nslab down` clears it");
        return new ApplyException(msg, cause);
    }

    static String message(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    /** Undoes the given live steps (newest first, as given): what the file no longer wants. */
    public List<String> remove(List<Step> steps) throws IOException {
        Set<NsRef> dying = new HashSet<>();
        for (Step s : steps) if (s instanceof Step.CreateNs c) dying.add(NsRef.of(c.name()));
        Map<String, Optional<String>> previous = new HashMap<>();
        for (Journal.Done d : journal.live()) previous.put(d.step().key(), d.previous());
        Map<String, Long> owned = journal.inodes();
        List<String> problems = new ArrayList<>();
        int n = 0;
        for (Step s : steps) {
            progress.step("remove", n++, steps.size(), s);
            try {
                // another namespace under the lab's name (the lab's own went away): not the lab's to delete
                if (!(s instanceof Step.CreateNs c) || stillOurs(c, owned)) kernel.undo(s, previous.getOrDefault(s.key(), Optional.empty()), dying);
                journal.undone(s);
            } catch (Exception e) {
                problems.add(s.describe() + ": " + message(e));
            }
        }
        // what lived inside the removed namespaces went with them
        for (Journal.Done d : journal.live()) if (Planner.coveredBy(d.step(), dying)) journal.undone(d.step());
        return problems;
    }

    /**
     * Undoes every live step of the journal, newest first. Steps inside
     * namespaces the lab created are covered by deleting those namespaces
     * (done last, after links elsewhere are gone). Returns the problems met
     * (empty when everything is gone).
     */
    public List<String> teardown() throws IOException {
        List<Journal.Done> live = journal.live();
        Set<NsRef> dying = new HashSet<>();
        for (Journal.Done d : live) if (d.step() instanceof Step.CreateNs c) dying.add(NsRef.of(c.name()));
        List<String> problems = new ArrayList<>();
        List<Journal.Done> order = new ArrayList<>();
        for (int i = live.size() - 1; i >= 0; i--) if (!(live.get(i).step() instanceof Step.CreateNs)) order.add(live.get(i));
        for (int i = live.size() - 1; i >= 0; i--) if (live.get(i).step() instanceof Step.CreateNs) order.add(live.get(i));
        // Objects inside a namespace that is deleted go with it: no undo, no journal line.
        order.removeIf(d -> Planner.coveredBy(d.step(), dying));
        Map<String, Long> owned = journal.inodes();
        int n = 0;
        for (Journal.Done d : order) {
            progress.step("down", n++, order.size(), d.step());
            try {
                if (d.step() instanceof Step.CreateNs c && !stillOurs(c, owned)) {
                    // the lab's namespace is gone and another took its name: never the lab's to delete
                    journal.undone(d.step());
                    continue;
                }
                kernel.undo(d.step(), d.previous(), dying);
                // namespaces are cheap to delete again after a crash (ENOENT is success): one "clear" at the end covers them
                if (!(d.step() instanceof Step.CreateNs)) journal.undone(d.step());
            } catch (Exception e) {
                problems.add(d.step().describe() + ": " + message(e));
            }
        }
        if (problems.isEmpty()) journal.cleared();
        return problems;
    }
}
