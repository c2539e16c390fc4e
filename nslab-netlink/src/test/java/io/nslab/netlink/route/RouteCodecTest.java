package io.nslab.netlink.route;

import io.nslab.netlink.wire.DecodeException;
import io.nslab.netlink.wire.NlMessage;
import io.nslab.netlink.wire.NlWriter;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.OptionalInt;

import static io.nslab.netlink.route.RouteFixtures.*;
import static io.nslab.netlink.route.RtConst.*;
import static io.nslab.netlink.wire.Netlink.NLM_F_REQUEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Route requests against iproute2's bytes, and kernel replies decoded. */
class RouteCodecTest {
    static InetAddress ip(String s) { return IpPrefix.parseAddress(s); }

    @Test
    void addDefaultVia() {
        assertGoldenChange("route-add-default-via", RouteRequests.add(RouteSpec.defaultRoute().via("192.168.50.3")));
    }

    @Test
    void addDeviceRouteGetsScopeLink() {
        assertGoldenChange("route-add-dev", RouteRequests.add(RouteSpec.to("10.0.2.0/24").dev(3)));
    }

    @Test
    void addFull() {
        var spec = RouteSpec.to("10.0.2.0/24").via("10.0.1.2").dev(3).metric(100).src(ip("10.0.1.1")).table(100)
                .proto(RTPROT_STATIC).scope(RT_SCOPE_LINK);
        assertGoldenChange("route-add-full", RouteRequests.add(spec));
    }

    @Test
    void addViaMetricTable() {
        var spec = RouteSpec.to("10.0.2.0/24").via("10.0.1.2").metric(100).src(ip("10.0.1.1")).table(100).proto(RTPROT_STATIC);
        assertGoldenChange("route-add-via-metric-table", RouteRequests.add(spec));
    }

    @Test
    void addIpv6Default() {
        assertGoldenChange("route-add-ipv6-default", RouteRequests.add(RouteSpec.defaultRoute().via("2001:db8::2")));
    }

    @Test
    void addIpv6() {
        assertGoldenChange("route-add-ipv6", RouteRequests.add(RouteSpec.to("2001:db8:1::/64").via("2001:db8::2").dev(3)));
    }

    @Test
    void del() {
        assertGoldenChange("route-del", RouteRequests.del(RouteSpec.to("10.0.2.0/24")));
    }

    @Test
    void replace() {
        assertGoldenChange("route-replace", RouteRequests.replace(RouteSpec.to("10.0.2.0/24").via("10.0.1.2").dev(3)));
    }

    @Test
    void get() {
        // iproute2 sends its route get without NLM_F_ACK; NlSocket.query adds it (the ACK ends the exchange)
        assertGolden("route-get", RouteRequests.get(RouteLookup.to(ip("10.0.2.1"))), NLM_F_REQUEST);
    }

    @Test
    void dumpMainTable() {
        assertGoldenDump("dump-route", RouteRequests.dump(AddressFamily.INET));
        // ip route show cache: the same dump with RTM_F_CLONED in rtm_flags
        assertGoldenDump("dump-route-cache", RouteRequests.dump(AddressFamily.INET, OptionalInt.of(RT_TABLE_MAIN), true));
    }

    @Test
    void localAndBroadcastRoutesGoToTableLocalAsIpPutsThem() {
        assertGoldenChange("route-add-local", RouteRequests.add(RouteSpec.to("10.0.5.1/32").dev(3).type(RTN_LOCAL)));
        assertGoldenChange("route-add-broadcast", RouteRequests.add(RouteSpec.to("10.0.5.255/32").dev(3).type(RTN_BROADCAST)));
        assertGoldenChange("route-del-local", RouteRequests.del(RouteSpec.to("10.0.5.1/32").dev(3).type(RTN_LOCAL)));
        Route l = Route.decode(message("route-add-local"));
        assertThat(l.table()).isEqualTo(RT_TABLE_LOCAL);
        assertThat(l.type()).isEqualTo(RTN_LOCAL);
        assertThat(l.scope()).isEqualTo(RT_SCOPE_HOST);
        assertThat(l.destination()).isEqualTo(IpPrefix.parse("10.0.5.1/32"));
        assertThat(l.oif()).hasValue(3);
        Route b = Route.decode(message("route-add-broadcast"));
        assertThat(b.table()).isEqualTo(RT_TABLE_LOCAL);
        assertThat(b.scope()).isEqualTo(RT_SCOPE_LINK);
        assertThat(Route.decode(message("route-del-local")).table()).isEqualTo(RT_TABLE_LOCAL);
    }

