package io.nslab.lab.verify;

import io.nslab.lab.model.Lab;
import io.nslab.lab.validate.BigLabTest;
import io.nslab.lab.validate.Validator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** verify's rule for which pairs of a segment it checks; no kernel. */
class SamplingTest {
    /** The star with its port list over many lines: a lab file's lines are at most 65,536 characters. */
    static String wrapped(String star) {
        return star.replace(", p", ",\n        p");
    }

    static Lab star(int n) {
        return Validator.checkText(wrapped(BigLabTest.star(n)), "star.yaml").orThrow();
    }

    static List<Verifier.Planned> segment(List<Verifier.Planned> all) {
        return all.stream().filter(p -> p.source().startsWith("segment")).toList();
    }

    @Test void aSmallSegmentIsCheckedAllPairs() {
        // 15 members and the bridge: 16 x 15 directed pairs
        assertThat(segment(Verifier.plan(star(15), false))).hasSize(16 * 15).allMatch(p -> p.source().equals("segment hub:br0"));
    }

    @Test void aLargeSegmentIsAStarAroundTheBridgePlusASeededSample() {
        List<Verifier.Planned> p = segment(Verifier.plan(star(1000), false));
        assertThat(p).allMatch(x -> x.source().equals("segment hub:br0 (sampled)"));
        // every member to and from the bridge
        assertThat(p.stream().filter(x -> x.from().equals("hub"))).hasSize(1000);
        assertThat(p.stream().filter(x -> x.to().startsWith("hub:br0 "))).hasSize(1000);
        // and as many random member pairs as members (1001), the same on every run
        List<Verifier.Planned> pairs = p.stream().filter(x -> !x.from().equals("hub") && !x.to().startsWith("hub:")).toList();
        assertThat(pairs).hasSize(1001);
        assertThat(segment(Verifier.plan(star(1000), false))).isEqualTo(p);
        assertThat(pairs.stream().map(Verifier.Planned::from).distinct().count()).isGreaterThan(500);
    }

    @Test void allPairsForcesTheWholeSet() {
        assertThat(segment(Verifier.plan(star(40), true))).hasSize(41 * 40);
    }

    @Test void tenThousandNodesPlanInTimeWithoutAStackOverflow() {
        long t0 = System.nanoTime();
        Lab lab = star(10_000);
        assertThat(segment(Verifier.plan(lab, false))).hasSize(2 * 10_000 + 10_001);
        assertThat(Verifier.resolutions(lab)).hasSizeBetween(40_000, 40_010);
        System.out.printf("10,000-node star: load, validate and plan verify in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }
}
