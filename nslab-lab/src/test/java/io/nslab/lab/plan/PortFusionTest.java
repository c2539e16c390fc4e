package io.nslab.lab.plan;

import io.nslab.lab.model.Lab;
import io.nslab.lab.validate.Validator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A bridge port made by a veth pair is made enslaved and up in the pair's own RTM_NEWLINK: which ends, and what then. */
class PortFusionTest {
    static Lab lab(String links) {
        return Validator.checkText("""
                name: f
                nodes:
                  sw:
                    interfaces:
                      br0: {kind: bridge, ports: [p1, p2, p3]}
                  a:
                  b:
                  c:
                links:
                """ + links, "f.yaml").orThrow();
    }

    @Test void thePortIsTheEndTheRequestMakesWhicheverWayTheFileWritesTheLink() {
        List<Step> s = LabSteps.of(lab("""
                  - ends: [sw:p1, a:eth0]
                  - ends: [b:eth0, sw:p2]
                  - ends: [c:eth0, {at: sw:p3, mtu: 1400}]
                """));
        NsRef sw = NsRef.of("f.sw");
        assertThat(s).contains(
                new Step.AddLink(sw, "p1", new LinkSpec.Veth("eth0", NsRef.of("f.a")), Optional.of("br0"), true),
                new Step.AddLink(sw, "p2", new LinkSpec.Veth("eth0", NsRef.of("f.b")), Optional.of("br0"), true));
        // a port with an mtu is set before it comes up, as before: made plain, then enslaved by its set
        assertThat(s).contains(new Step.AddLink(NsRef.of("f.c"), "eth0", new LinkSpec.Veth("p3", sw)),
                new Step.SetLink(sw, "p3", Optional.of("br0"), OptionalInt.of(1400), Optional.empty(), true));
        assertThat(s).noneMatch(x -> x instanceof Step.SetLink l && (l.name().equals("p1") || l.name().equals("p2")));
        // the bridge exists before any port names it
        int bridge = s.indexOf(new Step.AddLink(sw, "br0", new LinkSpec.Bridge(false)));
        assertThat(bridge).isNotNegative();
        for (int i = 0; i < bridge; i++) assertThat(s.get(i)).isNotInstanceOf(Step.AddLink.class);
        assertThat(s.get(bridge + 1).describe()).isEqualTo("link add p1 master br0 up type veth peer eth0 netns f.a (netns f.sw)");
    }

    @Test void aPortFoundDetachedOrDownIsSetBackWithoutBeingMadeAgain() {
        NsRef sw = NsRef.of("f.sw");
        Step.AddLink p1 = new Step.AddLink(sw, "p1", new LinkSpec.Veth("eth0", NsRef.of("f.a")), Optional.of("br0"), true);
        java.util.function.BiFunction<Optional<String>, Boolean, Observed> seen = (master, up) -> new Observed(Set.of("f.sw", "f.a"),
                Map.of(sw, new Observed.View(Map.of("p1", new Observed.Link("p1", "veth", master, up, 1500, Optional.empty())),
                        Set.of(), Set.of(), Map.of(), Set.of())));
        assertThat(Planner.plan(List.of(p1), seen.apply(Optional.of("br0"), true), List.of(p1)).steps()).isEmpty();
        Step.SetLink back = new Step.SetLink(sw, "p1", Optional.of("br0"), OptionalInt.empty(), Optional.empty(), true);
        assertThat(Planner.plan(List.of(p1), seen.apply(Optional.empty(), true), List.of(p1)).steps()).containsExactly(back);
        assertThat(Planner.plan(List.of(p1), seen.apply(Optional.of("br0"), false), List.of(p1)).steps()).containsExactly(back);
        assertThat(Planner.plan(List.of(p1), Observed.empty(), List.of()).steps()).containsExactly(p1);
    }
}
