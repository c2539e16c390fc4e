package io.nslab.netlink;

import com.fasterxml.jackson.databind.JsonNode;
import io.nslab.netlink.route.AddressFamily;
import io.nslab.netlink.route.AddressSpec;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.Route;
import io.nslab.netlink.route.RouteLookup;
import io.nslab.netlink.route.RouteNextHop;
import io.nslab.netlink.route.RouteSpec;
import io.nslab.testing.KernelTest;
import io.nslab.netlink.testing.Observer;
import io.nslab.netlink.testing.ScratchNs;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.OptionalInt;

import static io.nslab.netlink.route.RtConst.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Routes on the real kernel, in a throwaway namespace, cross-checked with {@code ip -j route}. */
@KernelTest
class RoutesKernelTest {
    static InetAddress ip(String s) { return IpPrefix.parseAddress(s); }

    /** veth0 (10.0.1.1/24, 2001:db8::1/64) <-> veth1, both up; returns veth0's index. */
    static int setUp(Rtnl r) throws ErrnoException {
        int idx = RoutingNet.vethUp(r.socket(), "veth0", "veth1");
        Addresses a = r.addresses();
        a.add(idx, IpPrefix.parse("10.0.1.1/24"));
        a.add(AddressSpec.of(idx, IpPrefix.parse("2001:db8::1/64")).withFlags(IFA_F_NODAD));
        return idx;
    }

    static JsonNode only(JsonNode routes, String dst) {
        for (JsonNode r : routes) if (r.get("dst").asText().equals(dst)) return r;
        throw new AssertionError("no route to " + dst + " in " + routes);
    }

    @Test
    void aFreshNamespaceHasNoRoutesAndSaysSoLikeIp() throws Exception {
        try (ScratchNs ns = ScratchNs.create()) {
            ns.run(() -> {
                try (Rtnl r = Rtnl.open()) {
                    assertThat(r.routes().dump(AddressFamily.INET)).isEmpty();
                }
            });
            assertThat(Observer.ipJson(ns.path(), "route", "show")).isEmpty();
        }
    }

    @Test
    void addViaWithMetricProtoAndSrcThenGetAndDel() throws Exception {
        try (ScratchNs ns = ScratchNs.create()) {
            ns.run(() -> {
                try (Rtnl r = Rtnl.open()) {
                    int idx = setUp(r);
                    Routes routes = r.routes();
                    routes.add(RouteSpec.to("10.0.2.0/24").via("10.0.1.2").metric(100).src(ip("10.0.1.1")).proto(RTPROT_STATIC));
                    routes.add(RouteSpec.defaultRoute().via("10.0.1.254").dev("veth0"));

                    Route got = routes.get(ip("10.0.2.1"));
                    assertThat(got.gateway()).contains(ip("10.0.1.2"));
                    assertThat(got.oif()).hasValue(idx);
                    assertThat(got.prefsrc()).contains(ip("10.0.1.1"));
                    assertThat(got.table()).isEqualTo(RT_TABLE_MAIN);
                    Route dflt = routes.get(ip("198.51.100.7"));
                    assertThat(dflt.gateway()).contains(ip("10.0.1.254"));
                    Route onLink = routes.get(RouteLookup.to(ip("10.0.1.9")).oif(idx));
                    assertThat(onLink.gateway()).isEmpty();
                    assertThat(onLink.oif()).hasValue(idx);

                    List<Route> main = routes.dump(AddressFamily.INET);
                    Route via = main.stream().filter(x -> x.destination().toString().equals("10.0.2.0/24")).findFirst().orElseThrow();
                    assertThat(via.metric()).hasValue(100);
                    assertThat(via.protocol()).isEqualTo(RTPROT_STATIC);
                    assertThat(via.prefsrc()).contains(ip("10.0.1.1"));
                    assertThat(main).anySatisfy(x -> {
                        assertThat(x.isDefault()).isTrue();
                        assertThat(x.protocol()).isEqualTo(RTPROT_BOOT);
                    });
                    assertThat(main).anySatisfy(x -> {
                        assertThat(x.destination().toString()).isEqualTo("10.0.1.0/24");
                        assertThat(x.protocol()).isEqualTo(RTPROT_KERNEL);
                        assertThat(x.scope()).isEqualTo(RT_SCOPE_LINK);
                    });
                }
            });
            JsonNode js = Observer.ipJson(ns.path(), "route", "show");
            JsonNode via = only(js, "10.0.2.0/24");
            assertThat(via.get("gateway").asText()).isEqualTo("10.0.1.2");
            assertThat(via.get("dev").asText()).isEqualTo("veth0");
            assertThat(via.get("protocol").asText()).isEqualTo("static");
            assertThat(via.get("metric").asInt()).isEqualTo(100);
            assertThat(via.get("prefsrc").asText()).isEqualTo("10.0.1.1");
            assertThat(only(js, "default").get("gateway").asText()).isEqualTo("10.0.1.254");
            JsonNode get = Observer.ipJson(ns.path(), "route", "get", "10.0.2.1");
            assertThat(get.get(0).get("gateway").asText()).isEqualTo("10.0.1.2");

            ns.run(() -> {
                try (Rtnl r = Rtnl.open()) {
                    Routes routes = r.routes();
                    routes.del(RouteSpec.to("10.0.2.0/24"));
                    routes.del(RouteSpec.defaultRoute());
                    assertThat(routes.dump(AddressFamily.INET)).noneMatch(x -> x.gateway().isPresent());
                    assertThatThrownBy(() -> routes.del(RouteSpec.to("10.0.2.0/24")))
                            .isInstanceOf(ErrnoException.class)
                            .hasMessage("route del 10.0.2.0/24 failed: ESRCH (No such process)");
                }
            });
            assertThat(Observer.ipJson(ns.path(), "route", "show")).noneMatch(x -> x.has("gateway"));
        }
    }

