package io.nslab.cli.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static io.nslab.cli.kernel.Cli.*;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code nslab qdisc ...} against tc: same grammar, same -j keys, bad input changes nothing. */
@KernelTest
class QdiscCliTest {
    @BeforeEach void setUp() throws Exception {
        cleanup();
        ok("netns add ns1", "-n ns1 link add veth0 type veth peer name veth1", "-n ns1 link set veth0 up", "-n ns1 link set veth1 up");
    }

    @AfterEach void tearDown() throws Exception { cleanup(); }

    static String tc(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", "ns1", "tc"));
        cmd.addAll(List.of(args));
        Result r = run(cmd);
        assertThat(r.code()).as("tc %s: %s", String.join(" ", args), r.err()).isZero();
        return r.out();
    }

    @Test
    void addChangeReplaceDelShowLikeTc() throws Exception {
        nslab("-n ns1 qdisc add dev veth0 root handle 1: tbf rate 10mbit burst 32kbit latency 400ms").ok();
        // same keys and values, except that tc reads the burst back through whole microseconds (4095 for 4096)
        JsonNode mine = nslab("-n ns1 -j qdisc show dev veth0").ok().json(), theirs = JSON.readTree(tc("-j", "qdisc", "show", "dev", "veth0"));
        assertThat(mine.get(0).get("options").get("burst").asLong()).isEqualTo(4096);
        assertThat(theirs.get(0).get("options").get("burst").asLong()).isBetween(4095L, 4096L);
        ((ObjectNode) mine.get(0).get("options")).remove("burst");
        ((ObjectNode) theirs.get(0).get("options")).remove("burst");
        assertThat(mine).isEqualTo(theirs);
        assertThat(nslab("-n ns1 qdisc show dev veth0").ok().out()).isEqualTo(tc("qdisc", "show", "dev", "veth0"));

        nslab("-n ns1 qdisc change dev veth0 root handle 1: tbf rate 5mbit burst 32k limit 30000").ok();
        JsonNode q = JSON.readTree(tc("-j", "qdisc", "show", "dev", "veth0")).get(0);
        assertThat(q.get("options").get("rate").asLong()).isEqualTo(625_000);

        nslab("-n ns1 qdisc replace dev veth0 root tbf rate 1mbit burst 32k latency 50ms peakrate 2mbit mtu 1600").ok();
        assertThat(nslab("-n ns1 qdisc show dev veth0").ok().out()).isEqualTo(tc("qdisc", "show", "dev", "veth0"));

        // tc's qdiscs as nslab shows them, all devices
        tc("qdisc", "add", "dev", "veth1", "root", "handle", "1:", "htb", "default", "10");
        tc("class", "add", "dev", "veth1", "parent", "1:", "classid", "1:10", "htb", "rate", "1mbit");
        tc("qdisc", "add", "dev", "veth1", "parent", "1:10", "handle", "10:", "pfifo", "limit", "100");
        JsonNode all = nslab("-n ns1 -j qdisc show").ok().json();
        assertThat(all.findValuesAsText("kind")).containsExactlyInAnyOrder("tbf", "htb", "pfifo")
                .containsExactlyInAnyOrderElementsOf(JSON.readTree(tc("-j", "qdisc", "show")).findValuesAsText("kind"));
        assertThat(all.findValuesAsText("dev")).containsExactlyInAnyOrder("veth0", "veth1", "veth1");
        JsonNode pfifo = nslab("-n ns1 -j qdisc show dev veth1").ok().json().get(1);
        assertThat(pfifo.get("parent").asText()).isEqualTo("1:10");
        assertThat(pfifo.get("handle").asText()).isEqualTo("10:");

        nslab("-n ns1 qdisc del dev veth0 root").ok();
        nslab("-n ns1 qdisc del dev veth1 root handle 1:").ok();
        assertThat(JSON.readTree(tc("-j", "qdisc", "show")).findValuesAsText("kind")).containsOnly("noqueue");
    }

    @Test
    void netemNamesItsConfigOptionAndChangesNothing() throws Exception {
        String before = tc("qdisc", "show");
        Result r = nslab("-n ns1 qdisc add dev veth0 root netem delay 100ms 10ms 25% loss random 1%");
        if (r.code() == 0) {
            // a kernel with netem (the full-kernel lane): tc sees it
            assertThat(JSON.readTree(tc("-j", "qdisc", "show", "dev", "veth0")).get(0).get("kind").asText()).isEqualTo("netem");
            return;
        }
        assertThat(r.err().strip()).isEqualTo("nslab: qdisc add dev veth0 root netem delay 100ms 10ms 25% loss random 1%: kernel lacks the netem qdisc (CONFIG_NET_SCH_NETEM)");
        assertThat(tc("qdisc", "show")).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            qdisc add dev veth0 root tbf rate 10mbits burst 32k latency 1ms | invalid rate "10mbits"
            qdisc add dev veth0 root tbf rate fast burst 32k latency 1ms    | invalid rate "fast"
            qdisc add dev veth0 root tbf rate 1mbit burst 32q latency 1ms   | invalid burst "32q"
            qdisc add dev veth0 root tbf rate 1mbit burst 32k               | either "limit" or "latency"
            qdisc add dev veth0 root tbf burst 32k latency 1ms              | "rate" parameter is mandatory
            qdisc add dev veth0 root netem loss 101%                        | invalid loss "101%" (over 100%)
            qdisc add dev veth0 root netem delay 10ms 1ms 150%              | invalid delay correlation "150%"
            qdisc add dev veth0 root netem delay soon                       | invalid delay "soon"
            qdisc add dev veth0 root frobq                                  | unknown qdisc kind "frobq"
            qdisc add dev veth0 root htb r2q 5                              | options of "htb" are not supported
            qdisc add dev veth0 parent 1:zz tbf rate 1mbit burst 1k limit 1 | invalid parent "1:zz"
            qdisc add dev veth0 tbf rate 1mbit burst 1k limit 1             | missing "root" or "parent X:Y"
            qdisc add root tbf rate 1mbit burst 1k limit 1                  | missing "dev DEV"
            qdisc add dev nope0 root tbf rate 1mbit burst 1k limit 1        | Cannot find device "nope0"
            qdisc frob dev veth0                                            | unknown command "frob"
            """)
    void badInputIsOneLineAndChangesNothing(String line, String expected) throws Exception {
        String before = tc("qdisc", "show");
        Result r = nslab("-n ns1 " + line);
        assertThat(r.code()).isNotZero();
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains(expected);
        assertThat(tc("qdisc", "show")).isEqualTo(before);
    }
}