    @Test
    void goldenRequestsDecode() {
        Route r = Route.decode(message("route-add-via-metric-table"));
        assertThat(r.destination()).isEqualTo(IpPrefix.parse("10.0.2.0/24"));
        assertThat(r.gateway()).contains(ip("10.0.1.2"));
        assertThat(r.metric()).hasValue(100);
        assertThat(r.prefsrc()).contains(ip("10.0.1.1"));
        assertThat(r.table()).isEqualTo(100);
        assertThat(r.protocol()).isEqualTo(RTPROT_STATIC);
        assertThat(r.scope()).isEqualTo(RT_SCOPE_UNIVERSE);
        assertThat(r.type()).isEqualTo(RTN_UNICAST);
        Route d = Route.decode(message("route-add-ipv6-default"));
        assertThat(d.isDefault()).isTrue();
        assertThat(d.destination().toString()).isEqualTo("::/0");
        Route v4d = Route.decode(message("route-add-default-via"));
        assertThat(v4d.destination().toString()).isEqualTo("0.0.0.0/0");
        assertThat(v4d.dst()).isEmpty();
    }

    @Test
    void decodesRouteGetReply() {
        NlMessage m = message("reply-route-get");
        Route r = Route.decode(m);
        assertThat(r.destination()).isEqualTo(IpPrefix.parse("10.0.2.1/32"));
        assertThat(r.gateway()).contains(ip("10.0.1.2"));
        assertThat(r.oif()).hasValue(3);
        assertThat(r.prefsrc()).contains(ip("10.0.1.1"));
        assertThat(r.table()).isEqualTo(RT_TABLE_MAIN);
        assertThat(r.flags() & RTM_F_CLONED).isNotZero();
        assertThat(r.attrs().has(RTA_UID)).isTrue();
        assertThat(r.attrs().has(RTA_CACHEINFO)).isTrue();
        assertThat(r.encodeBody()).isEqualTo(m.payload());
    }

    @Test
    void decodesRouteDump() {
        Route def = Route.decode(message("reply-route-show-1"));
        assertThat(def.isDefault()).isTrue();
        assertThat(def.gateway()).contains(ip("10.0.1.254"));
        assertThat(def.oif()).hasValue(3);
        assertThat(def.protocol()).isEqualTo(RTPROT_BOOT);
        assertThat(def.scope()).isEqualTo(RT_SCOPE_UNIVERSE);
        assertThat(def.table()).isEqualTo(RT_TABLE_MAIN);

        Route kernel = Route.decode(message("reply-route-show-2"));
        assertThat(kernel.destination()).isEqualTo(IpPrefix.parse("10.0.1.0/24"));
        assertThat(kernel.protocol()).isEqualTo(RTPROT_KERNEL);
        assertThat(kernel.scope()).isEqualTo(RT_SCOPE_LINK);
        assertThat(kernel.prefsrc()).contains(ip("10.0.1.1"));
        assertThat(kernel.gateway()).isEmpty();

        Route via = Route.decode(message("reply-route-show-3"));
        assertThat(via.destination()).isEqualTo(IpPrefix.parse("10.0.2.0/24"));
        assertThat(via.gateway()).contains(ip("10.0.1.2"));
        assertThat(via.multipath()).isEmpty();
        for (int i = 1; i <= 3; i++) {
            NlMessage m = message("reply-route-show-" + i);
            assertThat(Route.decode(m).encodeBody()).isEqualTo(m.payload());
        }
    }

    @Test
    void tablesAbove255TravelInRtaTable() {
        Route r = Route.decodeBody(RouteRequests.add(RouteSpec.to("10.5.0.0/16").dev(2).table(1000)).body());
        assertThat(r.table()).isEqualTo(1000);
        assertThat(r.attrs().u32(RTA_TABLE)).hasValue(1000);
        assertThat(RouteRequests.dump(AddressFamily.INET6, OptionalInt.empty()).body()).hasSize(Route.HEADER_LEN);
    }

