package io.nslab.netlink.route;

import io.nslab.netlink.wire.NlMessage;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static io.nslab.netlink.route.RouteFixtures.*;
import static io.nslab.netlink.route.RtConst.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Address requests against iproute2's bytes, and kernel replies decoded. */
class AddressCodecTest {
    static InetAddress ip(String s) { return IpPrefix.parseAddress(s); }

    @Test
    void addIpv4() {
        assertGoldenChange("addr-add-ipv4", AddressRequests.add(AddressSpec.of(3, IpPrefix.parse("10.0.1.1/24"))));
    }

    @Test
    void addIpv4WithComputedBroadcastAndLabel() {
        var spec = AddressSpec.of(3, IpPrefix.parse("10.0.1.1/24")).withComputedBroadcast().withLabel("veth0:1");
        assertThat(spec.effectiveBroadcast()).contains(ip("10.0.1.255"));
        assertGoldenChange("addr-add-ipv4-brd-label", AddressRequests.add(spec));
    }

    @Test
    void addIpv6() {
        assertGoldenChange("addr-add-ipv6", AddressRequests.add(AddressSpec.of(3, IpPrefix.parse("2001:db8::1/64"))));
    }

    @Test
    void del() {
        assertGoldenChange("addr-del", AddressRequests.del(AddressSpec.of(3, IpPrefix.parse("10.0.1.1/24"))));
    }

    @Test
    void dumpAll() {
        assertGoldenDump("dump-addr", AddressRequests.dump());
    }

    @Test
    void goldenRequestsDecodeBackToTheirSpec() {
        Address a = Address.decode(message("addr-add-ipv4-brd-label"));
        assertThat(a.prefix()).isEqualTo(IpPrefix.parse("10.0.1.1/24"));
        assertThat(a.index()).isEqualTo(3);
        assertThat(a.broadcast()).contains(ip("10.0.1.255"));
        assertThat(a.label()).contains("veth0:1");
        assertThat(a.peer()).isEmpty();
        Address d = Address.decode(message("addr-del"));
        assertThat(d.prefix().toString()).isEqualTo("10.0.1.1/24");
        assertThat(Address.decode(message("addr-add-ipv6")).prefix().toString()).isEqualTo("2001:db8::1/64");
    }

    @Test
    void decodesIpv4Reply() {
        NlMessage m = message("reply-addr-show-1");
        Address a = Address.decode(m);
        assertThat(a.family()).isEqualTo(AddressFamily.INET);
        assertThat(a.prefix()).isEqualTo(IpPrefix.parse("10.0.1.1/24"));
        assertThat(a.index()).isEqualTo(3);
        assertThat(a.scope()).isEqualTo(RT_SCOPE_UNIVERSE);
        assertThat(a.label()).contains("veth0");
        assertThat(a.permanent()).isTrue();
        assertThat(a.flags()).isEqualTo(IFA_F_PERMANENT);
        assertThat(a.validLifetime()).isEmpty();
        assertThat(a.preferredLifetime()).isEmpty();
        assertThat(a.broadcast()).isEmpty();
        assertThat(a.encodeBody()).isEqualTo(m.payload());
    }

    @Test
    void decodesIpv6Reply() {
        NlMessage m = message("reply-addr-show-2");
        Address a = Address.decode(m);
        assertThat(a.family()).isEqualTo(AddressFamily.INET6);
        assertThat(a.prefix().toString()).isEqualTo("2001:db8::1/64");
        assertThat(a.local()).isEmpty();
        assertThat(a.address()).contains(ip("2001:db8::1"));
        assertThat(a.flags()).isEqualTo(IFA_F_PERMANENT | IFA_F_NODAD);
        assertThat(a.tentative()).isFalse();
        assertThat(a.label()).isEmpty();
        assertThat(a.encodeBody()).isEqualTo(m.payload());
    }

    @Test
    void widerFlagsGoInIfaFlagsAndLifetimesInCacheinfo() {
        var spec = AddressSpec.of(2, IpPrefix.parse("2001:db8::5/64")).withFlags(IFA_F_NODAD | IFA_F_NOPREFIXROUTE)
                .withLifetimes(300, 100).withMetric(50);
        Address a = Address.decodeBody(AddressRequests.add(spec).body());
        assertThat(a.flags()).isEqualTo(IFA_F_NODAD | IFA_F_NOPREFIXROUTE);
        assertThat(a.attrs().has(IFA_FLAGS)).isTrue();
        assertThat(a.validLifetime()).hasValue(300);
        assertThat(a.preferredLifetime()).hasValue(100);
        assertThat(a.attrs().u32(IFA_RT_PRIORITY)).hasValue(50);
    }

    @Test
    void loopbackAddressesGetHostScopeAndPeersTravelInIfaAddress() {
        Address lo = Address.decodeBody(AddressRequests.add(AddressSpec.of(1, IpPrefix.parse("127.0.0.2/8"))).body());
        assertThat(lo.scope()).isEqualTo(RT_SCOPE_HOST);
        Address p2p = Address.decodeBody(AddressRequests.add(AddressSpec.of(4, IpPrefix.parse("10.9.0.1/32")).withPeer(ip("10.9.0.2"))).body());
        assertThat(p2p.peer()).contains(ip("10.9.0.2"));
        assertThat(p2p.local()).contains(ip("10.9.0.1"));
    }

    @Test
    void dumpFiltersByFamilyAndDevice() {
        var r = AddressRequests.dump(AddressFamily.INET6, OptionalInt.of(7));
        assertThat(r.body()).containsExactly(10, 0, 0, 0, 7, 0, 0, 0);
    }

    @Test
    void badSpecsFailWithOneLine() {
        var p = IpPrefix.parse("2001:db8::1/64");
        assertThatThrownBy(() -> AddressSpec.of(3, p).withComputedBroadcast())
                .hasMessage("address 2001:db8::1/64: broadcast is only for IPv4");
        assertThatThrownBy(() -> AddressSpec.of(3, IpPrefix.parse("10.0.0.1/8")).withLabel("a-label-that-is-too-long"))
                .hasMessage("address 10.0.0.1/8: label \"a-label-that-is-too-long\" must be 1..15 bytes");
        assertThatThrownBy(() -> AddressRequests.add(AddressSpec.of("veth0", p)))
                .hasMessageContaining("device not resolved");
        assertThatThrownBy(() -> new AddressSpec(OptionalInt.empty(), Optional.empty(), p, Optional.empty(), Optional.empty(), false,
                Optional.empty(), OptionalInt.empty(), 0, OptionalInt.empty(), OptionalLong.empty(), OptionalLong.empty()))
                .hasMessage("address 2001:db8::1/64: no device given");
    }
}
