package io.nslab.netlink;

import com.fasterxml.jackson.databind.JsonNode;
import io.nslab.netlink.route.AddressFamily;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.Neighbour;
import io.nslab.netlink.route.NeighbourSpec;
import io.nslab.netlink.route.RouteLookup;
import io.nslab.netlink.route.RouteSpec;
import io.nslab.netlink.route.Rule;
import io.nslab.netlink.route.RuleSpec;
import io.nslab.testing.KernelTest;
import io.nslab.netlink.testing.Observer;
import io.nslab.netlink.testing.ScratchNs;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static io.nslab.netlink.route.RtConst.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Neighbours and policy rules on the real kernel, cross-checked with {@code ip -j neigh / rule}. */
@KernelTest
class NeighboursRulesKernelTest {
    static InetAddress ip(String s) { return IpPrefix.parseAddress(s); }

    @Test
    void neighboursAddReplaceDumpDel() throws Exception {
        try (ScratchNs ns = ScratchNs.create()) {
            ns.run(() -> {
                try (Rtnl r = Rtnl.open()) {
                    int idx = RoutingNet.vethUp(r.socket(), "veth0", "veth1");
                    r.addresses().add(idx, IpPrefix.parse("10.0.1.1/24"));
                    Neighbours n = r.neighbours();
                    n.add(NeighbourSpec.of("veth0", ip("10.0.1.2")).withLladdr("02:00:00:00:00:02"));
                    n.add(NeighbourSpec.of(idx, ip("10.0.1.3")).withLladdr("02:00:00:00:00:03").withState(NUD_REACHABLE));
                    n.add(NeighbourSpec.of(idx, ip("2001:db8::9")).withLladdr("02:00:00:00:00:09").withFlags(NTF_ROUTER));
                    assertThatThrownBy(() -> n.add(NeighbourSpec.of(idx, ip("10.0.1.2")).withLladdr("02:00:00:00:00:02")))
                            .hasMessageStartingWith("neigh add 10.0.1.2 lladdr 02:00:00:00:00:02 dev #" + idx + " failed: EEXIST (File exists)");
                    n.replace(NeighbourSpec.of(idx, ip("10.0.1.2")).withLladdr("02:00:00:00:00:22"));

                    List<Neighbour> mine = n.dump(AddressFamily.INET, OptionalInt.of(idx));
                    assertThat(mine).anySatisfy(x -> {
                        assertThat(x.dst()).contains(ip("10.0.1.2"));
                        assertThat(x.lladdr()).contains("02:00:00:00:00:22");
                        assertThat(x.permanent()).isTrue();
                    });
                    assertThat(mine).anySatisfy(x -> {
                        assertThat(x.dst()).contains(ip("10.0.1.3"));
                        assertThat(x.stateNames()).containsExactly("REACHABLE");
                    });
                    assertThat(n.dump()).anySatisfy(x -> {
                        assertThat(x.dst()).contains(ip("2001:db8::9"));
                        assertThat(x.router()).isTrue();
                    });
                    assertThat(n.list("veth0")).allSatisfy(x -> assertThat(x.index()).isEqualTo(idx));
                    // flush keeps permanent entries, drops learned ones (10.0.1.3 reachable)
                    assertThat(n.flush(AddressFamily.INET, OptionalInt.of(idx))).isEqualTo(1);
                    assertThat(n.dump(AddressFamily.INET, OptionalInt.of(idx))).anySatisfy(x -> assertThat(x.dst()).contains(ip("10.0.1.2")))
                            .noneSatisfy(x -> assertThat(x.dst()).contains(ip("10.0.1.3")));
                    n.add(NeighbourSpec.of(idx, ip("10.0.1.3")).withLladdr("02:00:00:00:00:03").withState(NUD_REACHABLE));
                }
            });
            JsonNode js = Observer.ipJson(ns.path(), "neigh", "show", "dev", "veth0");
            JsonNode two = null;
            for (JsonNode e : js) if (e.get("dst").asText().equals("10.0.1.2")) two = e;
            assertThat(two).isNotNull();
            assertThat(two.get("lladdr").asText()).isEqualTo("02:00:00:00:00:22");
            assertThat(two.get("state").get(0).asText()).isEqualTo("PERMANENT");

            ns.run(() -> {
                try (Rtnl r = Rtnl.open()) {
                    Neighbours n = r.neighbours();
                    n.del(NeighbourSpec.of("veth0", ip("10.0.1.2")));
                    Neighbour three = n.dump().stream().filter(x -> x.dst().equals(Optional.of(ip("10.0.1.3")))).findFirst().orElseThrow();
                    n.del(three);
                    assertThat(n.dump(AddressFamily.INET, OptionalInt.empty())).noneMatch(x -> x.lladdr().isPresent()
                            && (x.dst().get().equals(ip("10.0.1.2")) || x.dst().get().equals(ip("10.0.1.3"))));
                    assertThatThrownBy(() -> n.del(NeighbourSpec.of("veth0", ip("10.0.1.2"))))
                            .hasMessageStartingWith("neigh del 10.0.1.2 dev veth0 failed: ENOENT");
                    assertThatThrownBy(() -> n.add(NeighbourSpec.of("nosuch", ip("10.0.1.2"))))
                            .hasMessage("neigh add 10.0.1.2 dev nosuch failed: ENODEV (No such device): Cannot find device \"nosuch\"");
                }
            });
            assertThat(Observer.ipJson(ns.path(), "neigh", "show", "dev", "veth0"))
                    .noneMatch(e -> e.get("dst").asText().equals("10.0.1.2"));
        }
    }

