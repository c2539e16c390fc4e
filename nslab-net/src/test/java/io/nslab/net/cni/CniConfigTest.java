package io.nslab.net.cni;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The configuration and the allocator, without a kernel. */
class CniConfigTest {
    static String cfg(String extra, String ipam) {
        return "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"nslab\"" + extra + ",\"ipam\":{\"type\":\"host-local\"," + ipam + "}}";
    }

    static int code(String stdin) {
        try {
            CniConfig.parse(stdin);
            return 0;
        } catch (CniError e) {
            return e.code();
        }
    }

    @Test
    void hostLocalDefaultsAndLegacySubnet() throws CniError {
        CniConfig c = CniConfig.parse(cfg("", "\"subnet\":\"10.1.0.0/24\""));
        IpamRange r = c.rangeSets().getFirst().getFirst();
        assertThat(r.start().getHostAddress()).isEqualTo("10.1.0.1");
        assertThat(r.end().getHostAddress()).isEqualTo("10.1.0.254");
        assertThat(r.gateway().getHostAddress()).isEqualTo("10.1.0.1");
        assertThat(c.bridge()).isEqualTo("cni0");
        assertThat(c.isGateway()).isFalse();
        assertThat(CniConfig.parse(cfg(",\"isDefaultGateway\":true", "\"subnet\":\"10.1.0.0/24\"")).isGateway()).isTrue();
    }

    @Test
    void errorsNameTheField() {
        assertThatThrownBy(() -> CniConfig.parse(cfg(",\"hairpinmode\":true", "\"subnet\":\"10.1.0.0/24\"")))
                .hasMessageContaining("unsupported field hairpinmode").hasMessageContaining("did you mean hairpinMode?");
        assertThatThrownBy(() -> CniConfig.parse(cfg("", "\"ranges\":[[{\"subnet\":\"10.1.0.0/24\",\"rangeStrat\":\"10.1.0.5\"}]]")))
                .hasMessageContaining("ipam.ranges[0][0].rangeStrat").hasMessageContaining("did you mean ipam.ranges[0][0].rangeStart?");
        assertThatThrownBy(() -> CniConfig.parse(cfg("", "\"subnet\":\"10.1.0.1/24\"")))
                .hasMessageContaining("ipam.subnet").hasMessageContaining("did you mean 10.1.0.0/24?");
        assertThatThrownBy(() -> CniConfig.parse(cfg("", "\"subnet\":\"10.1.0.0/24\",\"gateway\":\"10.2.0.1\"")))
                .hasMessageContaining("ipam.gateway").hasMessageContaining("outside the subnet");
        assertThatThrownBy(() -> CniConfig.parse(cfg(",\"mtu\":10", "\"subnet\":\"10.1.0.0/24\""))).hasMessageContaining("mtu");
        assertThat(code(cfg(",\"vlan\":5", "\"subnet\":\"10.1.0.0/24\""))).isEqualTo(CniError.UNSUPPORTED_FIELD);
        assertThat(code(cfg("", "\"ranges\":[[{\"subnet\":\"10.1.0.0/24\"}],[{\"subnet\":\"10.1.0.128/25\"}]]"))).isEqualTo(CniError.INVALID_CONFIG);
        assertThat(code(cfg("", "\"ranges\":[[{\"subnet\":\"10.1.0.0/24\"},{\"subnet\":\"fd00::/64\"}]]"))).isEqualTo(CniError.INVALID_CONFIG);
        assertThat(code("[1,2]")).isEqualTo(CniError.DECODING_FAILURE);
        assertThat(code("{\"cniVersion\":\"0.2.0\",\"name\":\"n\"}")).isEqualTo(CniError.INCOMPATIBLE_VERSION);
        assertThat(code(cfg(",\"runtimeConfig\":{\"portMappings\":[{\"hostPort\":80,\"containerPort\":80,\"protocol\":\"sctp\"}]},\"ipMasq\":true",
                "\"subnet\":\"10.1.0.0/24\""))).isEqualTo(CniError.UNSUPPORTED_FIELD);
        assertThat(code(cfg(",\"runtimeConfig\":{\"portMappings\":[{\"hostPort\":80,\"containerPort\":80}]}", "\"subnet\":\"10.1.0.0/24\"")))
                .as("ports without ipMasq").isEqualTo(CniError.INVALID_CONFIG);
    }

    @Test
    void aStoreFileThatDoesNotParseIsAnIoFailureNamingTheFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("t1.json"), "{not json");
        assertThatThrownBy(() -> new CniStore(dir, 1000).read("t1"))
                .isInstanceOfSatisfying(CniError.class, e -> assertThat(e.code()).isEqualTo(CniError.IO_FAILURE))
                .hasMessageContaining(dir.resolve("t1.json").toString());
    }

    @Test
    void allocationSkipsTheGatewayGoesRoundRobinAndWrapsAcrossRanges() throws CniError {
        CniConfig c = CniConfig.parse(cfg("", "\"ranges\":[[{\"subnet\":\"10.1.0.0/24\",\"rangeStart\":\"10.1.0.1\",\"rangeEnd\":\"10.1.0.3\"},"
                + "{\"subnet\":\"10.2.0.0/24\",\"rangeStart\":\"10.2.0.10\",\"rangeEnd\":\"10.2.0.10\"}],[{\"subnet\":\"fd00::/120\"}]]"));
        CniStore.State st = CniStore.State.EMPTY;
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<String> last = new ArrayList<>(st.last());
            List<Attachment.Ip> ips = CniAllocator.allocate("n", c.rangeSets(), st, last);
            got.add(ips.get(0).address() + " " + ips.get(1).address());
            st = st.with(new Attachment(new Attachment.Key("c" + i, "eth0"), "/x", "v", "m", ips, List.of()), last);
        }
        assertThat(got).containsExactly("10.1.0.2/24 fd00::2/120", "10.1.0.3/24 fd00::3/120", "10.2.0.10/24 fd00::4/120");
        // everything taken but the freed one: the walk wraps round to it
        CniStore.State freed = st.without(new Attachment.Key("c0", "eth0"));
        List<Attachment.Ip> again = CniAllocator.allocate("n", c.rangeSets(), freed, new ArrayList<>(freed.last()));
        assertThat(again.getFirst().address().toString()).isEqualTo("10.1.0.2/24");
        CniStore.State full = st;
        assertThatThrownBy(() -> CniAllocator.allocate("n", c.rangeSets(), full, new ArrayList<>(full.last())))
                .isInstanceOf(CniError.class).hasMessageContaining("no free address left in ipam.ranges[0]");
    }
}
