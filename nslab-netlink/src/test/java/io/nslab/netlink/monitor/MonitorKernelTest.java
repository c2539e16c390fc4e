package io.nslab.netlink.monitor;

import io.nslab.netlink.NlRequest;
import io.nslab.netlink.RoutingNetAccess;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.route.AddressRequests;
import io.nslab.netlink.route.AddressSpec;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.NeighbourSpec;
import io.nslab.netlink.route.RouteSpec;
import io.nslab.netlink.route.RtConst;
import io.nslab.netlink.route.RuleSpec;
import io.nslab.testing.KernelTest;
import io.nslab.netlink.testing.ScratchNs;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@KernelTest
class MonitorKernelTest {

    /** Polls until an event matching {@code p} arrives (or fails after 5 s); returns everything seen. */
    static List<Event> until(Monitor m, Predicate<Event> p) throws Exception {
        List<Event> seen = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < end) {
            Optional<Event> e = m.poll(Duration.ofMillis(500));
            if (e.isEmpty()) continue;
            seen.add(e.get());
            if (p.test(e.get())) return seen;
        }
        throw new AssertionError("no matching event in 5 s; saw " + seen);
    }

    @Test
    void seesLinksAddressesRoutesNeighboursAndRules() throws Exception {
        try (ScratchNs ns = ScratchNs.create()) {
            ns.run(() -> {
                try (Monitor m = Monitor.open(); Rtnl r = Rtnl.open()) {
                    assertThat(m.topics()).containsExactlyInAnyOrder(Topic.values());
                    int idx = RoutingNetAccess.vethUp(r.socket(), "veth0", "veth1");
                    until(m, e -> e instanceof Event.LinkEvent l && l.change() == Change.NEW && l.name().equals("veth0") && l.index() == idx && l.up());

                    r.addresses().add(idx, IpPrefix.parse("10.0.1.1/24"));
                    until(m, e -> e instanceof Event.AddressEvent a && a.change() == Change.NEW
                            && a.address().prefix().equals(IpPrefix.parse("10.0.1.1/24")) && a.address().index() == idx);

                    r.routes().add(RouteSpec.to("10.0.2.0/24").via("10.0.1.2"));
                    until(m, e -> e instanceof Event.RouteEvent re && re.change() == Change.NEW
                            && re.route().destination().toString().equals("10.0.2.0/24"));

                    r.neighbours().add(NeighbourSpec.of(idx, IpPrefix.parseAddress("10.0.1.2")).withLladdr("02:00:00:00:00:02"));
                    until(m, e -> e instanceof Event.NeighbourEvent ne && ne.change() == Change.NEW
                            && ne.neighbour().lladdr().equals(Optional.of("02:00:00:00:00:02")));

                    r.rules().add(RuleSpec.create().from(IpPrefix.parse("10.0.1.0/24")).table(100).priority(500));
                    until(m, e -> e instanceof Event.RuleEvent re && re.change() == Change.NEW && re.rule().priority() == 500);

                    r.addresses().del(idx, IpPrefix.parse("10.0.1.1/24"));
                    until(m, e -> e instanceof Event.AddressEvent a && a.change() == Change.DEL
                            && a.address().prefix().equals(IpPrefix.parse("10.0.1.1/24")));
                }
            });
        }
    }

    @Test
    void onlyChosenTopicsArrive() throws Exception {
        try (ScratchNs ns = ScratchNs.create()) {
            ns.run(() -> {
                try (Monitor m = Monitor.open(Topic.ADDRESS); Rtnl r = Rtnl.open()) {
                    int idx = RoutingNetAccess.vethUp(r.socket(), "veth0", "veth1");
                    r.addresses().add(AddressSpec.of(idx, IpPrefix.parse("2001:db8::1/64")).withFlags(RtConst.IFA_F_NODAD));
                    List<Event> seen = until(m, e -> e instanceof Event.AddressEvent a && a.address().prefix().toString().equals("2001:db8::1/64"));
                    assertThat(seen).allMatch(e -> e instanceof Event.AddressEvent);
                }
            });
        }
    }

    @Test
    void overflowIsReportedAsEventsLostAndEventsContinue() throws Exception {
        try (ScratchNs ns = ScratchNs.create()) {
            ns.run(() -> {
                // a tiny receive buffer and a burst of 300 addresses nobody reads: the kernel must drop some
                try (Monitor m = Monitor.open(EnumSet.of(Topic.ADDRESS), 1024); Rtnl r = Rtnl.open()) {
                    int idx = RoutingNetAccess.vethUp(r.socket(), "veth0", "veth1");
                    List<NlRequest> burst = new ArrayList<>();
                    for (int i = 1; i <= 300; i++) {
                        burst.add(AddressRequests.add(AddressSpec.of(idx, IpPrefix.parse("10.1." + (i / 250) + "." + (i % 250 + 1) + "/32"))));
                    }
                    assertThat(r.socket().executeAll(burst)).allMatch(Optional::isEmpty);
                    List<Event> seen = until(m, e -> e instanceof Event.EventsLost);
                    assertThat(seen.getLast().toString()).isEqualTo("events lost, resync");
                    // drain, then a fresh change is still delivered
                    while (m.poll(Duration.ofMillis(100)).isPresent()) { }
                    r.addresses().add(idx, IpPrefix.parse("10.9.9.9/32"));
                    until(m, e -> e instanceof Event.AddressEvent a && a.address().prefix().toString().equals("10.9.9.9/32"));
                }
            });
        }
    }

    @Test
    void closeFromAnotherThreadEndsTheStream() throws Exception {
        try (ScratchNs ns = ScratchNs.create()) {
            Monitor m = ns.call(() -> Monitor.open(Topic.LINK));
            CompletableFuture<Long> count = CompletableFuture.supplyAsync(() -> m.stream().count());
            Thread.sleep(300);
            m.close();
            assertThat(count.get(5, TimeUnit.SECONDS)).isZero();
            assertThat(m.poll(Duration.ofMillis(10))).isEmpty();
        }
        assertThatThrownBy(() -> Monitor.open(EnumSet.noneOf(Topic.class), 4096)).hasMessage("monitor: no topic to listen to");
    }
}
