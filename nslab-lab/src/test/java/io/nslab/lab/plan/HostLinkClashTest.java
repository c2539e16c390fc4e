package io.nslab.lab.plan;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A host interface lent to a lab is lent once: a second instance of the file is refused before any change. */
class HostLinkClashTest {
    static final NsRef A = NsRef.of("one.a"), B = NsRef.of("two.a");

    static Observed hostWith(String... links) {
        Map<String, Observed.Link> l = new HashMap<>();
        for (String n : links) l.put(n, new Observed.Link(n, "veth", Optional.empty(), true, 1500, Optional.empty()));
        return new Observed(Set.of("one.a"), Map.of(NsRef.HOST, new Observed.View(l, Set.of(), Set.of(), Map.of(), Set.of()),
                A, new Observed.View(Map.of("eth1", new Observed.Link("eth1", "veth", Optional.empty(), true, 1500, Optional.empty())),
                        Set.of(), Set.of(), Map.of(), Set.of())));
    }

    @Test void aHostInterfaceAnotherInstanceHoldsIsAClash() {
        List<Step> second = List.of(new Step.CreateNs("two.a"), new Step.MoveLink(NsRef.HOST, "extnic", B, "eth1"));
        Plan p = Planner.plan(second, hostWith(), List.of());
        assertThat(p.clashes()).containsExactly("interface extnic is not in the host namespace (another lab, or another instance of this file, may hold it)");
    }

    @Test void aHostInterfaceThatIsThereOrAlreadyMovedIsNot() {
        List<Step> first = List.of(new Step.CreateNs("one.a"), new Step.MoveLink(NsRef.HOST, "extnic", A, "eth1"));
        Observed fresh = new Observed(Set.of(), Map.of(NsRef.HOST, new Observed.View(Map.of("extnic",
                new Observed.Link("extnic", "veth", Optional.empty(), true, 1500, Optional.empty())), Set.of(), Set.of(), Map.of(), Set.of())));
        assertThat(Planner.plan(first, fresh, List.of()).clashes()).isEmpty();
        assertThat(Planner.plan(first, hostWith(), first).clashes()).isEmpty();        // up again: it is in one.a
    }
}
