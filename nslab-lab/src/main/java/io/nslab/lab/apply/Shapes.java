package io.nslab.lab.apply;

import io.nslab.lab.plan.Step;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.tc.Netem;
import io.nslab.netlink.tc.QdiscKindMissingException;
import io.nslab.netlink.tc.QdiscSpec;

import java.util.List;
import java.util.Optional;

/**
 * Whether this kernel has the qdiscs a lab's impairments need, asked before a lab changes anything:
 * a netem qdisc is tried on {@code lo} of a throwaway namespace that nothing else sees and that
 * vanishes with its handle.
 */
final class Shapes {
    private Shapes() {}

    static void preflight(List<Step> steps) throws Exception {
        Optional<Step.Shape> netem = steps.stream().filter(Step.Shape.class::isInstance).map(Step.Shape.class::cast)
                .filter(s -> s.impair().needsNetem()).findFirst();
        if (netem.isEmpty()) return;
        try (NetNs scratch = NetNs.createUnnamed()) {
            scratch.call(() -> {
                try (Rtnl r = Rtnl.open()) {
                    r.qdiscs().add(QdiscSpec.root("lo", Netem.of()));
                }
                return null;
            });
        } catch (QdiscKindMissingException e) {
            Step.Shape s = netem.get();
            throw new QdiscKindMissingException(s.describe(), e.kind(), e.config(), e.errno(), e.detail().orElse(""));
        }
    }
}
