package io.nslab.netlink.route;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IpPrefixTest {
    @ParameterizedTest
    @CsvSource({
            "10.0.1.1/24, 10.0.1.1/24, 2, 24",
            "10.0.1.1, 10.0.1.1/32, 2, 32",
            "0.0.0.0/0, 0.0.0.0/0, 2, 0",
            "10/8, 10.0.0.0/8, 2, 8",
            "192.168/16, 192.168.0.0/16, 2, 16",
            "2001:db8::1/64, 2001:db8::1/64, 10, 64",
            "2001:DB8:0:0:0:0:0:1/128, 2001:db8::1/128, 10, 128",
            "::/0, ::/0, 10, 0",
            "fe80::1, fe80::1/128, 10, 128",
            "' 10.0.1.1/24 ', 10.0.1.1/24, 2, 24",
    })
    void parsesLiterals(String text, String shown, int family, int length) {
        IpPrefix p = IpPrefix.parse(text);
        assertThat(p.toString()).isEqualTo(shown);
        assertThat(p.family()).isEqualTo(family);
        assertThat(p.length()).isEqualTo(length);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "10.0.1.300/24|invalid prefix \"10.0.1.300/24\": 300 in \"10.0.1.300\" is not in 0..255",
            "10.0.1.1/33|invalid prefix \"10.0.1.1/33\": prefix length 33 is larger than 32 for IPv4",
            "2001:db8::1/129|invalid prefix \"2001:db8::1/129\": prefix length 129 is larger than 128 for IPv6",
            "10.0.1.1/|invalid prefix \"10.0.1.1/\": prefix length \"\" is not a number",
            "10.0.1.1/x|invalid prefix \"10.0.1.1/x\": prefix length \"x\" is not a number",
            "10.0.1.1/-1|invalid prefix \"10.0.1.1/-1\": prefix length \"-1\" is not a number",
            "example.com/24|invalid prefix \"example.com/24\": \"example.com\" is not an IPv4 address",
            "10.0.0.0.1/8|invalid prefix \"10.0.0.0.1/8\": \"10.0.0.0.1\" has more than 4 parts",
            "2001:db8:::1/64|invalid prefix \"2001:db8:::1/64\": \"2001:db8:::1\" is not an IPv6 address",
            "fe80::1%eth0/64|invalid prefix \"fe80::1%eth0/64\": scoped IPv6 addresses (%zone) are not accepted",
            "/24|invalid prefix \"/24\": no address",
    })
    void rejectsBadCidrWithOneClearLine(String text, String message) {
        assertThatThrownBy(() -> IpPrefix.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
        assertThat(message).doesNotContain("\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "", "   ", "1.2.3.4.5"})
    void neverResolvesNames(String text) {
        assertThatThrownBy(() -> IpPrefix.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("invalid prefix");
    }

    @Test
    void networkBroadcastAndContains() throws Exception {
        IpPrefix p = IpPrefix.parse("10.0.1.77/24");
        assertThat(p.network()).isEqualTo(IpPrefix.parse("10.0.1.0/24"));
        assertThat(p.broadcast()).isEqualTo(InetAddress.getByName("10.0.1.255"));
        assertThat(IpPrefix.parse("10.200.0.1/16").broadcast()).isEqualTo(InetAddress.getByName("10.200.255.255"));
        assertThat(IpPrefix.parse("10.0.0.1/31").broadcast()).isEqualTo(InetAddress.getByName("10.0.0.1"));
        assertThat(p.contains(InetAddress.getByName("10.0.1.200"))).isTrue();
        assertThat(p.contains(InetAddress.getByName("10.0.2.1"))).isFalse();
        assertThat(IpPrefix.parse("2001:db8::1/64").network().toString()).isEqualTo("2001:db8::/64");
        assertThat(IpPrefix.parse("2001:db8::1/61").network().toString()).isEqualTo("2001:db8::/61");
        assertThat(IpPrefix.parse("0.0.0.0/0").contains(InetAddress.getByName("8.8.8.8"))).isTrue();
        assertThatThrownBy(() -> IpPrefix.parse("2001:db8::1/64").broadcast()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void textFollowsRfc5952() throws Exception {
        assertThat(IpPrefix.text(InetAddress.getByName("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(IpPrefix.text(InetAddress.getByName("2001:0:0:1:0:0:0:1"))).isEqualTo("2001:0:0:1::1");
        assertThat(IpPrefix.text(InetAddress.getByName("2001:db8:1:1:1:1:0:1"))).isEqualTo("2001:db8:1:1:1:1:0:1");
        assertThat(IpPrefix.text(InetAddress.getByName("::1"))).isEqualTo("::1");
        assertThat(IpPrefix.text(InetAddress.getByName("fe80::"))).isEqualTo("fe80::");
    }

    @Test
    void ipv4MappedIpv6StaysIpv6() {
        IpPrefix p = IpPrefix.parse("::ffff:1.2.3.4/96");
        assertThat(p.family()).isEqualTo(AddressFamily.INET6);
        assertThat(p.length()).isEqualTo(96);
        assertThat(p.network().toString()).isEqualTo("::ffff:0:0/96");
        Route r = Route.decodeBody(RouteRequests.add(RouteSpec.to(IpPrefix.parse("::ffff:0:0/96")).dev(2)).body());
        assertThat(r.family()).isEqualTo(AddressFamily.INET6);
        assertThat(r.destination().toString()).isEqualTo("::ffff:0:0/96");
    }

    @Test
    void containmentAndSpecialAddresses() {
        IpPrefix net = IpPrefix.parse("10.0.0.0/8");
        assertThat(net.contains(IpPrefix.parse("10.1.0.0/16"))).isTrue();
        assertThat(IpPrefix.parse("10.1.0.0/16").contains(net)).isFalse();
        assertThat(net.overlaps(IpPrefix.parse("10.1.0.0/16"))).isTrue();
        assertThat(IpPrefix.parse("10.1.0.0/16").overlaps(net)).isTrue();
        assertThat(IpPrefix.parse("10.0.1.0/24").overlaps(IpPrefix.parse("10.0.2.0/24"))).isFalse();
        assertThat(net.overlaps(IpPrefix.parse("fd00::/8"))).isFalse();
        assertThat(IpPrefix.parse("10.0.1.0/24").isNetworkAddress()).isTrue();
        assertThat(IpPrefix.parse("10.0.1.0/31").isNetworkAddress()).isFalse();
        assertThat(IpPrefix.parse("10.0.1.255/24").isBroadcastAddress()).isTrue();
        assertThat(IpPrefix.parse("10.0.1.1/31").isBroadcastAddress()).isFalse();
        assertThat(IpPrefix.parse("fd00::ffff/112").isBroadcastAddress()).isFalse();
        assertThat(IpPrefix.any(false)).hasToString("0.0.0.0/0").matches(IpPrefix::isDefault);
        assertThat(IpPrefix.any(true)).hasToString("::/0").matches(IpPrefix::isIpv6);
    }

    @Test
    void addressesAsNumbers() {
        assertThat(IpPrefix.number(IpPrefix.parseAddress("10.0.1.2"))).isEqualTo(BigInteger.valueOf(0x0A000102L));
        assertThat(IpPrefix.fromNumber(BigInteger.valueOf(0x0A000102L), true)).isEqualTo(IpPrefix.parseAddress("10.0.1.2"));
        assertThat(IpPrefix.fromNumber(IpPrefix.number(IpPrefix.parseAddress("fd00::1")).add(BigInteger.ONE), false))
                .isEqualTo(IpPrefix.parseAddress("fd00::2"));
        assertThat(IpPrefix.fromNumber(IpPrefix.parse("10.0.0.0/24").lastNumber(), true)).isEqualTo(IpPrefix.parseAddress("10.0.0.255"));
        assertThat(IpPrefix.fromNumber(IpPrefix.parse("fd00::/120").lastNumber(), false)).isEqualTo(IpPrefix.parseAddress("fd00::ff"));
    }
}
