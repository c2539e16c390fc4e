package io.nslab.lab.plan;

import io.nslab.lab.model.Lab;
import io.nslab.lab.validate.Validator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The pure lowering of a lab to steps: order and content, no kernel. */
class LabStepsTest {
    static int first(List<Step> steps, Class<?> c) {
        for (int i = 0; i < steps.size(); i++) if (c.isInstance(steps.get(i))) return i;
        return -1;
    }

    static int last(List<Step> steps, Class<?> c) {
        for (int i = steps.size() - 1; i >= 0; i--) if (c.isInstance(steps.get(i))) return i;
        return -1;
    }

    @Test void defaultLabStepsAreOrderedForTheKernel() {
        Lab lab = Validator.defaultLab();
        List<Step> s = LabSteps.of(lab);
        assertThat(s.subList(0, 4)).extracting(Step::describe)
                .containsExactly("netns add s10.docker", "netns add s10.nginx", "netns add s10.gitlab", "netns add s10.outside");
        // IPv6 off by default before any interface exists, so every interface inherits it
        assertThat(s).contains(new Step.Sysctl(NsRef.of("s10.nginx"), "net/ipv6/conf/default/disable_ipv6", "1"));
        assertThat(last(s, Step.Sysctl.class)).isLessThan(first(s, Step.AddLink.class));
        assertThat(last(s, Step.AddLink.class)).isLessThan(first(s, Step.SetLink.class));
        assertThat(last(s, Step.AddAddress.class)).isLessThan(first(s, Step.AddRoute.class));
        assertThat(s.get(s.size() - 1)).isInstanceOf(Step.NftTable.class);
        assertThat(s).contains(new Step.Sysctl(NsRef.of("s10.docker"), "net/ipv4/ip_forward", "1"));
        // the stand-in NIC: made beside its peer in "outside", then moved into docker as ens41
        String tmp = lab.kernelNames().temporary("docker", "ens41");
        assertThat(s).contains(
                new Step.AddLink(NsRef.of("s10.outside"), "eth0", new LinkSpec.Veth(tmp, NsRef.of("s10.outside"))),
                new Step.MoveLink(NsRef.of("s10.outside"), tmp, NsRef.of("s10.docker"), "ens41"));
        assertThat(s).contains(new Step.SetLink(NsRef.of("s10.docker"), "veth-nginx", Optional.of("docker0"),
                java.util.OptionalInt.empty(), Optional.empty(), true));
        Step.NftTable nat = (Step.NftTable) s.get(s.size() - 1);
        assertThat(nat.ns()).isEqualTo(NsRef.of("s10.docker"));
        assertThat(nat.rules()).containsExactly(
                new NatRule.Masquerade("172.17.0.0/16", Optional.empty(), Optional.of("docker0")),
                new NatRule.Publish("tcp", 8080, "172.17.10.10", 80, Optional.empty()),
                new NatRule.Publish("tcp", 9090, "172.17.10.20", 80, Optional.empty()));
    }

    /** S5: the kernel refuses a VLAN up while its parent is down (ENETDOWN), so the parent comes up first. */
    @Test void aVlanComesUpAfterItsParent() throws Exception {
        Lab lab = Validator.require(java.nio.file.Path.of(System.getenv().getOrDefault("NSLAB_REPO", ".."), "examples/s05-vlan.yaml"));
        List<Step> s = LabSteps.of(lab);
        int parent = -1, child = -1;
        for (int i = 0; i < s.size(); i++) {
            if (s.get(i) instanceof Step.SetLink l && l.up() && l.name().equals("veth-ns1")) parent = i;
            if (s.get(i) instanceof Step.SetLink l && l.up() && l.name().equals("veth-ns1.100")) child = i;
        }
        assertThat(parent).isNotNegative();
        assertThat(child).isGreaterThan(parent);
    }

    @Test void ipv6IsTurnedOnOnlyWhereTheFileAsks() {
        Lab lab = Validator.checkText("""
                name: six
                nodes:
                  a:
                  b:
                links:
                  - ends: [{at: a:e0, addresses: [fd00::1/64]}, {at: b:e0, addresses: [10.0.0.2/24]}]
                  - ends: [{at: a:e1, addresses: [10.0.1.1/24]}, {at: b:e1, addresses: [10.0.1.2/24]}]
                """, "six.yaml").orThrow();
        List<Step> s = LabSteps.of(lab);
        assertThat(s).contains(new Step.Sysctl(NsRef.of("six.a"), "net/ipv6/conf/e0/disable_ipv6", "0"));
        assertThat(s).filteredOn(x -> x instanceof Step.Sysctl c && c.sysctl().endsWith("/disable_ipv6") && c.value().equals("0"))
                .hasSize(1);
    }

    @Test void aFreshKernelNeedsEveryStepAndAFullOneNone() {
        Lab lab = Validator.defaultLab();
        List<Step> s = LabSteps.of(lab);
        Plan p = Planner.plan(s, Observed.empty(), List.of());
        assertThat(p.steps()).isEqualTo(s);
        assertThat(p.clashes()).isEmpty();
    }
}