    @Test
    void deviceRouteHasScopeLinkAndReplaceSwapsIt() throws Exception {
        try (ScratchNs ns = ScratchNs.create()) {
            ns.run(() -> {
                try (Rtnl r = Rtnl.open()) {
                    int idx = setUp(r);
                    Routes routes = r.routes();
                    routes.add(RouteSpec.to("10.0.2.0/24").dev(idx));
                    Route dev = routes.dump(AddressFamily.INET).stream().filter(x -> x.destination().toString().equals("10.0.2.0/24")).findFirst().orElseThrow();
                    assertThat(dev.scope()).isEqualTo(RT_SCOPE_LINK);
                    assertThat(dev.gateway()).isEmpty();
                    assertThatThrownBy(() -> routes.add(RouteSpec.to("10.0.2.0/24").dev(idx)))
                            .hasMessageStartingWith("route add 10.0.2.0/24 dev #" + idx + " failed: EEXIST (File exists)");
                    routes.replace(RouteSpec.to("10.0.2.0/24").via("10.0.1.2").dev("veth0"));
                    assertThat(routes.dump(AddressFamily.INET).stream().filter(x -> x.destination().toString().equals("10.0.2.0/24")))
                            .singleElement().satisfies(x -> {
                                assertThat(x.gateway()).contains(ip("10.0.1.2"));
                                assertThat(x.scope()).isEqualTo(RT_SCOPE_UNIVERSE);
                            });
                }
            });
            JsonNode via = only(Observer.ipJson(ns.path(), "route", "show"), "10.0.2.0/24");
            assertThat(via.get("gateway").asText()).isEqualTo("10.0.1.2");
            assertThat(via.get("scope").asText()).isEqualTo("global");
        }
    }

