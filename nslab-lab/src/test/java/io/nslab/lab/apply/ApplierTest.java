package io.nslab.lab.apply;

import io.nslab.lab.plan.LinkSpec;
import io.nslab.lab.plan.NatRule;
import io.nslab.lab.plan.NsRef;
import io.nslab.lab.plan.Plan;
import io.nslab.lab.plan.Planner;
import io.nslab.lab.plan.Step;
import io.nslab.netlink.route.LinkKind.IpvlanMode;
import io.nslab.netlink.route.LinkKind.MacvlanMode;
import io.nslab.netlink.route.LinkKind.VlanProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Planner + applier + journal over an in-memory kernel: idempotence, clashes, rollback, teardown. */
class ApplierTest {
    @TempDir Path dir;

    static final NsRef D = NsRef.of("t.docker"), N = NsRef.of("t.nginx");

    static List<Step> lab() {
        return List.of(
                new Step.CreateNs("t.docker"),
                new Step.CreateNs("t.nginx"),
                new Step.Sysctl(D, "net/ipv4/ip_forward", "1"),
                new Step.Sysctl(N, "net/ipv6/conf/all/forwarding", "1"),
                new Step.AddLink(D, "docker0", new LinkSpec.Bridge(false)),
                new Step.AddLink(D, "veth0", new LinkSpec.Veth("eth0", N)),
                new Step.AddLink(NsRef.HOST, "up0", new LinkSpec.Veth("ens41", D)),
                new Step.SetLink(D, "veth0", Optional.of("docker0"), OptionalInt.empty(), Optional.empty(), true),
                new Step.SetLink(D, "docker0", Optional.empty(), OptionalInt.of(1400), Optional.empty(), true),
                new Step.SetLink(N, "eth0", Optional.empty(), OptionalInt.empty(), Optional.empty(), true),
                new Step.AddAddress(D, "docker0", "172.17.0.1/16"),
                new Step.AddAddress(N, "eth0", "172.17.0.2/16"),
                new Step.AddRoute(N, "0.0.0.0/0", Optional.of("172.17.0.1"), Optional.empty(), OptionalInt.empty()),
                new Step.NftTable(D, "nslab", List.of(new NatRule.Masquerade("172.17.0.0/16", Optional.empty(), Optional.of("docker0")))));
    }

    private Plan plan(FakeKernel k, Journal j) throws Exception {
        return Planner.plan(lab(), k.observe(lab()), j.live().stream().map(Journal.Done::step).toList());
    }

    @Test void upThenUpAgainChangesNothingThenDownRestoresEverything() throws Exception {
        FakeKernel k = new FakeKernel();
        String before = k.dump();
        try (Journal j = Journal.open(dir)) {
            Plan p = plan(k, j);
            assertThat(p.steps()).hasSize(lab().size());
            assertThat(p.clashes()).isEmpty();
            new Applier(k, j).apply(p.steps());
            assertThat(k.spaces).containsKeys(D, N);
            assertThat(k.spaces.get(N).sysctls).containsEntry("net/ipv6/conf/all/forwarding", "1");

            Plan again = plan(k, j);
            assertThat(again.isEmpty()).as(again.steps().toString()).isTrue();
            assertThat(again.satisfied()).isEqualTo(lab().size());
        }
        try (Journal j = Journal.open(dir)) {               // a new run reads the journal from storage
            assertThat(j.live()).hasSize(lab().size());
            assertThat(new Applier(k, j).teardown()).isEmpty();
            assertThat(j.live()).isEmpty();
        }
        assertThat(k.dump()).isEqualTo(before);
    }

    @Test void clashWithForeignNamespaceOrInterfaceIsRefusedBeforeAnyChange() throws Exception {
        FakeKernel k = new FakeKernel();
        k.apply(new Step.CreateNs("t.nginx"));
        k.apply(new Step.AddLink(NsRef.HOST, "up0", new LinkSpec.Bridge(false)));
        try (Journal j = Journal.open(dir)) {
            Plan p = plan(k, j);
            assertThat(p.clashes()).containsExactly(
                    "netns t.nginx already exists and was not created by this lab",
                    "interface up0 already exists in the host namespace and was not created by this lab");
        }
    }

    @Test void aFailingStepRollsBackThisRunOnly() throws Exception {
        FakeKernel k = new FakeKernel();
        String before = k.dump();
        try (Journal j = Journal.open(dir)) {
            Plan p = plan(k, j);
            Applier.FaultHook failAt9 = (i, s) -> { if (i == 9) throw new Exception("injected fault"); };
            assertThatThrownBy(() -> new Applier(k, j, Progress.NONE, failAt9).apply(p.steps()))
                    .isInstanceOf(ApplyException.class)
                    .hasMessageContaining("step 10/14 link set eth0 up (netns t.nginx): injected fault; rolled back 9 step(s)");
            assertThat(k.dump()).isEqualTo(before);
            assertThat(j.live()).isEmpty();
        }
    }

