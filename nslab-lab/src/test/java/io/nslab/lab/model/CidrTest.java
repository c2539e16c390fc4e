package io.nslab.lab.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidrTest {
    @Test
    void parsesAndMasks() {
        Cidr c = Cidr.parse("172.17.10.10/16");
        assertThat(c.prefix()).isEqualTo(16);
        assertThat(c.network().toString()).isEqualTo("172.17.0.0/16");
        assertThat(c.contains(Ip.parse("172.17.0.1"))).isTrue();
        assertThat(c.contains(Ip.parse("172.18.0.1"))).isFalse();
        assertThat(Cidr.parse("10.0.0.0/8").overlaps(Cidr.parse("10.1.0.0/16"))).isTrue();
        assertThat(Cidr.parse("10.0.1.0/24").overlaps(Cidr.parse("10.0.2.0/24"))).isFalse();
        assertThat(Cidr.parse("10.0.1.0/24").isNetworkAddress()).isTrue();
        assertThat(Cidr.parse("10.0.1.255/24").isBroadcastAddress()).isTrue();
    }

    @Test
    void ipv6() {
        Cidr c = Cidr.parse("fd00:0:0:1::10/64");
        assertThat(c.toString()).isEqualTo("fd00:0:0:1::10/64");
        assertThat(c.network().toString()).isEqualTo("fd00:0:0:1::/64");
        assertThat(c.isV6()).isTrue();
        assertThat(c.contains(Ip.parse("10.0.0.1"))).isFalse();
        assertThat(Cidr.defaultRoute(true).toString()).isEqualTo("::/0");
    }

    @Test
    void rejectsBadText() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.256/24")).hasMessageContaining("bad CIDR '10.0.0.256/24'");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.1/33")).hasMessageContaining("more than 32");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.1")).hasMessageContaining("missing /prefix-length");
        assertThatThrownBy(() -> Cidr.parse("example.com/24")).hasMessageContaining("bad CIDR");
        assertThatThrownBy(() -> Ip.parse("127.1")).hasMessageContaining("bad IP address");
        assertThat(Cidr.parse("10.0.0.1", true).prefix()).isEqualTo(32);
    }
}
