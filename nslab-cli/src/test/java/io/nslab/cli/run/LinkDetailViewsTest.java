package io.nslab.cli.run;

import io.nslab.cli.out.Detail;
import io.nslab.cli.out.LinkDetails;
import io.nslab.netlink.route.Link;
import io.nslab.netlink.wire.NlWriter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.nslab.netlink.route.LinkConst.*;
import static org.assertj.core.api.Assertions.assertThat;

/** ip 6.1's -d forms that the kernel tests here cannot reach (kinds this kernel lacks, odd values). */
class LinkDetailViewsTest {
    /** A link message: ifinfomsg, a name, and IFLA_LINKINFO with KIND and DATA written by {@code data}. */
    static Link link(String kind, Consumer<NlWriter> data) {
        NlWriter w = new NlWriter(256);
        w.u8(0).u8(0).u16(1).u32(7).u32(0).u32(0);
        w.attrString(IFLA_IFNAME, "x0");
        int li = w.beginNest(IFLA_LINKINFO);
        w.attrString(IFLA_INFO_KIND, kind);
        if (data != null) {
            int d = w.beginNest(IFLA_INFO_DATA);
            data.accept(w);
            w.endNest(d);
        }
        w.endNest(li);
        return Link.decodeBody(w.toByteArray());
    }

    static String text(List<Detail> ds) {
        StringBuilder sb = new StringBuilder();
        ds.forEach(d -> sb.append(d.text()));
        return sb.toString();
    }

    @Test void kindsIpHasAPrinterForAndNslabDoesNotAreRefusedByName() {
        LinkDetails gre = LinkDetailViews.of(link("gre", w -> w.attrU32(1, 0)), Map.of());
        assertThat(gre.refusal()).contains("kind gre");
        // ip 6.1 has no printer for these: the name alone, as ip prints it
        for (String k : List.of("dummy", "veth", "ifb", "team", "nlmon")) {
            LinkDetails d = LinkDetailViews.of(link(k, null), Map.of());
            assertThat(d.refusal()).as(k).isEmpty();
            assertThat(d.kind().orElseThrow().data()).as(k).isEmpty();
        }
    }

    @Test void vlanPrintsProtocolIdFlagsAndQosMapsAsIp() {
        LinkDetails d = LinkDetailViews.of(link("vlan", w -> {
            w.attrU16(IFLA_VLAN_ID, 4);
            w.attrBe16(IFLA_VLAN_PROTOCOL, 0x88a8);
            w.attr(IFLA_VLAN_FLAGS, new byte[] {0x3, 0, 0, 0, -1, -1, -1, -1});
            int e = w.beginNest(IFLA_VLAN_EGRESS_QOS);
            w.attr(IFLA_VLAN_QOS_MAPPING, new byte[] {1, 0, 0, 0, 2, 0, 0, 0});
            w.endNest(e);
        }), Map.of());
        assertThat(text(d.kind().orElseThrow().data().orElseThrow()))
                .isEqualTo("protocol 802.1ad id 4 <REORDER_HDR,GVRP> \n      egress-qos-map { 1:2 } ");
    }

    @Test void ipvlanAndVrfAsIp() {
        assertThat(text(LinkDetailViews.of(link("ipvlan", w -> {
            w.attrU16(IFLA_IPVLAN_MODE, 2);
            w.attrU16(IFLA_IPVLAN_FLAGS, 2);
        }), Map.of()).kind().orElseThrow().data().orElseThrow())).isEqualTo(" mode l3s vepa ");
        assertThat(text(LinkDetailViews.of(link("vrf", w -> w.attrU32(IFLA_VRF_TABLE, 10)), Map.of())
                .kind().orElseThrow().data().orElseThrow())).isEqualTo("table 10 ");
    }

    @Test void bridgeIdsAndTimersAndMasksInIpsSpelling() {
        // glibc's ether_ntoa does not pad the bytes
        assertThat(DetailFields.bridgeId(new byte[] {(byte) 0x80, 0, 2, 0, 0, 0x0a, 0, 1})).isEqualTo("8000.2:0:0:a:0:1");
        DetailFields f = new DetailFields();
        f.timer("gc_timer", java.util.OptionalLong.of(28978));
        assertThat(f.list.get(0).text()).isEqualTo("gc_timer  289.78 ");
        assertThat(f.list.get(0).json()).isEqualTo(new Detail.Num("289.78"));
        assertThat(DetailFields.hex(0)).isEqualTo("0");
        assertThat(DetailFields.hex(0x8001)).isEqualTo("0x8001");
        assertThat(BridgeDetails.fwdMaskWords(0x4005)).isEqualTo("stp,lacp,lldp");
        assertThat(BridgeDetails.fwdMaskWords(0x8)).isEqualTo("0x8");
        assertThat(BridgeDetails.fwdMaskWords(0)).isEqualTo("0x0");
    }
}
