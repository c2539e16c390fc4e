package io.nslab.lab.plan;

import io.nslab.lab.model.IfRef;
import io.nslab.lab.model.KernelLimits;
import io.nslab.lab.model.KernelNames;
import io.nslab.lab.model.Lab;
import io.nslab.lab.validate.BigLabTest;
import io.nslab.lab.validate.Validator;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/** A bridge of more ports than the kernel allows is lowered to a tree of bridges; no kernel. */
class BridgeTreeTest {
    /** The star with its port list over many lines: a lab file's lines are at most 65,536 characters. */
    static String wrapped(String star) {
        return star.replace(", p", ",\n        p");
    }

    static Lab star(int n) {
        return Validator.checkText(wrapped(BigLabTest.star(n)), "star.yaml").orThrow();
    }

    @Test void aBridgeTheKernelTakesWholeIsNoTree() {
        Lab lab = star(KernelLimits.BRIDGE_PORTS);
        assertThat(BridgeTree.of(lab.kernelNames(), lab.iface(new IfRef("hub", "br0")).orElseThrow())).isEmpty();
        assertThat(LabSteps.of(lab)).noneMatch(s -> s instanceof Step.AddLink l && KernelNames.BRIDGE_PART.matcher(l.name()).matches());
    }

    @Test void twoThousandFiveHundredPortsMakeThreeLeavesOfAtMost1022() {
        Lab lab = star(2500);
        List<Step> steps = LabSteps.of(lab);
        NsRef hub = NsRef.of("star.hub");
        Map<String, Integer> portsOf = new HashMap<>();
        int uplinks = 0;
        for (Step s : steps) {
            if (s instanceof Step.SetLink l && l.ns().equals(hub) && l.master().isPresent()) {
                portsOf.merge(l.master().get(), 1, Integer::sum);
                if (l.name().startsWith("nsu")) uplinks++;
            }
            if (s instanceof Step.AddLink l && l.ns().equals(hub) && l.master().isPresent()) portsOf.merge(l.master().get(), 1, Integer::sum);
        }
        // the declared bridge holds the three uplinks only; each leaf its share of the ports plus its uplink end
        assertThat(portsOf.get("br0")).isEqualTo(3);
        assertThat(uplinks).isEqualTo(3);
        assertThat(portsOf).hasSize(4);
        assertThat(portsOf.values()).allMatch(n -> n <= KernelLimits.BRIDGE_PORTS);
        assertThat(portsOf.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(2500 + 3 + 3);
        String leaf0 = lab.kernelNames().bridgePart("hub", "br0", 'b', 0);
        assertThat(leaf0).matches(KernelNames.BRIDGE_PART.pattern()).hasSizeLessThanOrEqualTo(KernelNames.IFNAME_MAX);
        // leaves and uplink pairs exist before anything is enslaved to them
        int made = -1, firstPort = -1;
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) instanceof Step.AddLink l && l.name().equals(leaf0)) made = i;
            if (firstPort < 0 && (steps.get(i) instanceof Step.SetLink || steps.get(i) instanceof Step.AddLink l && l.master().isPresent())) firstPort = i;
        }
        assertThat(made).isNotNegative().isLessThan(firstPort);
        assertThat(steps).contains(new Step.AddLink(hub, "p1", new LinkSpec.Veth("eth0", NsRef.of("star.n1")), Optional.of(leaf0), true));
    }

    @Test void theValidatorRefusesMoreThanATreeHoldsAndReservedNames() {
        String reserved = """
                name: r
                nodes:
                  a:
                    interfaces:
                      nsb0123456.1: {kind: bridge}
                """;
        assertThat(Validator.checkText(reserved, "r.yaml").problems()).singleElement()
                .satisfies(p -> assertThat(p.toString()).contains("r.yaml:5:").contains("reserved for the parts of a bridge tree"));
    }
}
