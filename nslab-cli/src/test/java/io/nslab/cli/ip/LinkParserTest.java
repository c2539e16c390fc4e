package io.nslab.cli.ip;

import io.nslab.cli.CliException;
import io.nslab.cli.ip.IpCommand.LinkAdd;
import io.nslab.cli.ip.IpCommand.LinkDel;
import io.nslab.cli.ip.IpCommand.LinkSet;
import io.nslab.cli.ip.IpCommand.LinkShow;
import io.nslab.netlink.route.BridgeSetting;
import io.nslab.netlink.route.LinkChange;
import io.nslab.netlink.route.LinkChange.Inet6AddrGen;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkConst;
import io.nslab.netlink.route.LinkLayerAddress;
import io.nslab.netlink.route.LinkNetns;
import io.nslab.netlink.route.LinkRef;
import io.nslab.netlink.wire.Attrs;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static io.nslab.cli.ip.IpParserTest.err;
import static io.nslab.cli.ip.IpParserTest.p;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code link add|set|del|show}, and {@code type KIND ...} parsed into the library's {@link LinkKind}. */
class LinkParserTest {
    static LinkKind kind(String line) throws CliException {
        return ((LinkAdd) p(line)).kind().orElseThrow();
    }

    @Test void vethPeerNamedAddressedAndInANamespaceByName() throws CliException {
        assertThat(kind("link add veth1 type veth peer name p1 address 2:0:0:0:0:1 mtu 1400 netns x")).isEqualTo(new LinkKind.Veth(
                Optional.of("p1"), Optional.of(LinkNetns.name("x")), Optional.of(LinkLayerAddress.parse("02:00:00:00:00:01")), OptionalInt.empty(),
                OptionalInt.of(1400)));
        // the peer's options are its own, never dropped: the ones nslab cannot give it are refused
        assertThat(err("link add a type veth peer name b txqueuelen 10")).endsWith(": \"peer txqueuelen\" is not supported by nslab");
        assertThat(err("link add a numtxqueues 2 type veth")).endsWith(": \"numtxqueues\" is not supported by nslab");
        assertThat(err("link add t0 mtu 1400 type tap")).endsWith(": \"mtu\" with type tap is not supported by nslab (set it with \"link set\" afterwards)");
        assertThat(((LinkAdd) p("link add a txqlen 500 type veth")).txqlen()).hasValue(500);
        assertThat(kind("link add veth0 type veth")).isEqualTo(LinkKind.veth());
        LinkAdd bare = (LinkAdd) p("link add type veth");
        assertThat(bare.name()).isEmpty();
    }

    @Test void stackedKindsKeepTheirParentByName() throws CliException {
        assertThat(kind("link add m link ens41 type macvtap mode bridge nopromisc"))
                .isEqualTo(new LinkKind.Macvlan(Optional.of(LinkRef.of("ens41")), LinkKind.MacvlanMode.BRIDGE, true));
        assertThat(kind("link add m link ens41 type macvlan")).isEqualTo(LinkKind.macvlan(LinkRef.of("ens41"), LinkKind.MacvlanMode.VEPA));
        assertThat(kind("link add i link ens41 type ipvlan mode l2 private")).isEqualTo(new LinkKind.Ipvlan(Optional.of(LinkRef.of("ens41")), LinkKind.IpvlanMode.L2, 1));
        assertThat(kind("link add i link ens41 type ipvlan mode l3s vepa")).isEqualTo(new LinkKind.Ipvlan(Optional.of(LinkRef.of("ens41")), LinkKind.IpvlanMode.L3S, 2));
        assertThat(kind("link add i link ens41 type ipvtap bridge")).isEqualTo(LinkKind.ipvlan(LinkRef.of("ens41"), LinkKind.IpvlanMode.L3));
        assertThat(kind("link add link veth-ns1 name v.100 type vlan id 100 protocol 802.1ad"))
                .isEqualTo(LinkKind.vlan(LinkRef.of("veth-ns1"), 100, LinkKind.VlanProtocol.DOT1AD));
        assertThat(kind("link add link veth-ns1 name v.100 type vlan id 100 protocol 802.1q"))
                .isEqualTo(LinkKind.vlan(LinkRef.of("veth-ns1"), 100, LinkKind.VlanProtocol.DOT1Q));
    }

