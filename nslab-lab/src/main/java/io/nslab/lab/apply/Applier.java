package io.nslab.lab.apply;

import io.nslab.lab.plan.NsRef;
import io.nslab.lab.plan.Planner;
import io.nslab.lab.plan.Step;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs steps against the kernel, journaled and transactional: each step's
 * intent is forced to the journal before it runs; if one fails, this run's
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

    /** Runs {@code steps} in order; on failure rolls this run back and throws. */
    public void apply(List<Step> steps) throws ApplyException, java.io.IOException {
        List<Journal.Done> done = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            if (s instanceof Step.CreateNs) {
                int end = i;
                while (end < steps.size() && steps.get(end) instanceof Step.CreateNs) end++;
                if (end - i > 1) {
                    batch(steps, i, end, done);
                    i = end - 1;
                    continue;
                }
            }
            progress.step("up", i, steps.size(), s);
            Optional<String> previous;
            try {
                // a namespace made by this run goes away whole: nothing in it needs an old value back
                previous = bornHere(done, s) ? Optional.empty() : kernel.before(s);
            } catch (Exception e) {
                throw rollback(done, s, i, steps.size(), e, false);
            }
            journal.intend(s, previous);
            try {
                fault.before(i, s);
                kernel.apply(s);
                done.add(new Journal.Done(s, previous));
            } catch (Exception e) {
                journal.failed(s);
                throw rollback(done, s, i, steps.size(), e, true);
            }
        }
    }

    private static boolean bornHere(List<Journal.Done> done, Step s) {
        if (!(s instanceof Step.Sysctl) || s.ns().isHost()) return false;
        for (Journal.Done d : done) if (d.step() instanceof Step.CreateNs c && c.name().equals(s.ns().name())) return true;
        return false;
    }

    /** Steps {@code from..to} (namespaces) journaled together, then made at once; any failure rolls back the run. */
    private void batch(List<Step> steps, int from, int to, List<Journal.Done> done) throws ApplyException, java.io.IOException {
        List<Step> group = steps.subList(from, to);
        progress.step("up", from, steps.size(), group.get(0));
        for (int k = 0; k < group.size(); k++) {
            journal.intend(group.get(k), Optional.empty());
            try {
                fault.before(from + k, group.get(k));
            } catch (Exception e) {
                for (int j = k; j < group.size(); j++) journal.failed(group.get(j));
                // the earlier ones of the group were journaled but not made: undo tolerates that
                for (int j = 0; j < k; j++) done.add(new Journal.Done(group.get(j), Optional.empty()));
                throw rollback(done, group.get(k), from + k, steps.size(), e, true);
            }
        }
        List<Optional<Exception>> results = kernel.applyAll(group);
        Optional<Integer> firstFailure = Optional.empty();
        for (int k = 0; k < group.size(); k++) {
            if (results.get(k).isPresent()) {
                journal.failed(group.get(k));
                if (firstFailure.isEmpty()) firstFailure = Optional.of(k);
            } else {
                done.add(new Journal.Done(group.get(k), Optional.empty()));
            }
        }
        if (firstFailure.isPresent()) {
            int k = firstFailure.get();
            throw rollback(done, group.get(k), from + k, steps.size(), results.get(k).get(), true);
        }
        progress.step("up", to - 1, steps.size(), group.get(group.size() - 1));
    }

    private ApplyException rollback(List<Journal.Done> done, Step failed, int index, int total, Exception cause, boolean journaled)
            throws java.io.IOException {
        List<String> leftovers = new ArrayList<>();
        Set<NsRef> dying = new HashSet<>();
        for (Journal.Done d : done) if (d.step() instanceof Step.CreateNs c) dying.add(NsRef.of(c.name()));
        for (int i = done.size() - 1; i >= 0; i--) {
            Journal.Done d = done.get(i);
            progress.step("rollback", done.size() - 1 - i, done.size(), d.step());
            try {
                kernel.undo(d.step(), d.previous(), dying);
                journal.undone(d.step());
            } catch (Exception e) {
                leftovers.add(d.step().describe() + ": " + e.getMessage());
            }
        }
        String msg = "step " + (index + 1) + "/" + total + " " + failed.describe() + ": " + message(cause)
                + "; rolled back " + (done.size() - leftovers.size()) + " step(s) of this run"
                + (leftovers.isEmpty() ? "" : "; could not undo " + leftovers.size() + " (run `nslab down` again): " + String.join("; ", leftovers));
        return new ApplyException(msg, cause);
    }

    static String message(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    /** Undoes the given live steps (newest first, as given): what the file no longer wants. */
    public List<String> remove(List<Step> steps) throws java.io.IOException {
        Set<NsRef> dying = new HashSet<>();
        for (Step s : steps) if (s instanceof Step.CreateNs c) dying.add(NsRef.of(c.name()));
        Map<String, Optional<String>> previous = new HashMap<>();
        for (Journal.Done d : journal.live()) previous.put(d.step().key(), d.previous());
        List<String> problems = new ArrayList<>();
        int n = 0;
        for (Step s : steps) {
            progress.step("remove", n++, steps.size(), s);
            try {
                kernel.undo(s, previous.getOrDefault(s.key(), Optional.empty()), dying);
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
    public List<String> teardown() throws java.io.IOException {
        List<Journal.Done> live = journal.live();
        Set<NsRef> dying = new HashSet<>();
        for (Journal.Done d : live) if (d.step() instanceof Step.CreateNs c) dying.add(NsRef.of(c.name()));
        List<String> problems = new ArrayList<>();
        List<Journal.Done> order = new ArrayList<>();
        for (int i = live.size() - 1; i >= 0; i--) if (!(live.get(i).step() instanceof Step.CreateNs)) order.add(live.get(i));
        for (int i = live.size() - 1; i >= 0; i--) if (live.get(i).step() instanceof Step.CreateNs) order.add(live.get(i));
        // Objects inside a namespace that is deleted go with it: no undo, no journal line.
        order.removeIf(d -> Planner.coveredBy(d.step(), dying));
        int n = 0;
        for (Journal.Done d : order) {
            progress.step("down", n++, order.size(), d.step());
            try {
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
