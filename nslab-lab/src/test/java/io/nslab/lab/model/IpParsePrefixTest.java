package io.nslab.lab.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nslab.netlink.route.IpPrefix;
import org.junit.jupiter.api.Test;

/** Lab-file addresses and subnets: {@link Ip#parsePrefix} and what the lab uses of {@link IpPrefix}. */
class IpParsePrefixTest {
    @Test
    void parsesAndMasks() {
        IpPrefix c = Ip.parsePrefix("172.17.10.10/16");
        assertThat(c.length()).isEqualTo(16);
        assertThat(c.network().toString()).isEqualTo("172.17.0.0/16");
        assertThat(c.contains(Ip.parse("172.17.0.1"))).isTrue();
        assertThat(c.contains(Ip.parse("172.18.0.1"))).isFalse();
        assertThat(Ip.parsePrefix("10.0.0.0/8").overlaps(Ip.parsePrefix("10.1.0.0/16"))).isTrue();
        assertThat(Ip.parsePrefix("10.0.1.0/24").overlaps(Ip.parsePrefix("10.0.2.0/24"))).isFalse();
        assertThat(Ip.parsePrefix("10.0.1.0/24").isNetworkAddress()).isTrue();
        assertThat(Ip.parsePrefix("10.0.1.255/24").isBroadcastAddress()).isTrue();
    }

    @Test
    void ipv6() {
        IpPrefix c = Ip.parsePrefix("fd00:0:0:1::10/64");
        assertThat(c.toString()).isEqualTo("fd00:0:0:1::10/64");
        assertThat(c.network().toString()).isEqualTo("fd00:0:0:1::/64");
        assertThat(c.isIpv6()).isTrue();
        assertThat(c.contains(Ip.parse("10.0.0.1"))).isFalse();
        assertThat(IpPrefix.any(true).toString()).isEqualTo("::/0");
    }

    @Test
    void rejectsBadText() {
        assertThatThrownBy(() -> Ip.parsePrefix("10.0.0.256/24")).hasMessageContaining("bad CIDR '10.0.0.256/24'");
        assertThatThrownBy(() -> Ip.parsePrefix("10.0.0.1/33")).hasMessageContaining("more than 32");
        assertThatThrownBy(() -> Ip.parsePrefix("10.0.0.1")).hasMessageContaining("missing /prefix-length");
        assertThatThrownBy(() -> Ip.parsePrefix("example.com/24")).hasMessageContaining("bad CIDR");
        assertThatThrownBy(() -> Ip.parse("127.1")).hasMessageContaining("bad IP address");
        assertThat(Ip.parsePrefix("10.0.0.1", true).length()).isEqualTo(32);
    }
}
