package io.nslab.cli.kernel;

import io.nslab.cli.ExitCode;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.nslab.cli.kernel.Cli.*;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code link set DEV promisc|arp|multicast|allmulticast on|off}, checked by ip -j -d. */
@KernelTest
class LinkFlagsTest {
    @BeforeEach @AfterEach void clean() throws Exception { cleanup(); }

    @Test void flagsGoOnAndOffAsIpSetsThem() throws Exception {
        ok("link add x0 type veth peer name x1");
        var before = link(null, "x0");
        assertThat(flags(before)).contains("MULTICAST").doesNotContain("PROMISC", "NOARP", "ALLMULTI");

        ok("link set x0 promisc on arp off multicast off allmulticast on");
        var on = ip(null, "-d link show dev x0").get(0);
        assertThat(flags(on)).contains("PROMISC", "NOARP", "ALLMULTI").doesNotContain("MULTICAST");
        assertThat(on.get("promiscuity").asInt()).isEqualTo(1);
        assertThat(on.get("allmulti").asInt()).isEqualTo(1);
        // the other end is untouched, and nslab shows what ip shows
        assertThat(flags(link(null, "x1"))).doesNotContain("PROMISC", "NOARP", "ALLMULTI");
        var mine = nslab("-j link show dev x0").ok().json().get(0);
        assertThat(flags(mine)).containsExactlyElementsOf(flags(on));

        ok("link set dev x0 promisc off arp on multicast on allmulticast off");
        assertThat(flags(link(null, "x0"))).isEqualTo(flags(before));
        assertThat(ip(null, "-d link show dev x0").get(0).get("promiscuity").asInt()).isZero();
    }

    @Test void aFlagWithoutOnOrOffIsAUsageErrorAndChangesNothing() throws Exception {
        ok("link add x0 type veth peer name x1");
        var before = flags(link(null, "x0"));
        var r = nslab("link set x0 promisc");
        assertThat(r.code()).isEqualTo(ExitCode.IP_INVALID); // as ip: a keyword without its value is exit(-1)
        assertThat(r.err()).startsWith("nslab: ").contains("promisc");
        assertThat(r.err().lines().count()).isEqualTo(1);
        r = nslab("link set x0 arp maybe");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(flags(link(null, "x0"))).isEqualTo(before);
    }

    @Test void addrgenmodeNoneLeavesALinkWithoutItsLinkLocalAddress() throws Exception {
        ok("link add x0 type veth peer name x1", "link set x0 addrgenmode none", "link set x1 up", "link set x0 up");
        var x0 = ip(null, "-d link show dev x0").get(0);
        assertThat(x0.toString()).contains("\"inet6_addr_gen_mode\":\"none\"");
        assertThat(ip(null, "addr show dev x0").get(0).get("addr_info").toString()).doesNotContain("inet6");
        // the other end keeps the kernel's default and gets its fe80:: address
        assertThat(ip(null, "addr show dev x1").get(0).get("addr_info").toString()).contains("fe80:");
        var bad = nslab("link set x0 addrgenmode sometimes");
        assertThat(bad.code()).isEqualTo(ExitCode.IP_INVALID);
        assertThat(bad.err()).isEqualTo("nslab: link set x0 addrgenmode sometimes: \"addrgenmode\" takes eui64, none, stable_secret or random, not \"sometimes\"\n");
    }
}
