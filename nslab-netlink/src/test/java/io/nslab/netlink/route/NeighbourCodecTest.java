package io.nslab.netlink.route;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.OptionalInt;

import static io.nslab.netlink.route.RouteFixtures.*;
import static io.nslab.netlink.route.RtConst.*;
import static io.nslab.netlink.wire.Netlink.NLM_F_REQUEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NeighbourCodecTest {
    static InetAddress ip(String s) { return IpPrefix.parseAddress(s); }

    @Test
    void addPermanent() {
        assertGoldenChange("neigh-add", NeighbourRequests.add(NeighbourSpec.of(3, ip("10.0.1.2")).withLladdr("02:00:00:00:00:02")));
    }

    @Test
    void del() {
        assertGoldenChange("neigh-del", NeighbourRequests.del(NeighbourSpec.of(3, ip("10.0.1.2"))));
    }

    @Test
    void getAsIpAsksForOneEntry() {
        // iproute2 sends its neigh get without NLM_F_ACK; NlSocket.query adds it
        assertGolden("neigh-get", NeighbourRequests.get(ip("10.0.1.2"), 3, false), NLM_F_REQUEST);
        Neighbour g = Neighbour.decodeBody(message("neigh-get").payload());
        assertThat(g.family()).isEqualTo(AddressFamily.INET);
        assertThat(g.index()).isEqualTo(3);
        assertThat(g.dst()).contains(ip("10.0.1.2"));
        assertThat(g.flags() & NTF_PROXY).isZero();
    }

    @Test
    void dumpAll() {
        assertGoldenDump("dump-neigh", NeighbourRequests.dump());
    }

    @Test
    void goldenDecodes() {
        Neighbour n = Neighbour.decode(message("neigh-add"));
        assertThat(n.family()).isEqualTo(AddressFamily.INET);
        assertThat(n.index()).isEqualTo(3);
        assertThat(n.dst()).contains(ip("10.0.1.2"));
        assertThat(n.lladdr()).contains("02:00:00:00:00:02");
        assertThat(n.permanent()).isTrue();
        assertThat(n.stateNames()).containsExactly("PERMANENT");
        assertThat(n.encodeBody()).isEqualTo(message("neigh-add").payload());
        Neighbour d = Neighbour.decode(message("neigh-del"));
        assertThat(d.lladdr()).isEmpty();
    }

    @Test
    void dumpByDeviceUsesNdaIfindex() {
        byte[] b = NeighbourRequests.dump(AddressFamily.INET6, OptionalInt.of(4)).body();
        assertThat(b).hasSize(Neighbour.HEADER_LEN + 8);
        assertThat(b[0]).isEqualTo((byte) 10);
        assertThat(Neighbour.decodeBody(b).attrs().u32(NDA_IFINDEX)).hasValue(4);
    }

    @Test
    void statesAndLladdrText() {
        assertThat(NeighbourNames.states(NUD_REACHABLE)).containsExactly("REACHABLE");
        assertThat(NeighbourNames.states(0)).containsExactly("NONE");
        assertThat(NeighbourNames.parseState("permanent")).hasValue(NUD_PERMANENT);
        assertThat(NeighbourNames.parseState("noarp")).hasValue(NUD_NOARP);
        assertThat(NeighbourNames.parseState("bogus")).isEmpty();
        assertThat(NeighbourSpec.of(1, ip("10.0.0.1")).withLladdr("02:AA:0:0:0:1").lladdr()).contains("02:aa:00:00:00:01");
        assertThatThrownBy(() -> NeighbourSpec.of(1, ip("10.0.0.1")).withLladdr("02:zz:00:00:00:01"))
                .hasMessage("invalid lladdr \"02:zz:00:00:00:01\": \"zz\" is not a hex byte");
    }
}
