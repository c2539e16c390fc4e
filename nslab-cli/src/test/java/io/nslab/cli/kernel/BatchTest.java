package io.nslab.cli.kernel;

import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.nslab.cli.kernel.Cli.*;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code -batch}: iproute2 semantics plus {@code -n NS} at the start of a line. */
@KernelTest
class BatchTest {
    @BeforeEach @AfterEach void clean() throws Exception { cleanup(); }

    @Test void oneFileConfiguresManyNamespaces(@TempDir Path dir) throws Exception {
        StringBuilder b = new StringBuilder("""
                # the star workload, small
                link add br0 type bridge
                link set br0 up
                addr add 10.200.0.1/16 dev br0
                """);
        for (int i = 1; i <= 5; i++) {
            if (i % 2 == 0) { // ip's one-line form: up and master on link add
                b.append("netns add c").append(i).append('\n')
                        .append("link add v").append(i).append(" up master br0 type veth peer name eth0 netns c").append(i).append('\n')
                        .append("-n c").append(i).append(" link set lo up\n")
                        .append("-n c").append(i).append(" addr add 10.200.0.").append(i + 1).append("/16 dev eth0\n")
                        .append("-n c").append(i).append(" link set eth0 up\n")
                        .append("-n c").append(i).append(" route add default via 10.200.0.1\n");
                continue;
            }
            b.append("netns add c").append(i).append('\n')
                    .append("-n c").append(i).append(" link set lo up\n")
                    .append("link add v").append(i).append(" type veth peer name eth0 netns c").append(i).append('\n')
                    .append("link set v").append(i).append(" master br0\n")
                    .append("link set v").append(i).append(" up\n")
                    .append("-n c").append(i).append(" addr add 10.200.0.").append(i + 1).append("/16 dev eth0\n")
                    .append("-n c").append(i).append(" link set eth0 up\n")
                    .append("-n c").append(i).append(" route add default via 10.200.0.1\n");
        }
        Path f = dir.resolve("star.batch");
        Files.writeString(f, b);
        nslab("-batch " + f).ok();
        assertThat(run(List.of("ip", "netns", "list")).out().lines().count()).isEqualTo(5);
        for (int i = 1; i <= 5; i++) {
            assertThat(addrs("c" + i, "eth0")).contains("10.200.0." + (i + 1) + "/16");
            assertThat(flags(link("c" + i, "lo"))).contains("UP");
            assertThat(ip("c" + i, "route show default").get(0).get("gateway").asText()).isEqualTo("10.200.0.1");
            assertThat(link(null, "v" + i).get("master").asText()).isEqualTo("br0");
            assertThat(flags(link(null, "v" + i))).contains("UP");
        }
        assertThat(ping("c1", "10.200.0.6")).isTrue();
        assertThat(ping("c5", "10.200.0.1")).isTrue();
        // stdin, and the global -n applies to lines without their own
        nslabIn("addr add 10.201.0.1/24 dev eth0\n-n c2 addr add 10.202.0.1/24 dev eth0\n", "-n", "c1", "-batch", "-").ok();
        assertThat(addrs("c1", "eth0")).contains("10.201.0.1/24");
        assertThat(addrs("c2", "eth0")).contains("10.202.0.1/24");
    }

    @Test void stopsAtTheFirstErrorNamingFileAndLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("b");
        Files.writeString(f, """
                netns add n1
                link add br0 type bridge
                link set nosuch up
                link add br1 type bridge
                """);
        Result r = nslab("-batch " + f);
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).isEqualTo("nslab: " + f + ":3: link set nosuch up: Cannot find device \"nosuch\"\n");
        assertThat(ip(null, "link show").toString()).contains("\"br0\"").doesNotContain("\"br1\"");
    }

    @Test void aSyntaxErrorAnywhereStopsBeforeAnythingIsChanged(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("b");
        Files.writeString(f, "netns add n1\nlink add br0 type bridge\naddr add 10.0.0.1/99 dev br0\n");
        Result r = nslab("-batch " + f);
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).startsWith("nslab: " + f + ":3: addr add 10.0.0.1/99 dev br0: invalid address or prefix");
        assertThat(run(List.of("ip", "netns", "list")).out()).isEmpty();
        assertThat(ip(null, "link show").toString()).doesNotContain("br0");
    }

    @Test void forceGoesOnAndReportsEveryError(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("b");
        Files.writeString(f, """
                link add br0 type bridge
                link set nosuch up
                link add br1 type bridge
                bogus line
                -n nons link set lo up
                link add br2 type bridge
                link set br2 up
                """);
        Result r = nslab("-force -batch " + f);
        assertThat(r.code()).isNotZero();
        assertThat(r.err().lines().toList()).containsExactly(
                "nslab: " + f + ":2: link set nosuch up: Cannot find device \"nosuch\"",
                "nslab: " + f + ":4: unknown object \"bogus\" (try one of address, route, rule, neighbour, link, tuntap, monitor, netns, qdisc)",
                "nslab: " + f + ":5: link set lo up: no such namespace \"nons\"");
        assertThat(ip(null, "link show").toString()).contains("\"br0\"", "\"br1\"", "\"br2\"");
        assertThat(flags(link(null, "br2"))).contains("UP");
    }

    @Test void namespacesMadeAheadAreRemovedWhenTheBatchStops(@TempDir Path dir) throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= 10; i++) b.append("netns add m").append(i).append('\n');
        b.append("link set nosuch up\n");
        for (int i = 11; i <= 40; i++) b.append("netns add m").append(i).append('\n');
        Path f = dir.resolve("b");
        Files.writeString(f, b);
        Result r = nslab("-batch " + f);
        assertThat(r.err()).contains(":11: link set nosuch up");
        assertThat(run(List.of("ip", "netns", "list")).out().lines().map(l -> l.split(" ")[0]).sorted().toList())
                .containsExactlyInAnyOrder("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10");
    }

    @Test void consecutiveDeletionsRunTogetherButStopAtAMissingNamespace(@TempDir Path dir) throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= 12; i++) b.append("netns add d").append(i).append('\n');
        Path up = dir.resolve("up");
        Files.writeString(up, b);
        nslab("-batch " + up).ok();
        Path down = dir.resolve("down");
        b = new StringBuilder();
        for (int i = 1; i <= 6; i++) b.append("netns del d").append(i).append('\n');
        b.append("netns del d3\n");   // deleted above: the batch stops here
        for (int i = 7; i <= 12; i++) b.append("netns del d").append(i).append('\n');
        Files.writeString(down, b);
        Result r = nslab("-batch " + down);
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).isEqualTo("nslab: " + down + ":7: netns del d3: no such namespace \"d3\"\n");
        assertThat(run(List.of("ip", "netns", "list")).out().lines().map(l -> l.split(" ")[0]).sorted().toList())
                .containsExactlyInAnyOrder("d7", "d8", "d9", "d10", "d11", "d12");
        // -force: every deletion runs, each missing one reported in file order
        Files.writeString(down, "netns del d7\nnetns del nosuch\nnetns del d8\nnetns del d9\nnetns del d9\nnetns del d10\nnetns del d11\nnetns del d12\n");
        r = nslab("-force -batch " + down);
        assertThat(r.err().lines().toList()).containsExactly(
                "nslab: " + down + ":2: netns del nosuch: no such namespace \"nosuch\"",
                "nslab: " + down + ":5: netns del d9: no such namespace \"d9\"");
        assertThat(run(List.of("ip", "netns", "list")).out()).isEmpty();
    }
}
