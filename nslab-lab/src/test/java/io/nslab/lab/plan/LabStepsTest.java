package io.nslab.lab.plan;

import io.nslab.lab.model.Lab;
import io.nslab.lab.validate.Validator;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;

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
        // (route_localnet toward published targets comes last: it is a setting of an interface)
        assertThat(last(s.stream().filter(x -> !(x instanceof Step.Sysctl c && c.sysctl().endsWith("/route_localnet"))).toList(),
                Step.Sysctl.class)).isLessThan(first(s, Step.AddLink.class));
        assertThat(last(s, Step.AddLink.class)).isLessThan(first(s, Step.SetLink.class));
        assertThat(last(s, Step.AddAddress.class)).isLessThan(first(s, Step.AddRoute.class));
        assertThat(s.get(s.size() - 1)).isInstanceOf(Step.NftTable.class);
        assertThat(s).contains(new Step.Sysctl(NsRef.of("s10.docker"), "net/ipv4/ip_forward", "1"));
        // the stand-in NIC: made beside its peer in "outside", then moved into docker as ens41
        String tmp = lab.kernelNames().temporary("docker", "ens41");
        assertThat(s).contains(
                new Step.AddLink(NsRef.of("s10.outside"), "eth0", new LinkSpec.Veth(tmp, NsRef.of("s10.outside"))),
                new Step.MoveLink(NsRef.of("s10.outside"), tmp, NsRef.of("s10.docker"), "ens41"));
        // a bridge port: made enslaved and up by its pair's own request, after the bridge; no set of its own
        assertThat(s).contains(new Step.AddLink(NsRef.of("s10.docker"), "veth-nginx", new LinkSpec.Veth("eth0", NsRef.of("s10.nginx")),
                Optional.of("docker0"), true));
        assertThat(s.indexOf(new Step.AddLink(NsRef.of("s10.docker"), "docker0", new LinkSpec.Bridge(false))))
                .isLessThan(first(s, Step.MoveLink.class));
        assertThat(s).noneMatch(x -> x instanceof Step.SetLink l && l.name().equals("veth-nginx"));
        Step.NftTable nat = (Step.NftTable) s.get(s.size() - 1);
        assertThat(nat.ns()).isEqualTo(NsRef.of("s10.docker"));
        assertThat(nat.rules()).containsExactly(
                new NatRule.Masquerade("172.17.0.0/16", Optional.empty(), Optional.of("docker0")),
                new NatRule.Publish("tcp", 8080, "172.17.10.10", 80, Optional.empty()),
                new NatRule.Hairpin("tcp", "172.17.10.10", 80),
                new NatRule.PublishLoopback("tcp", 8080, "172.17.10.10", 80),
                new NatRule.Publish("tcp", 9090, "172.17.10.20", 80, Optional.empty()),
                new NatRule.Hairpin("tcp", "172.17.10.20", 80),
                new NatRule.PublishLoopback("tcp", 9090, "172.17.10.20", 80),
                new NatRule.MasqueradeLoopback("docker0"));
    }

    /** Hairpin mode on the bridge ports leading to published targets, route_localnet toward them, before the table. */
    @Test void publishedPortsGetHairpinModeAndRouteLocalnet() {
        List<Step> s = LabSteps.of(Validator.defaultLab());
        NsRef d = NsRef.of("s10.docker");
        List<Step> tail = s.subList(s.size() - 4, s.size());
        assertThat(tail).containsExactly(new Step.Hairpin(d, "veth-nginx"), new Step.Hairpin(d, "veth-gitlab"),
                new Step.Sysctl(d, "net/ipv4/conf/docker0/route_localnet", "1"), s.get(s.size() - 1));
        // after the ports are enslaved (the kernel takes bridge_slave settings only from a port)
        assertThat(first(s, Step.Hairpin.class)).isGreaterThan(last(s, Step.SetLink.class));
        assertThat(tail.get(0).describe()).isEqualTo("link set veth-nginx type bridge_slave hairpin on (netns s10.docker)");
    }

    /** A target on a routed (non-bridge) interface: no bridge port to set, the masquerades and route_localnet still. */
    @Test void aTargetBehindAPlainInterfaceNeedsNoHairpinMode() {
        Lab lab = Validator.checkText("""
                name: pp
                nodes:
                  gw:
                    forwarding: true
                    publish:
                      - {port: 8080, to: web:80}
                      - {port: 8081, to: web:81, in: up0}
                  web:
                    serve: [http 80, http 81]
                  out:
                links:
                  - ends: [{at: gw:e0, addresses: [10.0.0.1/24]}, {at: web:e0, addresses: [10.0.0.2/24]}]
                  - ends: [{at: gw:up0, addresses: [10.1.0.1/24]}, {at: out:e0, addresses: [10.1.0.2/24]}]
                """, "pp.yaml").orThrow();
        List<Step> s = LabSteps.of(lab);
        assertThat(s).noneMatch(x -> x instanceof Step.Hairpin);
        assertThat(s).filteredOn(x -> x instanceof Step.Sysctl c && c.sysctl().endsWith("route_localnet"))
                .containsExactly(new Step.Sysctl(NsRef.of("pp.gw"), "net/ipv4/conf/e0/route_localnet", "1"));
        Step.NftTable nat = (Step.NftTable) s.get(s.size() - 1);
        assertThat(nat.rules()).containsExactly(
                new NatRule.Publish("tcp", 8080, "10.0.0.2", 80, Optional.empty()),
                new NatRule.Hairpin("tcp", "10.0.0.2", 80),
                new NatRule.PublishLoopback("tcp", 8080, "10.0.0.2", 80),
                // only from up0: the target cannot come back in by e0, no hairpin; 127.0.0.1 clients still
                new NatRule.Publish("tcp", 8081, "10.0.0.2", 81, Optional.of("up0")),
                new NatRule.PublishLoopback("tcp", 8081, "10.0.0.2", 81),
                new NatRule.MasqueradeLoopback("e0"));
    }

    @Test void hairpinModeIsSatisfiedOnlyWhenTheKernelShowsIt() {
        NsRef d = NsRef.of("t.d");
        Step.Hairpin h = new Step.Hairpin(d, "veth0");
        Function<Boolean, Observed> with = on -> new Observed(Set.of("t.d"), Map.of(d,
                new Observed.View(Map.of("veth0", new Observed.Link("veth0", "veth", Optional.of("br0"), true, 1500, Optional.empty(), on)),
                        Set.of(), Set.of(), Map.of(), Set.of())));
        assertThat(Planner.plan(List.of(h), with.apply(false), List.of()).steps()).containsExactly(h);
        assertThat(Planner.plan(List.of(h), with.apply(true), List.of()).steps()).isEmpty();
        // owned but no longer wanted: undone (turned off)
        assertThat(Planner.plan(List.of(), with.apply(true), List.of(h)).removals()).containsExactly(h);
    }

    /** S5: the kernel refuses a VLAN up while its parent is down (ENETDOWN), so the parent comes up first. */
    @Test void aVlanComesUpAfterItsParent() throws Exception {
        Lab lab = Validator.require(Path.of(System.getenv().getOrDefault("NSLAB_REPO", ".."), "examples/s05-vlan.yaml"));
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
