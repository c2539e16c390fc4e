package io.nslab.lab.apply;

import io.nslab.lab.model.Lab;
import io.nslab.lab.plan.LabSteps;
import io.nslab.lab.plan.Plan;
import io.nslab.lab.plan.Planner;
import io.nslab.lab.plan.Step;
import io.nslab.lab.validate.Validator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Impairments in plans: a step per interface, satisfied once made, a changed one is a change in place. */
class ImpairPlanTest {
    @TempDir Path dir;

    static Lab lab(String impair) {
        return Validator.checkText("""
                name: sh
                nodes: {a: , b: }
                links:
                  - ends: [{at: a:eth0, addresses: [10.0.0.1/24]}, {at: b:eth0, addresses: [10.0.0.2/24]}]
                    impair: %s
                """.formatted(impair), "sh.yaml").orThrow();
    }

    private static Plan plan(Lab lab, FakeKernel k, Journal j) throws Exception {
        List<Step> desired = LabSteps.of(lab);
        return Planner.plan(desired, k.observe(desired), j.live().stream().map(Journal.Done::step).toList());
    }

    @Test void changedImpairmentIsOneChangeInPlaceAndRemovedOneIsUndone() throws Exception {
        FakeKernel k = new FakeKernel();
        try (Journal j = Journal.open(dir)) {
            Lab first = lab("{rate: 10mbit}");
            List<Step> steps = LabSteps.of(first);
            assertThat(steps.subList(steps.size() - 2, steps.size())).extracting(Step::describe).containsExactly(
                    "qdisc replace dev eth0 root tbf (rate 10Mbit) (netns sh.a)",
                    "qdisc replace dev eth0 root tbf (rate 10Mbit) (netns sh.b)");
            new Applier(k, j).apply(plan(first, k, j).steps());
            assertThat(plan(first, k, j).isEmpty()).isTrue();

            Lab second = lab("{rate: 10mbit, delay: 50ms}");
            Plan p = plan(second, k, j);
            assertThat(p.removals()).isEmpty();
            assertThat(p.steps()).extracting(Step::describe).containsExactly(
                    "qdisc replace dev eth0 root netem (delay 50ms rate 10Mbit) (netns sh.a)",
                    "qdisc replace dev eth0 root netem (delay 50ms rate 10Mbit) (netns sh.b)");
            assertThat(p.steps()).extracting(Plan::actionOf).containsOnly(Plan.Action.CHANGE);
            new Applier(k, j).apply(p.steps());
            assertThat(plan(second, k, j).isEmpty()).isTrue();
        }
        // the journal keeps the impairment as its words, and reads it back
        try (Journal j = Journal.open(dir)) {
            assertThat(j.live()).extracting(Journal.Done::step).filteredOn(Step.Shape.class::isInstance)
                    .extracting(s -> ((Step.Shape) s).impair().toString()).containsOnly("delay 50ms rate 10Mbit");
            Lab none = Validator.checkText("""
                    name: sh
                    nodes: {a: , b: }
                    links:
                      - ends: [{at: a:eth0, addresses: [10.0.0.1/24]}, {at: b:eth0, addresses: [10.0.0.2/24]}]
                    """, "sh.yaml").orThrow();
            Plan p = plan(none, k, j);
            assertThat(p.steps()).isEmpty();
            assertThat(p.removals()).extracting(Step::key).containsExactlyInAnyOrder("qdisc sh.a/eth0", "qdisc sh.b/eth0");
            assertThat(new Applier(k, j).remove(p.removals())).isEmpty();
            assertThat(k.dump()).doesNotContain("delay");
        }
    }
}
