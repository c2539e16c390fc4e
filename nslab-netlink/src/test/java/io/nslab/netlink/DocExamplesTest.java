package io.nslab.netlink;

import io.nslab.netlink.monitor.Event;
import io.nslab.netlink.monitor.Monitor;
import io.nslab.netlink.monitor.Topic;
import io.nslab.netlink.route.*;
import io.nslab.testing.KernelTest;
import io.nslab.netlink.testing.ScratchNs;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The examples of docs/library-addr.md, run as written (veth0 is index 3 in a fresh namespace). */
@KernelTest
class DocExamplesTest {
    @Test
    void examplesRun() throws Exception {
        List<String> printed = new ArrayList<>();   // what the examples print
        try (ScratchNs ns = ScratchNs.create()) {
            ns.run(() -> {
                try (Rtnl rtnl = Rtnl.open()) {
                    assertThat(RoutingNet.vethUp(rtnl.socket(), "veth0", "veth1")).isEqualTo(3);

                    Addresses addrs = rtnl.addresses();
                    addrs.add("veth0", IpPrefix.parse("10.0.1.1/24"));
                    addrs.add(AddressSpec.of(3, IpPrefix.parse("10.0.1.9/24")).withComputedBroadcast().withLabel("veth0:1"));
                    addrs.add(AddressSpec.of("veth0", IpPrefix.parse("2001:db8::1/64")).withFlags(RtConst.IFA_F_NODAD));
                    addrs.replace(AddressSpec.of("veth0", IpPrefix.parse("10.0.9.1/24")).withLifetimes(600, 300));
                    List<Address> all = addrs.dump();
                    List<Address> v4 = addrs.dump(AddressFamily.INET);
                    List<Address> mine = addrs.list("veth0");
                    for (Address a : mine) printed.add(a.prefix() + " scope " + RouteNames.scope(a.scope()));
                    assertThat(all).containsAll(mine);
                    assertThat(v4).hasSize(3);
                    addrs.del("veth0", IpPrefix.parse("10.0.1.1/24"));
                    assertThat(addrs.flush(3, AddressFamily.INET)).isPositive();

                    addrs.add("veth0", IpPrefix.parse("10.0.1.1/24"));
                    addrs.add("veth0", IpPrefix.parse("192.168.50.1/24"));

                    Routes routes = rtnl.routes();
                    InetAddress gw = IpPrefix.parseAddress("10.0.1.2");
                    routes.add(RouteSpec.defaultRoute().via("192.168.50.3"));
                    routes.add(RouteSpec.to("10.0.2.0/24").dev("veth0"));
                    routes.add(RouteSpec.to("10.0.2.0/24").via(gw).metric(100)
                            .src(IpPrefix.parseAddress("10.0.1.1")).table(100).proto(RtConst.RTPROT_STATIC));
                    routes.replace(RouteSpec.to("10.0.2.0/24").via(gw).dev("veth0"));
                    routes.add(RouteSpec.to("10.66.0.0/16").type(RtConst.RTN_BLACKHOLE));
                    routes.add(RouteSpec.to("10.5.0.0/16").via(gw).table(1000));
                    routes.add(RouteSpec.to("2001:db8:1::/64").via("2001:db8::2").dev(3));
                    Route r = routes.get(IpPrefix.parseAddress("10.0.2.1"));
                    printed.add(r.oif() + " " + r.gateway() + " " + r.prefsrc());
                    routes.get(RouteLookup.to(IpPrefix.parseAddress("10.50.3.4")).from(IpPrefix.parseAddress("10.0.1.1")));
                    List<Route> main = routes.dump(AddressFamily.INET);
                    List<Route> t100 = routes.dump(AddressFamily.INET, OptionalInt.of(100));
                    List<Route> every = routes.dump(AddressFamily.UNSPEC, OptionalInt.empty());
                    assertThat(every.size()).isGreaterThan(main.size() + t100.size());
                    routes.add(RouteSpec.to("10.7.0.0/16").nexthops(List.of(
                            RouteNextHop.via(gw, 3, 1), RouteNextHop.via(IpPrefix.parseAddress("192.168.50.4"), 3, 2))));
                    routes.del(RouteSpec.to("10.0.2.0/24"));
                    routes.del(t100.get(0));
                    routes.flush(AddressFamily.INET, OptionalInt.of(1000), x -> true);

                    Neighbours neigh = rtnl.neighbours();
                    neigh.add(NeighbourSpec.of("veth0", IpPrefix.parseAddress("10.0.1.2")).withLladdr("02:00:00:00:00:02"));
                    neigh.replace(NeighbourSpec.of(3, IpPrefix.parseAddress("10.0.1.3"))
                            .withLladdr("02:00:00:00:00:03").withState(RtConst.NUD_REACHABLE));
                    for (Neighbour n : neigh.dump()) printed.add(n.dst() + " " + n.lladdr() + " " + n.stateNames());
                    neigh.del(NeighbourSpec.of("veth0", IpPrefix.parseAddress("10.0.1.2")));
                    assertThat(neigh.flush(AddressFamily.INET, OptionalInt.of(3))).isEqualTo(1);

                    Rules rules = rtnl.rules();
                    rules.add(RuleSpec.create().from(IpPrefix.parse("10.0.0.0/8")).table(100).priority(1000));
                    rules.add(RuleSpec.create().to(IpPrefix.parse("10.1.0.0/16")).fwmark(0x1, 0xff).table(200));
                    rules.add(RuleSpec.create().iif("veth0").action(RtConst.FR_ACT_PROHIBIT).priority(1200));
                    rules.add(RuleSpec.create().family(AddressFamily.INET6).from(IpPrefix.parse("2001:db8::/32")).table(300));
                    List<Rule> v4rules = rules.dump(AddressFamily.INET);
                    assertThat(v4rules).hasSize(6);
                    rules.del(RuleSpec.create().from(IpPrefix.parse("10.0.0.0/8")).table(100).priority(1000));
                }

                List<String> lines = new ArrayList<>();
                try (Monitor m = Monitor.open(Topic.LINK, Topic.ADDRESS, Topic.ROUTE); Rtnl rtnl = Rtnl.open()) {
                    rtnl.addresses().add("veth0", IpPrefix.parse("10.0.77.1/24"));
                    CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS).execute(m::close);
                    m.stream().forEach(e -> {
                        switch (e) {
                            case Event.LinkEvent l -> lines.add(l.change() + " link " + l.name() + (l.up() ? " UP" : ""));
                            case Event.AddressEvent a -> lines.add(a.change() + " addr " + a.address().prefix());
                            case Event.RouteEvent r -> lines.add(r.change() + " route " + r.route());
                            case Event.EventsLost lost -> lines.add(lost.toString());
                            default -> { }
                        }
                    });
                }
                assertThat(lines).contains("NEW addr 10.0.77.1/24");
            });
            assertThat(printed).contains("10.0.1.9/24 scope global", "OptionalInt[3] Optional[/10.0.1.2] Optional[/10.0.1.1]");
        }
    }
}
