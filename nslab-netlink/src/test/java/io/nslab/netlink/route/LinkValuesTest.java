package io.nslab.netlink.route;

import io.nslab.netlink.Links;
import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.wire.Attr;
import io.nslab.netlink.wire.Attrs;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The small value types and checks, without a kernel. */
class LinkValuesTest {
    @Test
    void macAddressesParseAndPrintLikeIp() {
        LinkLayerAddress a = LinkLayerAddress.parse("02:00:00:0A:ff:10");
        assertThat(a.toString()).isEqualTo("02:00:00:0a:ff:10");
        assertThat(a.bytes()).containsExactly(2, 0, 0, 10, 0xff, 0x10);
        assertThat(LinkLayerAddress.parse("02-00-00-0a-ff-10")).isEqualTo(a);
        assertThat(LinkLayerAddress.of(a.bytes())).isEqualTo(a).hasSameHashCodeAs(a);
        assertThatThrownBy(() -> LinkLayerAddress.parse("02:00:zz:00:00:00")).hasMessage("bad link-layer address \"02:00:zz:00:00:00\"");
        assertThatThrownBy(() -> LinkLayerAddress.parse("02::00")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinkLayerAddress.parse("123:00")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void interfaceNamesFollowTheKernelsRules() {
        assertThat(LinkNames.check("veth0.100")).isEqualTo("veth0.100");
        assertThat(LinkNames.check("123456789012345")).hasSize(15);
        assertThatThrownBy(() -> LinkNames.check("1234567890123456")).hasMessage("interface name \"1234567890123456\" is 16 bytes, the kernel allows 15");
        assertThatThrownBy(() -> LinkNames.check("a/b")).hasMessage("interface name \"a/b\" contains '/'");
        assertThatThrownBy(() -> LinkNames.check("a b")).hasMessage("interface name \"a b\" contains 'whitespace'");
        assertThatThrownBy(() -> LinkNames.check("a:b")).hasMessage("interface name \"a:b\" contains ':'");
        assertThatThrownBy(() -> LinkNames.check("")).hasMessage("empty interface name");
        assertThatThrownBy(() -> LinkNames.check("..")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinkRef.of("x".repeat(16))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LinkChange.name("x".repeat(16))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void kindsCheckTheirRanges() throws Exception {
        assertThatThrownBy(() -> LinkKind.vlan(LinkRef.of(3), 4095)).hasMessage("VLAN id 4095 out of range 0-4094");
        assertThatThrownBy(() -> LinkKind.vxlan(1 << 24)).hasMessage("VXLAN id 16777216 out of range 0-16777215");
        assertThatThrownBy(() -> LinkKind.vxlan(1).withGroup(InetAddress.getByName("10.0.0.1"))).hasMessage("VXLAN group 10.0.0.1 is not multicast");
        assertThatThrownBy(() -> LinkKind.vxlan(1).withRemote(InetAddress.getByName("239.0.0.1"))).hasMessage("VXLAN remote 239.0.0.1 is multicast (use group)");
        assertThatThrownBy(() -> LinkKind.vxlan(1).withRemote(InetAddress.getByName("10.0.0.1")).withGroup(InetAddress.getByName("239.0.0.1")))
                .hasMessage("VXLAN: remote and group are exclusive");
        assertThatThrownBy(() -> LinkSpec.of("a", LinkKind.bridge()).withMtu(0)).hasMessage("bad mtu 0 for a");
        assertThatThrownBy(() -> LinkNetns.name("a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(LinkNetns.name("ns1")).isEqualTo(new LinkNetns.Name("ns1"));
        assertThat(((LinkNetns.Name) LinkNetns.name("ns1")).path()).isEqualTo("/run/netns/ns1");
    }

    @Test
    void everyTypeHasItsWordAndKernelOptionAndEveryRecordItsType() {
        for (LinkKind.Type t : LinkKind.Type.values()) {
            if (t == LinkKind.Type.OTHER) continue;
            assertThat(LinkKind.Type.of(t.word())).contains(t);
            assertThat(t.kernelOption()).isPresent();
        }
        assertThat(LinkKind.Type.of("wireguard")).isEmpty();
        assertThat(LinkKind.veth().type()).isEqualTo(LinkKind.Type.VETH);
        assertThat(LinkKind.macvtap(LinkRef.of("eth0"), LinkKind.MacvlanMode.BRIDGE).kind()).isEqualTo("macvtap");
        assertThat(LinkKind.tap().type()).isEqualTo(LinkKind.Type.TUN);
        assertThat(LinkKind.MacvlanMode.ofKeyword("Passthru")).contains(LinkKind.MacvlanMode.PASSTHRU);
        assertThat(LinkKind.VlanProtocol.ofKeyword("802.1q")).contains(LinkKind.VlanProtocol.DOT1Q);
        assertThat(LinkKind.IpvlanMode.ofKeyword("l4")).isEmpty();
    }

    @Test
    void kernelOptionsForEveryKindTheBriefNames() {
        assertThat(LinkKind.kernelOption("vlan").map(LinkKind.KernelOption::config)).contains("CONFIG_VLAN_8021Q");
        assertThat(LinkKind.kernelOption("ipvlan").map(LinkKind.KernelOption::config)).contains("CONFIG_IPVLAN");
        assertThat(LinkKind.kernelOption("dummy").map(LinkKind.KernelOption::config)).contains("CONFIG_DUMMY");
        assertThat(LinkKind.kernelOption("vrf").map(LinkKind.KernelOption::config)).contains("CONFIG_NET_VRF");
        assertThat(LinkKind.kernelOption("gre").map(LinkKind.KernelOption::config)).contains("CONFIG_NET_IPGRE");
        assertThat(LinkKind.kernelOption("ipip").map(LinkKind.KernelOption::config)).contains("CONFIG_NET_IPIP");
        assertThat(LinkKind.kernelOption("macvlan").map(LinkKind.KernelOption::config)).contains("CONFIG_MACVLAN");
        assertThat(LinkKind.kernelOption("vxlan").map(LinkKind.KernelOption::config)).contains("CONFIG_VXLAN");
        assertThat(LinkKind.kernelOption("veth").map(LinkKind.KernelOption::config)).contains("CONFIG_VETH");
        assertThat(LinkKind.kernelOption("bridge").map(LinkKind.KernelOption::config)).contains("CONFIG_BRIDGE");
        assertThat(LinkKind.kernelOption("wireguard")).isEmpty();
    }

    @Test
    void explainTurnsUnknownDeviceTypeIntoTheKernelOption() {
        ErrnoException refused = new ErrnoException("link add v100", Errno.EOPNOTSUPP, "Unknown device type");
        ErrnoException e = Links.explain(LinkKind.vlan(LinkRef.of(3), 100), refused);
        assertThat(e).isInstanceOf(LinkKindMissingException.class)
                .hasMessage("link add v100: kernel lacks 802.1Q VLAN support (CONFIG_VLAN_8021Q)")
                .hasCause(refused);
        assertThat(e.errno()).isEqualTo(Errno.EOPNOTSUPP);
        // Other errors, and EOPNOTSUPP for other reasons, pass through unchanged.
        ErrnoException exists = new ErrnoException("link add v100", Errno.EEXIST);
        assertThat(Links.explain(LinkKind.vlan(LinkRef.of(3), 100), exists)).isSameAs(exists);
        ErrnoException other = new ErrnoException("link add br0", Errno.EOPNOTSUPP);
        assertThat(Links.explain(LinkKind.bridge(), other)).isSameAs(other);
        assertThat(Links.explain(LinkKind.bridge().withVlanFiltering(true), other))
                .hasMessage("link add br0: kernel lacks bridge VLAN filtering support (CONFIG_BRIDGE_VLAN_FILTERING)");
        assertThat(Links.explain(new LinkKind.Other("wireguard", Attrs.EMPTY),
                new ErrnoException("link add wg0", Errno.EOPNOTSUPP, "Unknown device type"))).hasMessageContaining("EOPNOTSUPP");
    }

    @Test
    void otherKindsTravelRaw() {
        Attrs data = Attrs.of(List.of(new Attr(1, new byte[] {1, 0, 0, 0})));
        LinkSpec s = LinkSpec.of("wg0", new LinkKind.Other("wireguard", data));
        Link back = Link.decodeBody(LinkRequests.add(s).body());
        assertThat(back.kind()).contains(new LinkKind.Other("wireguard", data));
        assertThat(back.kindName()).contains("wireguard");
    }

    @Test
    void createAddsASetForTheAlias() {
        var rs = LinkRequests.create(LinkSpec.of("br0", LinkKind.bridge()).withAlias("lab"));
        assertThat(rs).hasSize(2);
        assertThat(Link.decodeBody(rs.get(0).body()).alias()).isEmpty();
        Link set = Link.decodeBody(rs.get(1).body());
        assertThat(set.name()).isEqualTo("br0");
        assertThat(set.alias()).contains("lab");
        assertThat(rs.get(1).what()).isEqualTo("link add br0");
        assertThatThrownBy(() -> LinkRequests.add(LinkSpec.of("br0", LinkKind.bridge()).withAlias("lab")))
                .hasMessageContaining("use LinkRequests.create");
        assertThat(LinkRequests.create(LinkSpec.of("br0", LinkKind.bridge()))).hasSize(1);
        assertThat(Optional.of(1)).isPresent();
    }
}
