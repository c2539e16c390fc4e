package io.nslab.lab.apply;

import io.nslab.lab.plan.NsRef;
import io.nslab.lab.plan.Observed;
import io.nslab.lab.plan.Planner;
import io.nslab.lab.plan.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The batched path of the applier (steps journaled together with one force,
 * then sent in groups per namespace): every intent is on storage before the
 * kernel sees the step, a fault or a failing step inside a batch rolls back
 * exactly what succeeded, and a journal left by a crash mid-batch lets
 * teardown remove everything.
 */
class BatchedApplyTest {
    @TempDir Path dir;

    /** The in-memory kernel, grouping like the netlink one and checking the journal on storage first. */
    final class Grouping implements Executor {
        final FakeKernel k = new FakeKernel();
        final List<String> notJournaled = new ArrayList<>();
        final List<Integer> groupSizes = new ArrayList<>();
        Optional<String> failing = Optional.empty();
        boolean crash;

        @Override public Observed observe(List<Step> steps) { return k.observe(steps); }
        @Override public Optional<String> before(Step s) { return k.before(s); }
        @Override public void apply(Step s) throws Exception {
            onStorage(List.of(s));
            if (failing.isPresent() && s.describe().equals(failing.get())) throw new Exception("kernel says no");
            k.apply(s);
        }
        @Override public boolean groupable(Step s) { return !(s instanceof Step.CreateNs) && !(s instanceof Step.NftTable); }
        @Override public List<Optional<Exception>> applyAll(List<Step> steps) {
            onStorage(steps);
            return Executor.super.applyAll(steps);
        }
        @Override public List<List<Optional<Exception>>> applyGroups(List<List<Step>> groups) {
            List<Step> all = new ArrayList<>();
            for (List<Step> g : groups) all.addAll(g);
            onStorage(all);
            if (crash) throw new IllegalStateException("killed mid-batch");
            groups.forEach(g -> groupSizes.add(g.size()));
            return Executor.super.applyGroups(groups);
        }
        @Override public void undo(Step s, Optional<String> previous, Set<NsRef> dying) throws Exception { k.undo(s, previous, dying); }

        private void onStorage(List<Step> steps) {
            try {
                Set<Step> journaled = new HashSet<>();
                for (Journal.Entry e : Journal.read(dir.resolve("journal"))) if (e.event().equals("do")) e.step().ifPresent(journaled::add);
                for (Step s : steps) if (!journaled.contains(s)) notJournaled.add(s.describe());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test void everyIntentIsDurableBeforeItsBatchRuns() throws Exception {
        Grouping g = new Grouping();
        String before = g.k.dump();
        try (Journal j = Journal.open(dir)) {
            List<Step> lab = ApplierTest.lab();
            new Applier(g, j).apply(Planner.plan(lab, g.observe(lab), List.of()).steps());
            assertThat(g.notJournaled).isEmpty();
            assertThat(g.groupSizes).as("steps went in groups per namespace").anyMatch(n -> n > 1);
            assertThat(j.live()).hasSize(lab.size());
            assertThat(new Applier(g, j).teardown()).isEmpty();
        }
        assertThat(g.k.dump()).isEqualTo(before);
    }

    @Test void aStepFailingInsideABatchRollsBackExactlyWhatSucceeded() throws Exception {
        Grouping g = new Grouping();
        String before = g.k.dump();
        g.failing = Optional.of("addr add 172.17.0.1/16 dev docker0 (netns t.docker)");
        try (Journal j = Journal.open(dir)) {
            List<Step> lab = ApplierTest.lab();
            assertThatThrownBy(() -> new Applier(g, j).apply(Planner.plan(lab, g.observe(lab), List.of()).steps()))
                    .isInstanceOf(ApplyException.class)
                    .hasMessageContaining("addr add 172.17.0.1/16 dev docker0 (netns t.docker): kernel says no; rolled back");
            assertThat(g.k.dump()).isEqualTo(before);
            assertThat(j.live()).isEmpty();
        }
    }

    @Test void aFaultInsideABatchRunsWhatCameBeforeItThenRollsBack() throws Exception {
        Grouping g = new Grouping();
        String before = g.k.dump();
        try (Journal j = Journal.open(dir)) {
            List<Step> lab = ApplierTest.lab();
            Applier.FaultHook failAt9 = (i, s) -> { if (i == 9) throw new Exception("injected fault"); };
            assertThatThrownBy(() -> new Applier(g, j, Progress.NONE, failAt9).apply(Planner.plan(lab, g.observe(lab), List.of()).steps()))
                    .isInstanceOf(ApplyException.class)
                    .hasMessageContaining("step 10/14 link set eth0 up (netns t.nginx): injected fault; rolled back 9 step(s)");
            assertThat(g.k.dump()).isEqualTo(before);
            assertThat(j.live()).isEmpty();
        }
    }

    @Test void aCrashMidBatchLeavesAJournalFromWhichTeardownRemovesEverything() throws Exception {
        Grouping g = new Grouping();
        String before = g.k.dump();
        g.crash = true;                 // the process dies after the intents are durable, before the kernel acted on the batch
        try (Journal j = Journal.open(dir)) {
            List<Step> lab = ApplierTest.lab();
            assertThatThrownBy(() -> new Applier(g, j).apply(Planner.plan(lab, g.observe(lab), List.of()).steps()))
                    .isInstanceOf(IllegalStateException.class);
        }
        g.crash = false;
        try (Journal j = Journal.open(dir)) {          // `nslab down` after the crash
            assertThat(j.live()).isNotEmpty();
            assertThat(new Applier(g, j).teardown()).isEmpty();
        }
        assertThat(g.k.dump()).isEqualTo(before);
    }
}