    @Test void vxlanBridgeTuntapAndOthers() throws Exception {
        assertThat(kind("link add vx0 type vxlan id 100 group 239.1.1.1 dev eth0 ttl 5 nolearning")).isEqualTo(LinkKind.vxlan(100)
                .withGroup(InetAddress.getByName("239.1.1.1")).withDev(LinkRef.of("eth0")).withLearning(false));
        assertThat(kind("link add br0 type bridge stp_state 1 vlan_filtering 0")).isEqualTo(LinkKind.bridge().withStp(true).withVlanFiltering(false));
        // ip's other bridge options, abbreviated as ip allows, after stp_state and vlan_filtering in the order typed
        assertThat(kind("link add br0 type bridge fo 400 stp_state 1 priority 0x1000 mcast_query_int 5000")).isEqualTo(
                new LinkKind.Bridge(Optional.of(true), Optional.empty(), List.of(BridgeSetting.u32(LinkConst.IFLA_BR_FORWARD_DELAY, 400),
                        BridgeSetting.u16(LinkConst.IFLA_BR_PRIORITY, 4096), BridgeSetting.u64(LinkConst.IFLA_BR_MCAST_QUERY_INTVL, 5000))));
        assertThat(kind("link add t0 type tap")).isEqualTo(LinkKind.tap());
        assertThat(kind("link add t0 type tun")).isEqualTo(LinkKind.tun());
        assertThat(kind("link add d0 type dummy")).isEqualTo(LinkKind.dummy());
        assertThat(kind("link add d0 type wireguard")).isEqualTo(new LinkKind.Other("wireguard", Attrs.EMPTY));
    }

    @Test void addOptionsBeforeType() throws CliException {
        LinkAdd a = (LinkAdd) p("link add br0 address 02:00:00:00:00:01 mtu 9000 netns ns1 type bridge");
        assertThat(a.mac()).contains("02:00:00:00:00:01");
        assertThat(a.mtu()).hasValue(9000);
        assertThat(a.netns()).contains("ns1");
    }

    @Test void setTypeBridgeAndBridgeSlave() throws CliException {
        LinkSet b = (LinkSet) p("link set br0 up type bridge vlan_filtering 1 ageing_time 6000");
        assertThat(b.up()).contains(true);
        assertThat(b.typeOptions()).contains(new LinkChange.BridgeOptions(List.of(BridgeSetting.vlanFiltering(true),
                BridgeSetting.u32(LinkConst.IFLA_BR_AGEING_TIME, 6000))));
        LinkSet s = (LinkSet) p("link set dev veth0 type bridge_slave cost 7 hairpin on fdb_flush");
        assertThat(s.typeOptions()).contains(new LinkChange.BridgePortOptions(List.of(BridgeSetting.portCost(7), BridgeSetting.hairpin(true),
                BridgeSetting.flag(LinkConst.IFLA_BRPORT_FLUSH))));
    }

    @Test void setDelShow() throws CliException {
        LinkSet s = (LinkSet) p("link set veth0 promisc on arp off multicast on allmulticast off txqlen 100 addrgenmode none");
        assertThat(s.promisc()).contains(true);
        assertThat(s.arp()).contains(false);
        assertThat(s.txqlen()).hasValue(100);
        assertThat(s.addrGenMode()).contains(Inet6AddrGen.of("none").orElseThrow());
        assertThat(((LinkDel) p("link delete dev veth0 type veth")).type()).contains("veth");
        LinkShow sh = (LinkShow) p("link show veth0 up type veth master br0");
        assertThat(sh.upOnly()).isTrue();
        assertThat(sh.master()).contains("br0");
    }