    @Test
    void tablesAbove255AndRouteTypes() throws Exception {
        try (ScratchNs ns = ScratchNs.create()) {
            ns.run(() -> {
                try (Rtnl r = Rtnl.open()) {
                    int idx = setUp(r);
                    Routes routes = r.routes();
                    routes.add(RouteSpec.to("10.5.0.0/16").via("10.0.1.3").table(1000));
                    routes.add(RouteSpec.to("10.6.0.0/16").dev(idx).table(100).scope(RT_SCOPE_LINK));
                    routes.add(RouteSpec.to("10.66.0.0/16").type(RTN_BLACKHOLE));
                    assertThat(routes.dump(AddressFamily.INET, OptionalInt.of(1000))).singleElement().satisfies(x -> {
                        assertThat(x.table()).isEqualTo(1000);
                        assertThat(x.destination().toString()).isEqualTo("10.5.0.0/16");
                    });
                    assertThat(routes.dump(AddressFamily.INET, OptionalInt.of(100))).singleElement()
                            .satisfies(x -> assertThat(x.oif()).hasValue(idx));
                    assertThat(routes.dump(AddressFamily.INET, OptionalInt.empty()))
                            .anySatisfy(x -> assertThat(x.table()).isEqualTo(RT_TABLE_LOCAL))
                            .anySatisfy(x -> assertThat(x.table()).isEqualTo(1000));
                    assertThat(routes.dump(AddressFamily.INET)).anySatisfy(x -> assertThat(x.type()).isEqualTo(RTN_BLACKHOLE));
                    // like `ip route get` into a blackhole: the kernel answers EINVAL
                    assertThatThrownBy(() -> routes.get(RouteLookup.to(ip("10.66.1.1"))))
                            .hasMessageStartingWith("route get 10.66.1.1 failed: EINVAL");
                    routes.del(RouteSpec.to("10.5.0.0/16").table(1000));
                    assertThat(routes.dump(AddressFamily.INET, OptionalInt.of(1000))).isEmpty();
                }
            });
            JsonNode t100 = Observer.ipJson(ns.path(), "route", "show", "table", "100");
            assertThat(only(t100, "10.6.0.0/16").get("dev").asText()).isEqualTo("veth0");
            assertThat(only(Observer.ipJson(ns.path(), "route", "show"), "10.66.0.0/16").get("type").asText()).isEqualTo("blackhole");
        }
    }

    @Test
    void ipv6RoutesAndDefault() throws Exception {
        try (ScratchNs ns = ScratchNs.create()) {
            ns.run(() -> {
                try (Rtnl r = Rtnl.open()) {
                    int idx = setUp(r);
                    Routes routes = r.routes();
                    routes.add(RouteSpec.to("2001:db8:1::/64").via("2001:db8::2").dev(idx));
                    routes.add(RouteSpec.defaultRoute().via("2001:db8::fe").dev(idx));
                    List<Route> v6 = routes.dump(AddressFamily.INET6);
                    assertThat(v6).anySatisfy(x -> {
                        assertThat(x.destination().toString()).isEqualTo("2001:db8:1::/64");
                        assertThat(x.gateway()).contains(ip("2001:db8::2"));
                    });
                    assertThat(v6).anySatisfy(x -> assertThat(x.isDefault()).isTrue());
                    assertThat(routes.get(ip("2001:db8:1::9")).gateway()).contains(ip("2001:db8::2"));
                    assertThat(routes.get(ip("2001:db8:77::1")).gateway()).contains(ip("2001:db8::fe"));
                }
            });
            JsonNode js = Observer.ipJson(ns.path(), "-6", "route", "show");
            assertThat(only(js, "2001:db8:1::/64").get("gateway").asText()).isEqualTo("2001:db8::2");
            assertThat(only(js, "default").get("gateway").asText()).isEqualTo("2001:db8::fe");
        }
    }

    @Test
    void errorsAreOneLine() throws Exception {
        try (ScratchNs ns = ScratchNs.create()) {
            ns.run(() -> {
                try (Rtnl r = Rtnl.open()) {
                    Routes routes = r.routes();
                    assertThatThrownBy(() -> routes.get(ip("10.9.9.9")))
                            .hasMessage("route get 10.9.9.9 failed: ENETUNREACH (Network is unreachable)");
                    assertThatThrownBy(() -> routes.add(RouteSpec.to("10.0.2.0/24").dev("nosuch")))
                            .hasMessage("route add 10.0.2.0/24 dev nosuch failed: ENODEV (No such device): Cannot find device \"nosuch\"");
                    int idx = setUp(r);
                    assertThatThrownBy(() -> routes.add(RouteSpec.to("10.0.2.1/24").dev(idx)))
                            .hasMessageStartingWith("route add 10.0.2.1/24 dev #" + idx + " failed: EINVAL (Invalid argument)")
                            .hasMessageNotContaining("\n");
                    assertThatThrownBy(() -> routes.add(RouteSpec.to("10.0.3.0/24").via("10.77.0.1")))
                            .hasMessageStartingWith("route add 10.0.3.0/24 via 10.77.0.1 failed: ENETUNREACH");
                }
            });
        }
    }

