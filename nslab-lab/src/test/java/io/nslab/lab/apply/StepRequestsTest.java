package io.nslab.lab.apply;

import io.nslab.lab.plan.LinkSpec;
import io.nslab.lab.plan.NatRule;
import io.nslab.lab.plan.NsRef;
import io.nslab.lab.plan.Step;
import io.nslab.netlink.NlRequest;
import io.nslab.netlink.nft.Command;
import io.nslab.netlink.nft.PortMapping;
import io.nslab.netlink.nft.Proto;
import io.nslab.netlink.nft.Recipes;
import io.nslab.netlink.nft.Rule;
import io.nslab.netlink.nft.TableRef;
import io.nslab.netlink.nft.Transaction;
import io.nslab.netlink.route.AddressFamily;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.LinkChange;
import io.nslab.netlink.route.LinkKind.IpvlanMode;
import io.nslab.netlink.route.LinkKind.MacvlanMode;
import io.nslab.netlink.route.LinkKind.TuntapMode;
import io.nslab.netlink.route.LinkKind.VlanProtocol;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkNetns;
import io.nslab.netlink.route.LinkRef;
import io.nslab.netlink.route.LinkRequests;
import io.nslab.netlink.route.RouteSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The translation of steps into netlink and nf_tables requests, without a kernel. */
class StepRequestsTest {
    static final NsRef D = NsRef.of("t.docker"), N = NsRef.of("t.nginx");

    @Test void everyPlannedKindBecomesTheLibrarysKindOfTheSameWord() {
        List<LinkSpec> specs = List.of(new LinkSpec.Veth("eth0", N), new LinkSpec.Bridge(true),
                new LinkSpec.Macvlan("eth0", MacvlanMode.PASSTHRU), new LinkSpec.Ipvlan("eth0", IpvlanMode.L3S),
                new LinkSpec.Vlan("eth0", 100, VlanProtocol.DOT1AD),
                new LinkSpec.Vxlan(42, Optional.of("10.0.0.1"), Optional.of("10.0.0.2"), Optional.empty(), Optional.of("eth0"), 4789, false),
                new LinkSpec.Tuntap(true, OptionalInt.of(1000), OptionalInt.empty()));
        for (LinkSpec s : specs) {
            LinkKind k = LinkKinds.of(s);
            assertThat(k.type()).as(s.toString()).isEqualTo(s.type());
            assertThat(k.kind()).isEqualTo(s.kind());
        }
    }

    @Test void modesAndProtocolsPassThroughUnchanged() {
        assertThat(LinkKinds.of(new LinkSpec.Macvlan("eth0", MacvlanMode.PASSTHRU)))
                .isEqualTo(new LinkKind.Macvlan(Optional.of(LinkRef.of("eth0")), MacvlanMode.PASSTHRU, false));
        assertThat(LinkKinds.of(new LinkSpec.Ipvlan("eth0", IpvlanMode.L3S)))
                .isEqualTo(new LinkKind.Ipvlan(Optional.of(LinkRef.of("eth0")), IpvlanMode.L3S, 0));
        assertThat(LinkKinds.of(new LinkSpec.Vlan("eth0", 100, VlanProtocol.DOT1AD)))
                .isEqualTo(new LinkKind.Vlan(Optional.of(LinkRef.of("eth0")), 100, Optional.of(VlanProtocol.DOT1AD)));
        assertThat(LinkKinds.of(new LinkSpec.Tuntap(true, OptionalInt.of(1000), OptionalInt.empty())))
                .isEqualTo(new LinkKind.Tuntap(TuntapMode.TAP, OptionalLong.of(1000), OptionalLong.empty(), false, false, false));
        assertThat(LinkKinds.of(new LinkSpec.Vxlan(42, Optional.of("10.0.0.1"), Optional.empty(), Optional.empty(), Optional.of("eth0"), 4789, false)))
                .isEqualTo(new LinkKind.Vxlan(42, Optional.of(IpPrefix.parseAddress("10.0.0.1")), Optional.empty(), Optional.empty(),
                        Optional.of(LinkRef.of("eth0")), OptionalInt.of(4789), false));
    }

    @Test void aVethPeerGoesToItsNamespaceByNameOrToNslabsOwnByPid() {
        assertThat(LinkKinds.of(new LinkSpec.Veth("eth0", N)))
                .isEqualTo(new LinkKind.Veth(Optional.of("eth0"), Optional.of(LinkNetns.name("t.nginx")), Optional.empty(), OptionalInt.empty()));
        assertThat(LinkKinds.netns(NsRef.HOST)).isEqualTo(LinkNetns.path("/proc/" + ProcessHandle.current().pid() + "/ns/net"));
        assertThat(LinkKinds.veth(new LinkSpec.Veth("eth0", N), Optional.of(LinkNetns.fd(7)), OptionalInt.of(1001)))
                .isEqualTo(new LinkKind.Veth(Optional.of("eth0"), Optional.of(LinkNetns.fd(7)), Optional.empty(), OptionalInt.of(1001)));
    }

    @Test void aChosenIfindexTravelsInTheRequest() {
        var plain = StepRequests.link("br0", LinkKinds.of(new LinkSpec.Bridge(false)), OptionalInt.empty());
        var chosen = StepRequests.link("br0", LinkKinds.of(new LinkSpec.Bridge(false)), OptionalInt.of(1000));
        assertThat(plain.index()).isEmpty();
        assertThat(chosen.index()).hasValue(1000);
        assertThat(LinkRequests.add(chosen)).isNotEqualTo(LinkRequests.add(plain));
        assertThat(LinkRequests.add(chosen)).isEqualTo(LinkRequests.add(plain.withIndex(1000)));
    }