    @Test void kindErrorsNameTheProblem() {
        assertThat(err("link add veth1 type veth peer name p1 up")).endsWith(": unknown keyword \"up\"");
        assertThat(err("link add veth1 type veth peer name p1 type veth")).endsWith(": unknown keyword \"type\"");
        assertThat(err("link add m link ens41 type macvlan mode foo")).endsWith(": invalid macvlan mode \"foo\" (private, vepa, bridge, passthru, source)");
        assertThat(err("link add link v name v.100 type vlan id 100 protocol foo")).endsWith(": invalid vlan protocol \"foo\" (802.1Q, 802.1ad)");
        assertThat(err("link add link v name v.100 type vlan")).endsWith(": missing \"id N\" for type vlan");
        assertThat(err("link add v type vlan id 5")).isEqualTo("link add v type vlan id 5: missing \"link PARENT\" for type vlan");
        assertThat(err("link add i type ipvlan mode l2")).endsWith(": missing \"link PARENT\" for type ipvlan");
        assertThat(err("link add i link e type ipvlan mode l4")).endsWith(": invalid ipvlan mode \"l4\" (l2, l3, l3s)");
        assertThat(err("link add vx0 type vxlan vni 100 group 10.1.1.1")).endsWith(": vxlan group 10.1.1.1 is not a multicast address");
        assertThat(err("link add vx0 type vxlan id 100 group 239.1.1.1 remote 10.0.0.1")).endsWith(": vxlan takes \"remote\" or \"group\", not both");
        assertThat(err("link add vx0 type vxlan id 100 remote 239.1.1.1")).endsWith(": vxlan remote 239.1.1.1 is a multicast address (use \"group\")");
        assertThat(err("link add vx0 type vxlan id 100 ttl 300")).endsWith(": invalid ttl \"300\" (must be 0..255)");
        assertThat(err("link add vx0 type vxlan local 1.1.1.1")).endsWith(": missing \"id VNI\" for type vxlan");
        // as ip (get_u32, get_u8): any number that fits the attribute; a word that is not one is refused
        assertThat(err("link add br0 type bridge stp_state on")).endsWith(": invalid stp_state \"on\"");
        assertThat(err("link add br0 type bridge vlan_filtering 256")).endsWith(": invalid vlan_filtering \"256\"");
        assertThat(err("link add br0 type bridge vlan_protocol 802.1ad")).endsWith("\"bridge vlan_protocol\" is not supported by nslab");
        assertThat(err("link add br0 type bridge bogus 1")).endsWith("bridge: unknown option \"bogus\"");
        assertThat(err("link add t0 type tap foo")).endsWith(": unknown keyword \"foo\"");
        assertThat(err("link add d0 type WireGuard")).endsWith(": invalid link type \"WireGuard\"");
        assertThat(err("link add d0 type gre local 1.1.1.1")).endsWith(": nslab does not know the arguments of type \"gre\" (\"local\")");
    }

    @Test void linkErrorsNameTheProblem() {
        assertThat(err("link add br0")).endsWith(": missing \"type KIND\" (veth, bridge, macvlan, macvtap, ipvlan, vlan, vxlan, tun, tap, ...)");
        assertThat(err("link add type bridge")).isEqualTo("link add type bridge: missing interface name");
        assertThat(err("link add br0 netns ns1 master br1 type bridge")).endsWith(": \"master\" and \"netns\" together: the master is looked up where the link is made");
        assertThat(err("link add x type")).isEqualTo("link add x type: \"type\" needs an argument");
        assertThat(err("link set veth0 promisc yes")).endsWith(": \"promisc\" takes on or off, not \"yes\"");
        assertThat(err("link set veth0 addrgenmode foo")).endsWith(": \"addrgenmode\" takes eui64, none, stable_secret or random, not \"foo\"");
        assertThat(err("link set veth0 master br0 nomaster")).endsWith(": \"master\" and \"nomaster\" together");
        assertThat(err("link set veth0 type bridge_slave")).endsWith(": \"type bridge_slave\" without options");
        assertThat(err("link set veth0 type bridge_slave hairpin yes")).endsWith(": \"hairpin\" takes on or off, not \"yes\"");
        assertThat(err("link set veth0 type macvlan mode vepa")).endsWith(": \"type macvlan\" is not supported by nslab");
        assertThat(err("link set veth0 mtu 10")).endsWith(": invalid mtu \"10\" (must be 68..262140)");
        assertThat(err("link del")).isEqualTo("link del: missing device (\"link delete dev NAME\")");
        assertThat(err("link list veth0 veth1")).endsWith(": unknown keyword \"veth1\"");
    }
}