    /** Scenario S3's shape: an address with zero host bits, a device route, and {@code route get} of a network address. */
    @Test
    void s3DeviceRouteAndGetOfANetworkAddress() throws Exception {
        try (ScratchNs ns = ScratchNs.create()) {
            ns.run(() -> {
                try (Rtnl r = Rtnl.open()) {
                    int idx = RoutingNet.vethUp(r.socket(), "veth0", "veth1");
                    r.addresses().add("veth0", IpPrefix.parse("10.0.1.0/24"));
                    Routes routes = r.routes();
                    routes.add(RouteSpec.to("10.0.2.0/24").dev("veth0").mtu(1400));
                    Route got = routes.get(ip("10.0.2.0"));
                    assertThat(got.oif()).hasValue(idx);
                    assertThat(got.gateway()).isEmpty();
                    assertThat(got.prefsrc()).contains(ip("10.0.1.0"));
                    assertThat(got.destination()).isEqualTo(IpPrefix.parse("10.0.2.0/32"));
                    Route dev = routes.dump(AddressFamily.INET).stream().filter(x -> x.destination().toString().equals("10.0.2.0/24")).findFirst().orElseThrow();
                    assertThat(dev.mtu()).hasValue(1400);
                    assertThat(dev.scope()).isEqualTo(RT_SCOPE_LINK);
                }
            });
            JsonNode get = Observer.ipJson(ns.path(), "route", "get", "10.0.2.0").get(0);
            assertThat(get.get("dev").asText()).isEqualTo("veth0");
            assertThat(get.get("prefsrc").asText()).isEqualTo("10.0.1.0");
            JsonNode dev = only(Observer.ipJson(ns.path(), "route", "show"), "10.0.2.0/24");
            assertThat(dev.get("metrics").get(0).get("mtu").asInt()).isEqualTo(1400);
        }
    }

    @Test
    void flushDeletesSelectedRoutesPipelined() throws Exception {
        try (ScratchNs ns = ScratchNs.create()) {
            ns.run(() -> {
                try (Rtnl r = Rtnl.open()) {
                    int idx = setUp(r);
                    Routes routes = r.routes();
                    for (int i = 0; i < 20; i++) routes.add(RouteSpec.to("10.100." + i + ".0/24").via("10.0.1.2").proto(RTPROT_STATIC));
                    routes.add(RouteSpec.to("10.200.0.0/16").dev(idx).table(50));
                    assertThat(routes.flush(AddressFamily.INET, OptionalInt.of(RT_TABLE_MAIN), x -> x.protocol() == RTPROT_STATIC)).isEqualTo(20);
                    assertThat(routes.dump(AddressFamily.INET)).noneMatch(x -> x.protocol() == RTPROT_STATIC)
                            .anySatisfy(x -> assertThat(x.protocol()).isEqualTo(RTPROT_KERNEL));
                    assertThat(routes.dump(AddressFamily.INET, OptionalInt.of(50))).hasSize(1);
                    assertThat(routes.flush(AddressFamily.INET, OptionalInt.of(50), x -> true)).isEqualTo(1);
                }
            });
            assertThat(Observer.ipJson(ns.path(), "route", "show", "table", "50")).isEmpty();
        }
    }

    @Test
    void multipathRoute() throws Exception {
        try (ScratchNs ns = ScratchNs.create()) {
            ns.run(() -> {
                try (Rtnl r = Rtnl.open()) {
                    int a = setUp(r);
                    int b = RoutingNet.vethUp(r.socket(), "veth2", "veth3");
                    r.addresses().add(b, IpPrefix.parse("10.0.3.1/24"));
                    r.routes().add(RouteSpec.to("10.7.0.0/16").nexthops(List.of(
                            RouteNextHop.via(ip("10.0.1.2"), a, 1),
                            RouteNextHop.via(ip("10.0.3.2"), b, 2))));
                    Route mp = r.routes().dump(AddressFamily.INET).stream()
                            .filter(x -> x.destination().toString().equals("10.7.0.0/16")).findFirst().orElseThrow();
                    assertThat(mp.multipath()).hasSize(2);
                    assertThat(mp.multipath().get(1).weight()).isEqualTo(2);
                    assertThat(mp.multipath().get(1).index()).isEqualTo(b);
                }
            });
            JsonNode mp = only(Observer.ipJson(ns.path(), "route", "show"), "10.7.0.0/16");
            assertThat(mp.get("nexthops")).hasSize(2);
            assertThat(mp.get("nexthops").get(0).get("gateway").asText()).isEqualTo("10.0.1.2");
            assertThat(mp.get("nexthops").get(1).get("dev").asText()).isEqualTo("veth2");
            assertThat(mp.get("nexthops").get(1).get("weight").asInt()).isEqualTo(2);
        }
    }
}