    @Test void rollbackKeepsWhatEarlierRunsMade() throws Exception {
        FakeKernel k = new FakeKernel();
        try (Journal j = Journal.open(dir)) {
            new Applier(k, j).apply(lab().subList(0, 5));
            String mid = k.dump();
            Plan p = plan(k, j);
            assertThat(p.steps()).hasSize(lab().size() - 5);
            assertThatThrownBy(() -> new Applier(k, j, Progress.NONE, (i, s) -> { if (i == 3) throw new Exception("boom"); }).apply(p.steps()))
                    .isInstanceOf(ApplyException.class);
            assertThat(k.dump()).isEqualTo(mid);
            assertThat(j.live()).hasSize(5);
        }
    }

    @Test void tornLastLineAfterACrashIsIgnored() throws Exception {
        FakeKernel k = new FakeKernel();
        try (Journal j = Journal.open(dir)) {
            new Applier(k, j).apply(lab().subList(0, 3));
        }
        Files.writeString(dir.resolve("journal"), "{\"event\":\"do\",\"step\":{\"op\":\"lin", StandardOpenOption.APPEND);
        try (Journal j = Journal.open(dir)) {
            assertThat(j.live()).extracting(Journal.Done::step).containsExactlyElementsOf(lab().subList(0, 3));
        }
    }

    @Test void removalsListWhatTheFileNoLongerWants() throws Exception {
        FakeKernel k = new FakeKernel();
        try (Journal j = Journal.open(dir)) {
            new Applier(k, j).apply(lab());
            List<Step> smaller = lab().stream().filter(s -> !s.ns().equals(N) && !(s instanceof Step.CreateNs c && c.name().equals("t.nginx"))
                    && !(s instanceof Step.AddLink l && l.name().equals("veth0"))
                    && !(s instanceof Step.SetLink sl && sl.name().equals("veth0"))).toList();
            Plan p = Planner.plan(smaller, k.observe(smaller), j.live().stream().map(Journal.Done::step).toList());
            assertThat(p.steps()).isEmpty();
            assertThat(p.removals()).extracting(Step::describe)
                    .containsExactly("link add veth0 type veth peer eth0 netns t.nginx (netns t.docker)", "netns add t.nginx");
        }
    }

    @Test void journalRoundTripsEveryStepKind() throws Exception {
        List<Step> all = new ArrayList<>(lab());
        all.add(new Step.MoveLink(D, "nsl0123", N, "eth1"));
        all.add(new Step.AddLink(D, "mv0", new LinkSpec.Macvlan("eth0", MacvlanMode.BRIDGE)));
        all.add(new Step.AddLink(D, "iv0", new LinkSpec.Ipvlan("eth0", IpvlanMode.L3S)));
        all.add(new Step.AddLink(D, "v100", new LinkSpec.Vlan("eth0", 100, VlanProtocol.DOT1Q)));
        all.add(new Step.AddLink(D, "vx0", new LinkSpec.Vxlan(100, Optional.of("10.0.0.1"), Optional.of("10.0.0.2"), Optional.empty(), Optional.of("eth0"), 4789, true)));
        all.add(new Step.AddLink(D, "tap0", new LinkSpec.Tuntap(true, OptionalInt.of(1000), OptionalInt.empty())));
        all.add(new Step.NftTable(D, "nslab", List.of(new NatRule.Publish("tcp", 8080, "172.17.0.2", 80, Optional.of("ens41")))));
        try (Journal j = Journal.open(dir)) {
            for (Step s : all) j.intend(s, Optional.of("0"));
        }
        try (Journal j = Journal.open(dir)) {
            List<Step> back = j.entries().stream().map(e -> e.step().orElseThrow()).toList();
            assertThat(back).containsExactlyElementsOf(all);
        }
        // modes and protocols are journaled as ip's keywords, as they always were
        String journal = Files.readString(dir.resolve("journal"));
        assertThat(journal).contains("{\"kind\":\"macvlan\",\"parent\":\"eth0\",\"mode\":\"bridge\"}")
                .contains("{\"kind\":\"ipvlan\",\"parent\":\"eth0\",\"mode\":\"l3s\"}")
                .contains("{\"kind\":\"vlan\",\"parent\":\"eth0\",\"id\":100,\"proto\":\"802.1Q\"}");
    }

    @Test void secondRunOnALabIsRefusedByItsLock() throws Exception {
        try (LabLock first = LabLock.acquire(dir, "t")) {
            assertThatThrownBy(() -> LabLock.acquire(dir, "t")).isInstanceOf(LabBusyException.class)
                    .hasMessageContaining("lab t is busy").hasMessageContaining("pid " + ProcessHandle.current().pid());
        }
        try (LabLock again = LabLock.acquire(dir, "t")) {
            assertThat(again).isNotNull();
        }
    }
}
