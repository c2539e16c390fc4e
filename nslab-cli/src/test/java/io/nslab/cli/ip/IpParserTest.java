package io.nslab.cli.ip;

import io.nslab.cli.CliException;
import io.nslab.cli.ExitCode;
import io.nslab.cli.batch.BatchReader;
import io.nslab.cli.ip.IpCommand.*;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkNetns;
import io.nslab.netlink.route.LinkRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IpParserTest {
    static IpCommand p(String line) throws CliException {
        return IpParser.parse(BatchReader.split(line));
    }

    /** The exit status of a line the parser refuses (ip's: 255 invalid, 1 missing/malformed, 2 left to the kernel). */
    static int code(String line) {
        try {
            p(line);
        } catch (CliException e) {
            return e.exitCode();
        }
        throw new AssertionError("no error for: " + line);
    }

    static String err(String line) {
        try {
            p(line);
        } catch (CliException e) {
            assertThat(e.exitCode()).isIn(ExitCode.USAGE, ExitCode.FAILED, ExitCode.IP_INVALID);
            return e.getMessage();
        }
        throw new AssertionError("no error for: " + line);
    }

    @Test void objectAbbreviationsFollowIpOrder() throws CliException {
        assertThat(IpParser.resolveObject("a")).contains("address");
        assertThat(IpParser.resolveObject("addr")).contains("address");
        assertThat(IpParser.resolveObject("l")).contains("link");
        assertThat(IpParser.resolveObject("r")).contains("route");
        assertThat(IpParser.resolveObject("ru")).contains("rule");
        assertThat(IpParser.resolveObject("n")).contains("neighbour");
        assertThat(IpParser.resolveObject("neigh")).contains("neighbour");
        assertThat(IpParser.resolveObject("netns")).contains("netns");
        assertThat(IpParser.resolveObject("mo")).contains("monitor");
        assertThat(IpParser.resolveObject("tuntap")).contains("tuntap");
        assertThat(IpParser.resolveObject("bogus")).isEmpty();
        assertThatThrownBy(() -> IpParser.resolveObject("xfrm")).hasMessageContaining("not supported");
    }

    @Test void defaultVerbIsShow() throws CliException {
        assertThat(p("a")).isInstanceOf(AddrShow.class);
        assertThat(p("l")).isInstanceOf(LinkShow.class);
        assertThat(p("r")).isInstanceOf(RouteShow.class);
        assertThat(p("n")).isInstanceOf(NeighShow.class);
        assertThat(p("netns")).isInstanceOf(NetnsList.class);
        assertThat(p("addr sh")).isInstanceOf(AddrShow.class);
        assertThat(p("link sh")).isInstanceOf(LinkShow.class);
        // ip's order: "link s" is link set
        assertThat(err("link s")).isEqualTo("link s: missing device (\"link set dev NAME ...\")");
        assertThat(((LinkShow) p("link show dev veth0")).dev()).contains("veth0");
        assertThat(((AddrShow) p("addr show veth0")).dev()).contains("veth0");
    }

    @Test void vethWithPeerInNamespace() throws CliException {
        LinkAdd a = (LinkAdd) p("link add eth0 type veth peer name eth0 netns ns2");
        assertThat(a.name()).contains("eth0");
        LinkKind.Veth v = (LinkKind.Veth) a.kind().orElseThrow();
        assertThat(v.peerName()).contains("eth0");
        assertThat(v.peerNetns()).contains(LinkNetns.name("ns2"));
        LinkAdd upMaster = (LinkAdd) p("link add v1 up master br0 type veth peer name eth0 netns c1");
        assertThat(upMaster.up()).isTrue();
        assertThat(upMaster.master()).contains("br0");
        assertThat(((LinkKind.Veth) upMaster.kind().orElseThrow()).peerNetns()).contains(LinkNetns.name("c1"));
        LinkKind.Veth bare = (LinkKind.Veth) ((LinkAdd) p("link add veth1 type veth peer br-veth1")).kind().orElseThrow();
        assertThat(bare.peerName()).contains("br-veth1");
    }

    @Test void seedLinkKinds() throws CliException {
        LinkAdd m = (LinkAdd) p("link add ens41m1 link ens41 type macvlan mode private");
        assertThat(((LinkKind.Macvlan) m.kind().orElseThrow()).parent()).contains(LinkRef.of("ens41"));
        assertThat(((LinkKind.Macvlan) m.kind().orElseThrow()).mode()).isEqualTo(LinkKind.MacvlanMode.PRIVATE);
        LinkAdd vl = (LinkAdd) p("link add link veth-ns1 name veth-ns1.100 type vlan id 100");
        assertThat(vl.name()).contains("veth-ns1.100");
        assertThat(((LinkKind.Vlan) vl.kind().orElseThrow()).id()).isEqualTo(100);
        LinkAdd vx = (LinkAdd) p("link add vx0 type vxlan id 100 local 172.16.0.10 remote 172.16.0.20 dev eth0 dstport 4789");
        LinkKind.Vxlan x = (LinkKind.Vxlan) vx.kind().orElseThrow();
        assertThat(x.vni()).isEqualTo(100);
        assertThat(x.dstPort()).hasValue(4789);
        assertThat(x.dev()).contains(LinkRef.of("eth0"));
        assertThat(((LinkKind.Ipvlan) ((LinkAdd) p("link add ipvlan1 link ens41 type ipvlan mode l3")).kind().orElseThrow()).mode()).isEqualTo(LinkKind.IpvlanMode.L3);
        assertThat(((LinkAdd) p("link add br0 type bridge")).kind().map(LinkKind::kind)).contains("bridge");
        TuntapAdd t = (TuntapAdd) p("tuntap add dev tap0 mode tap");
        assertThat(t.tap()).isTrue();
        assertThat(t.name()).contains("tap0");
    }

    @Test void linkSetForms() throws CliException {
        LinkSet s = (LinkSet) p("link set dev veth0 master br0");
        assertThat(s.dev()).isEqualTo("veth0");
        assertThat(s.master()).contains("br0");
        LinkSet u = (LinkSet) p("link set veth0 up");
        assertThat(u.up()).contains(true);
        LinkSet n = (LinkSet) p("link set veth1 netns ns2");
        assertThat(n.netns()).contains("ns2");
        LinkSet all = (LinkSet) p("link set veth0 down mtu 1400 address 02:00:00:00:00:01 name v0 alias hello nomaster");
        assertThat(all.mtu()).hasValue(1400);
        assertThat(all.newName()).contains("v0");
        assertThat(all.nomaster()).isTrue();
        assertThat(p("link del veth0")).isInstanceOf(LinkDel.class);
        assertThat(p("link delete dev veth0")).isInstanceOf(LinkDel.class);
    }

    @Test void addresses() throws CliException {
        AddrChange a = (AddrChange) p("address add 10.0.1.0/24 dev veth0");
        assertThat(a.local().length()).isEqualTo(24);
        assertThat(a.dev()).isEqualTo("veth0");
        AddrChange b = (AddrChange) p("addr add 10.1.1.2/24 brd + dev eth0 label eth0:1");
        assertThat(b.broadcast()).contains("+");
        assertThat(b.label()).contains("eth0:1");
        AddrChange v6 = (AddrChange) p("a add 2001:db8::1/64 dev eth0");
        assertThat(v6.local().family()).isEqualTo(10);
        assertThat(p("addr flush dev eth0")).isInstanceOf(AddrFlush.class);
        assertThat(((AddrChange) p("addr del 10.0.1.1/24 dev eth0")).op()).isEqualTo(Op.DEL);
    }

    @Test void routes() throws CliException {
        RouteChange d = (RouteChange) p("route add default via 192.168.50.3");
        assertThat(d.spec().dst()).isEmpty();
        assertThat(d.spec().via()).isPresent();
        RouteChange r = (RouteChange) p("route add 10.0.2.0/24 dev veth0 src 10.0.1.0 metric 100 table 100 proto static scope link");
        assertThat(r.spec().metric()).hasValue(100);
        assertThat(r.spec().table()).contains("100");
        assertThat(r.spec().scope()).contains("link");
        RouteGet g = (RouteGet) p("route get 10.0.2.0");
        assertThat(g.dst().getHostAddress()).isEqualTo("10.0.2.0");
        assertThat(((RouteChange) p("r replace 10.9.0.0/16 dev eth0")).op()).isEqualTo(Op.REPLACE);
        assertThat(((RouteChange) p("route add blackhole 10.8.0.0/16")).spec().type()).contains("blackhole");
    }

    @Test void neighAndRule() throws CliException {
        NeighChange n = (NeighChange) p("neigh add 10.0.0.2 lladdr 2:0:0:0:0:1 dev eth0 nud permanent");
        assertThat(n.lladdr()).contains("02:00:00:00:00:01");
        RuleChange r = (RuleChange) p("rule add from 10.0.0.0/8 table 100 priority 1000");
        assertThat(r.spec().table()).contains("100");
        assertThat(r.spec().priority()).hasValue(1000);
        assertThat(((Monitor) p("monitor link addr")).objects()).containsExactly("link", "address");
    }

    @Test void netns() throws CliException {
        assertThat(p("netns add ns1")).isEqualTo(new NetnsAdd("netns add ns1", "ns1"));
        assertThat(p("netns del ns1")).isInstanceOf(NetnsDel.class);
        NetnsExec e = (NetnsExec) p("netns exec ns1 ping -c1 10.0.0.1");
        assertThat(e.command()).containsExactly("ping", "-c1", "10.0.0.1");
        assertThat(((NetnsIdentify) p("netns identify 1")).pid()).contains(1L);
        assertThat(((NetnsIdentify) p("netns identify")).pid()).isEmpty();
        assertThat(p("netns pids ns1")).isInstanceOf(NetnsPids.class);
        assertThat(((NetnsSet) p("netns set ns1 7")).nsid()).hasValue(7);
    }

    @Test void badInputIsOneLineNamingTheProblem() {
        assertThat(err("bogus show")).contains("unknown object \"bogus\"");
        assertThat(err("link add veth0 type veth peer nmae x")).contains("unknown keyword \"x\"");
        assertThat(err("link frobnicate")).contains("unknown command \"frobnicate\"");
        assertThat(err("addr add 10.0.1.0/33 dev veth0")).contains("invalid address or prefix \"10.0.1.0/33\"");
        assertThat(err("addr add 10.0.1/24 dev veth0")).contains("invalid address or prefix");
        assertThat(err("addr add 10.0.1.1/24")).contains("missing device");
        assertThat(err("link add averyveryverylongname type bridge")).contains("too long");
        assertThat(err("link add a/b type bridge")).contains("contains '/'");
        assertThat(err("link set")).contains("missing device");
        assertThat(err("route add 10.0.1.1/24 dev x")).contains("host bits");
        assertThat(err("link set veth0 netns a/b")).contains("invalid namespace name");
        assertThat(err("link add v type vlan id 5000 link eth0")).contains("invalid id");
        assertThat(err("link add m type macvlan mode foo link eth0")).contains("invalid macvlan mode");
        assertThat(err("link add m type macvlan mode bridge")).contains("missing \"link PARENT\"");
        for (String s : List.of("link add a/b type bridge", "bogus", "addr add x dev y")) {
            assertThat(err(s)).doesNotContain("\n");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "link add veth0 type veth peer name veth1", "link set veth0 netns ns1", "addr add 10.0.1.0/24 dev veth0",
        "route add default via 192.168.50.3", "route get 10.0.2.0", "netns exec ns1 bash", "link set dev br0 up",
        "link add vx0 type vxlan id 100 local 1.1.1.1 dev eth0 dstport 4789", "link add macvlan1 link ens41 type macvlan mode passthru",
        "address add 172.20.0.10/24 dev vx0", "link add type veth", "route add 10.0.2.0/24 dev veth0", "addr", "a", "link",
        "link set veth-ns1.100 up",
    })
    void seedLinesParse(String line) throws CliException {
        assertThat(p(line)).isNotNull();
    }

    @Test void prefixFormatting() {
        assertThat(Inet.format(Inet.parse("fe80::1").orElseThrow())).isEqualTo("fe80::1");
        assertThat(Inet.format(Inet.parse("2001:db8:0:0:1:0:0:1").orElseThrow())).isEqualTo("2001:db8::1:0:0:1");
        assertThat(Inet.format(Inet.parse("::").orElseThrow())).isEqualTo("::");
        assertThat(Inet.parse("example.com")).isEqualTo(Optional.empty());
    }
}
