package io.nslab.netlink.netns;

import io.nslab.netlink.NlRequest;
import io.nslab.netlink.route.RouteFixtures;
import io.nslab.netlink.route.RtConst;
import io.nslab.netlink.wire.NlMessage;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static io.nslab.netlink.route.RouteFixtures.assertGoldenDump;
import static org.assertj.core.api.Assertions.assertThat;

/** netnsid requests, byte for byte what iproute2 6.1 sends (strace of `ip netns set g1 5`, `ip netns list-id`). */
class NsIdsTest {
    private static byte[] hex(String s) { return HexFormat.of().parseHex(s.replace(" ", "")); }

    @Test
    void setRequestMatchesIpNetnsSet() {
        NlRequest r = NsIds.setRequest(6, 5, "netns set g1 5");
        assertThat(r.type()).isEqualTo(RtConst.RTM_NEWNSID);
        assertThat(r.flags()).isZero(); // REQUEST|ACK are added by the socket, as ip sends them
        assertThat(r.body()).isEqualTo(hex(
                "00 00 00 00"                 // struct rtgenmsg: AF_UNSPEC, padded to 4
                + " 08 00 03 00 06 00 00 00"  // NETNSA_FD = 6
                + " 08 00 01 00 05 00 00 00")); // NETNSA_NSID = 5
    }

    @Test
    void getRequestMatchesIpNetnsListId() {
        NlRequest r = NsIds.getRequest(6, "netns id");
        assertThat(r.type()).isEqualTo(RtConst.RTM_GETNSID);
        assertThat(r.body()).isEqualTo(hex("00 00 00 00 08 00 03 00 06 00 00 00"));
    }

    @Test
    void dumpRequestMatchesTheGoldenListId() {
        // golden/netns-list-id.txt, captured from ip netns list-id; the dump flags are the socket's
        assertGoldenDump("netns-list-id", NsIds.dumpRequest());
        NlMessage golden = RouteFixtures.message("netns-list-id");
        assertThat(golden.type()).isEqualTo(RtConst.RTM_GETNSID);
        assertThat(golden.payload()).isEqualTo(hex("00 00 00 00"));
        assertThat(NsIds.parse(golden)).isEmpty();
    }

    @Test
    void replyIsDecodedAndMinusOneMeansUnassigned() {
        NlMessage assigned = new NlMessage(RtConst.RTM_NEWNSID, 0, 1, 0, hex("00 00 00 00 08 00 01 00 05 00 00 00"));
        assertThat(NsIds.parse(assigned)).hasValue(5);
        NlMessage none = new NlMessage(RtConst.RTM_NEWNSID, 0, 1, 0, hex("00 00 00 00 08 00 01 00 ff ff ff ff"));
        assertThat(NsIds.parse(none)).isEmpty();
    }
}