    @Test
    void rulesAddDumpDelAndSteerLookups() throws Exception {
        try (ScratchNs ns = ScratchNs.create()) {
            ns.run(() -> {
                try (Rtnl r = Rtnl.open()) {
                    int idx = RoutingNet.vethUp(r.socket(), "veth0", "veth1");
                    r.addresses().add(idx, IpPrefix.parse("10.0.1.1/24"));
                    Routes routes = r.routes();
                    routes.add(RouteSpec.to("10.50.0.0/16").via("10.0.1.100").table(1000));
                    Rules rules = r.rules();
                    rules.add(RuleSpec.create().from(IpPrefix.parse("10.0.1.0/24")).to(IpPrefix.parse("10.50.0.0/16")).table(1000).priority(1000));
                    rules.add(RuleSpec.create().fwmark(0x10, 0xff).table(200).priority(1100));
                    rules.add(RuleSpec.create().iif("veth0").action(FR_ACT_PROHIBIT).priority(1200));
                    rules.add(RuleSpec.create().family(AddressFamily.INET6).from(IpPrefix.parse("2001:db8::/32")).table(300).priority(1300));
                    assertThatThrownBy(() -> rules.add(RuleSpec.create().from(IpPrefix.parse("10.0.1.0/24")).to(IpPrefix.parse("10.50.0.0/16")).table(1000).priority(1000)))
                            .isInstanceOf(ErrnoException.class)
                            .hasMessageStartingWith("rule add from 10.0.1.0/24 to 10.50.0.0/16 priority 1000 lookup 1000 failed: EEXIST");

                    List<Rule> v4 = rules.dump(AddressFamily.INET);
                    assertThat(v4).extracting(x -> x.priority()).contains(0, 1000, 1100, 1200, 32766, 32767);
                    Rule big = v4.stream().filter(x -> x.priority() == 1000).findFirst().orElseThrow();
                    assertThat(big.table()).isEqualTo(1000);
                    assertThat(big.from()).contains(IpPrefix.parse("10.0.1.0/24"));
                    assertThat(big.to()).contains(IpPrefix.parse("10.50.0.0/16"));
                    Rule mark = v4.stream().filter(x -> x.priority() == 1100).findFirst().orElseThrow();
                    assertThat(mark.fwmark()).hasValue(0x10);
                    assertThat(mark.fwmask()).hasValue(0xff);
                    assertThat(v4.stream().filter(x -> x.priority() == 1200)).singleElement()
                            .satisfies(x -> { assertThat(x.action()).isEqualTo(FR_ACT_PROHIBIT); assertThat(x.iif()).contains("veth0"); });
                    assertThat(rules.dump(AddressFamily.INET6)).anySatisfy(x -> assertThat(x.table()).isEqualTo(300));
                    assertThat(rules.dump(AddressFamily.UNSPEC)).anySatisfy(x -> assertThat(x.family()).isEqualTo(AddressFamily.INET6));

                    // the rule steers a lookup from 10.0.1.1 into table 1000
                    var got = routes.get(RouteLookup.to(ip("10.50.3.4")).from(ip("10.0.1.1")));
                    assertThat(got.table()).isEqualTo(1000);
                    assertThat(got.gateway()).contains(ip("10.0.1.100"));
                }
            });
            JsonNode js = Observer.ipJson(ns.path(), "rule", "show");
            JsonNode p1000 = null;
            for (JsonNode e : js) if (e.get("priority").asInt() == 1000) p1000 = e;
            assertThat(p1000).isNotNull();
            assertThat(p1000.get("src").asText()).isEqualTo("10.0.1.0");
            assertThat(p1000.get("srclen").asInt()).isEqualTo(24);
            assertThat(p1000.get("table").asText()).isEqualTo("1000");

            ns.run(() -> {
                try (Rtnl r = Rtnl.open()) {
                    Rules rules = r.rules();
                    rules.del(RuleSpec.create().from(IpPrefix.parse("10.0.1.0/24")).to(IpPrefix.parse("10.50.0.0/16")).table(1000).priority(1000));
                    Rule mark = rules.dump(AddressFamily.INET).stream().filter(x -> x.priority() == 1100).findFirst().orElseThrow();
                    rules.del(mark);
                    assertThat(rules.dump(AddressFamily.INET)).extracting(x -> x.priority()).doesNotContain(1000, 1100);
                    assertThatThrownBy(() -> rules.del(RuleSpec.create().priority(1000)))
                            .hasMessageStartingWith("rule del from all priority 1000 failed: ENOENT");
                }
            });
            assertThat(Observer.ipJson(ns.path(), "rule", "show")).noneMatch(e -> e.get("priority").asInt() == 1000);
        }
    }
}