    @Test
    void typesAndScopesDefaultLikeIproute2() {
        assertThat(Route.decodeBody(RouteRequests.add(RouteSpec.to("10.9.0.0/16").type(RTN_BLACKHOLE)).body()).scope())
                .isEqualTo(RT_SCOPE_UNIVERSE);
        assertThat(Route.decodeBody(RouteRequests.add(RouteSpec.to("10.9.0.1/32").type(RTN_LOCAL).dev(1)).body()).scope())
                .isEqualTo(RT_SCOPE_HOST);
        Route del6 = Route.decodeBody(RouteRequests.del(RouteSpec.to("2001:db8::/64")).body());
        assertThat(del6.scope()).isEqualTo(RT_SCOPE_UNIVERSE);
        assertThat(del6.protocol()).isEqualTo(RTPROT_UNSPEC);
    }

    @Test
    void decodesMultipath() {
        // rtmsg + RTA_MULTIPATH{ rtnexthop(ifindex 2, hops 0){RTA_GATEWAY 10.0.0.1}, rtnexthop(ifindex 3, hops 1){RTA_GATEWAY 10.0.1.1} }
        var w = new NlWriter(128);
        w.u8(2).u8(0).u8(0).u8(0).u8(254).u8(3).u8(0).u8(1).u32(0);
        int mp = w.beginNest(RTA_MULTIPATH);
        for (int[] h : new int[][] {{2, 0, 0}, {3, 1, 1}}) {
            w.u16(16).u8(0).u8(h[1]).u32(h[0]);
            w.attrIp(RTA_GATEWAY, ip("10.0." + h[2] + ".1"));
        }
        w.endNest(mp);
        Route r = Route.decodeBody(w.toByteArray());
        assertThat(r.multipath()).hasSize(2);
        assertThat(r.multipath().get(0).index()).isEqualTo(2);
        assertThat(r.multipath().get(0).weight()).isEqualTo(1);
        assertThat(r.multipath().get(1).gateway()).contains(ip("10.0.1.1"));
        assertThat(r.multipath().get(1).weight()).isEqualTo(2);
        assertThat(r.toString()).contains("nexthop via 10.0.1.1 dev #3 weight 2");
    }

    @Test
    void mixedFamiliesAreRefused() {
        assertThatThrownBy(() -> RouteSpec.to("10.0.0.0/8").via("2001:db8::1"))
                .hasMessage("route 10.0.0.0/8: 2001:db8::1 is IPv6 but the route is IPv4");
    }

    @Test
    void mtuTravelsInRtaMetrics() {
        Route r = Route.decodeBody(RouteRequests.add(RouteSpec.to("10.0.2.0/24").dev(3).mtu(1400)).body());
        assertThat(r.mtu()).hasValue(1400);
        assertThat(r.toString()).contains("mtu 1400");
        assertThat(Route.decode(message("reply-route-show-3")).mtu()).isEmpty();
    }

    @Test
    void malformedMessagesFailAsDecodeErrorsWithAnOffset() {
        assertThatThrownBy(() -> Route.decodeBody(new byte[5]))
                .isInstanceOf(DecodeException.class)
                .hasMessage("route message shorter than rtmsg (5 bytes) at offset 16");
        byte[] bad = new byte[Route.HEADER_LEN + 8];
        bad[Route.HEADER_LEN] = 40;   // an attribute claiming 40 bytes in an 8-byte tail
        assertThatThrownBy(() -> Route.decodeBody(bad)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("overruns its container");
        assertThatThrownBy(() -> Address.decode(message("reply-route-show-1")))
                .hasMessageContaining("is not an address message");
    }

    @Test
    void multipathRoundTrips() {
        var spec = RouteSpec.to("10.7.0.0/16").nexthops(List.of(
                RouteNextHop.via(ip("10.0.1.2"), 3, 1), RouteNextHop.via(ip("10.0.2.2"), 4, 3)));
        Route r = Route.decodeBody(RouteRequests.add(spec).body());
        assertThat(r.scope()).isEqualTo(RT_SCOPE_UNIVERSE);
        assertThat(r.multipath()).extracting(RouteNextHop::index).containsExactly(3, 4);
        assertThat(r.multipath()).extracting(RouteNextHop::weight).containsExactly(1, 3);
        assertThat(r.multipath().get(1).gateway()).contains(ip("10.0.2.2"));
        assertThat(spec.describe()).isEqualTo("10.7.0.0/16 nexthop via 10.0.1.2 dev #3 nexthop via 10.0.2.2 dev #4 weight 3");
        assertThatThrownBy(() -> spec.dev(3)).hasMessage("route 10.7.0.0/16: give either via/dev or nexthops, not both");
        assertThatThrownBy(() -> RouteNextHop.via(ip("10.0.1.2"), 3, 0)).hasMessage("nexthop weight 0 is not in 1..256");
    }
}
