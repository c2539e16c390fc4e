package io.nslab.netlink.route;

import io.nslab.netlink.wire.NlWriter;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static io.nslab.netlink.route.LinkConst.*;
import static org.assertj.core.api.Assertions.assertThat;

/** What Link offers beyond its components for rendering a link as ip does: @NONE, a bridge's raw stp_state, ARPHRD names. */
class LinkRenderFieldsTest {
    /** An RTM_NEWLINK body: ifinfomsg(type, index) + IFLA_IFNAME, then what {@code more} writes. */
    private static Link link(int type, int index, String name, Consumer<NlWriter> more) {
        NlWriter w = new NlWriter(128);
        w.u8(0).u8(0).u16(type).u32(index).u32(0).u32(0);
        w.attrString(IFLA_IFNAME, name);
        more.accept(w);
        return Link.decodeBody(w.toByteArray());
    }

    @Test
    void linkZeroIsNoneAndNoIndex() {
        Link tunnel = link(ARPHRD_TUNNEL, 5, "tunl0", w -> w.attrU32(IFLA_LINK, 0));
        assertThat(tunnel.linkNone()).isTrue();
        assertThat(tunnel.link()).isEmpty();
        assertThat(tunnel.linkTypeName()).isEqualTo("ipip");
        Link veth = link(ARPHRD_ETHER, 6, "v0", w -> w.attrU32(IFLA_LINK, 7));
        assertThat(veth.linkNone()).isFalse();
        assertThat(veth.link()).hasValue(7);
        assertThat(link(ARPHRD_ETHER, 1, "eth0", w -> { }).linkNone()).isFalse();
    }

    @Test
    void bridgeStpStateKeepsUserSpaceStp() {
        Link br = link(ARPHRD_ETHER, 3, "br0", w -> {
            int li = w.beginNest(IFLA_LINKINFO);
            w.attrString(IFLA_INFO_KIND, "bridge");
            int d = w.beginNest(IFLA_INFO_DATA);
            w.attrU32(IFLA_BR_STP_STATE, 2);
            w.endNest(d);
            w.endNest(li);
        });
        assertThat(br.bridgeStpState()).hasValue(2);
        assertThat(((LinkKind.Bridge) br.kind().orElseThrow()).stp()).contains(true);
        assertThat(link(ARPHRD_ETHER, 1, "eth0", w -> { }).bridgeStpState()).isEmpty();
    }

    @Test
    void wirelessLinkTypeIsNamedAsIpNamesIt() {
        assertThat(link(ARPHRD_IEEE80211, 4, "wlan0", w -> { }).linkTypeName()).isEqualTo("ieee802.11");
    }
}