    @Test void setLinkChangesComeInIpsOrder() {
        Step.SetLink sl = new Step.SetLink(D, "veth0", Optional.of("docker0"), OptionalInt.of(1400), Optional.of("02:00:00:00:00:01"), true);
        assertThat(StepRequests.changes(sl, OptionalInt.of(1003))).containsExactly(LinkChange.mtu(1400),
                LinkChange.address("02:00:00:00:00:01"), LinkChange.master(1003), LinkChange.up());
        assertThat(StepRequests.changes(new Step.SetLink(D, "veth0", Optional.empty(), OptionalInt.empty(), Optional.empty(), false),
                OptionalInt.empty())).isEmpty();
    }

    @Test void addressesAndRoutesNameTheirStepInErrors() {
        NlRequest a = StepRequests.addAddress(new Step.AddAddress(D, "eth0", "10.0.0.1/24"), 1002);
        assertThat(a.what()).isEqualTo("addr add 10.0.0.1/24 dev eth0");
        Step.AddRoute r = new Step.AddRoute(N, "0.0.0.0/0", Optional.of("172.17.0.1"), Optional.of("eth0"), OptionalInt.empty());
        assertThat(StepRequests.addRoute(r, OptionalInt.of(1002)).what()).isEqualTo("route add 0.0.0.0/0");
    }

    @Test void routesBecomeRouteSpecs() {
        RouteSpec v6 = StepRequests.route(new Step.AddRoute(N, "::/0", Optional.of("fd00::1"), Optional.empty(), OptionalInt.empty()));
        assertThat(v6.family()).isEqualTo(AddressFamily.INET6);
        assertThat(v6.via()).contains(IpPrefix.parseAddress("fd00::1"));
        RouteSpec net = StepRequests.route(new Step.AddRoute(N, "10.0.2.0/24", Optional.empty(), Optional.of("veth0"), OptionalInt.of(100)));
        assertThat(net.dst()).contains(IpPrefix.parse("10.0.2.0/24"));
        assertThat(net.device()).contains("veth0");
        assertThat(net.metric()).hasValue(100);
    }

    @Test void theNatTableHasThreeChainsAndARulePerMasqueradeAndTwoPerPublishedPort() {
        Transaction t = StepRequests.table(new Step.NftTable(D, "nslab", List.of(
                new NatRule.Masquerade("172.17.0.0/16", Optional.empty(), Optional.of("docker0")),
                new NatRule.Publish("tcp", 8080, "172.17.10.10", 80, Optional.of("ens41")))));
        // replace the table (add + delete + add), three chains, one masquerade, DNAT and its local twin
        assertThat(t.commands()).hasSizeGreaterThanOrEqualTo(7);
        assertThat(t.commands().stream().map(c -> c.table()).distinct()).hasSize(1);
    }

    @Test void hairpinAndLoopbackRulesAreTheLibrarysRecipes() {
        Transaction t = StepRequests.table(new Step.NftTable(D, "nslab", List.of(
                new NatRule.Publish("tcp", 8080, "172.17.10.10", 80, Optional.empty()),
                new NatRule.Hairpin("tcp", "172.17.10.10", 80),
                new NatRule.PublishLoopback("udp", 5353, "172.17.10.53", 53),
                new NatRule.MasqueradeLoopback("docker0"))));
        var table = TableRef.ip("nslab");
        var post = table.chain("postrouting");
        var out = table.chain("output");
        var target = IpPrefix.parseAddress("172.17.10.10");
        List<Rule> rules = t.commands().stream()
                .filter(c -> c instanceof Command.AddRule).map(c -> ((Command.AddRule) c).rule()).toList();
        assertThat(rules).contains(
                Recipes.hairpinMasquerade(post, PortMapping.any(Proto.TCP, 80, target, 80)),
                Recipes.publish(out, PortMapping.on(IpPrefix.parseAddress("127.0.0.1"), Proto.UDP, 5353, IpPrefix.parseAddress("172.17.10.53"), 53)),
                Recipes.masqueradeLoopbackInto(post, "docker0"));
        // publish (prerouting + output), hairpin, loopback DNAT, loopback masquerade
        assertThat(rules).hasSize(5);
    }

    @Test void hairpinModeIsTheLibrarysBridgePortSetting() {
        assertThat(StepRequests.hairpin(true)).isEqualTo(LinkChange.hairpin(true));
        assertThat(StepRequests.hairpin(false)).isEqualTo(LinkChange.hairpin(false));
    }

    /** Journals written before hairpin and 127.0.0.1 publishing still read; the new steps round-trip. */
    @Test void stepJsonStaysReadableBothWays() throws Exception {
        String old = "{\"op\":\"nft\",\"ns\":\"t.docker\",\"table\":\"nslab\",\"rules\":[{\"rule\":\"publish\",\"proto\":\"tcp\","
                + "\"port\":8080,\"toAddress\":\"172.17.10.10\",\"toPort\":80}]}";
        Step s = Journal.JSON.readValue(old, Step.class);
        assertThat(s).isEqualTo(new Step.NftTable(D, "nslab", List.of(new NatRule.Publish("tcp", 8080, "172.17.10.10", 80, Optional.empty()))));
        for (Step n : List.of(new Step.Hairpin(D, "veth-nginx"), new Step.NftTable(D, "nslab", List.of(
                new NatRule.Hairpin("tcp", "172.17.10.10", 80), new NatRule.PublishLoopback("tcp", 8080, "172.17.10.10", 80),
                new NatRule.MasqueradeLoopback("docker0")))))
            assertThat(Journal.JSON.readValue(Journal.JSON.writeValueAsString(n), Step.class)).isEqualTo(n);
    }
}
