package io.nslab.lab.host;

import io.nslab.lab.apply.Applier;
import io.nslab.lab.apply.LabDirs;
import io.nslab.lab.apply.Progress;
import io.nslab.lab.engine.LabEngine;
import io.nslab.lab.model.Lab;
import io.nslab.lab.validate.BigLabTest;
import io.nslab.lab.validate.Validator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The neighbour-table preflight and --tune-host against a procfs laid out in a temporary directory; no kernel. */
class HostLimitsTest {
    @TempDir Path proc;
    @TempDir Path run;

    static final String STAT_HEADER = "entries  allocs   destroys hash_grows lookups  hits     res_failed\n";

    @BeforeEach void defaults() throws IOException {
        for (String fam : new String[] {"ipv4", "ipv6"}) {
            Path d = Files.createDirectories(proc.resolve("sys/net/" + fam + "/neigh/default"));
            Files.writeString(d.resolve("gc_thresh1"), "128\n");
            Files.writeString(d.resolve("gc_thresh2"), "512\n");
            Files.writeString(d.resolve("gc_thresh3"), "1024\n");
        }
        Files.writeString(Files.createDirectories(proc.resolve("sys/net/core")).resolve("netdev_max_backlog"), "1000\n");
        Files.createDirectories(proc.resolve("net/stat"));
        // one row per CPU, each repeating the table's total (hex)
        Files.writeString(proc.resolve("net/stat/arp_cache"), STAT_HEADER + "0000000c 00000ba5 00000bdb 00000001 00007803 0000070e 00000011\n"
                + "0000000c 00000001 00000000 00000000 00000000 00000000 00000000\n");
        Files.writeString(proc.resolve("net/stat/ndisc_cache"), STAT_HEADER + "00000002 00000000 00000000 00000000 00000000 00000000 00000000\n");
    }

    /** The star with its port list over many lines: a lab file's lines are at most 65,536 characters. */
    static String wrapped(String star) {
        return star.replace(", p", ",\n        p");
    }

    static Lab star(int n) {
        return Validator.checkText(wrapped(BigLabTest.star(n)), "star.yaml").orThrow();
    }

    String sysctl(String fam, int k) throws IOException {
        return Files.readString(proc.resolve("sys/net/" + fam + "/neigh/default/gc_thresh" + k)).trim();
    }

    @Test void aSmallLabFitsABigOneIsRefusedNamingTheSysctls() {
        HostLimits host = new HostLimits(proc, run);
        HostLimits.Check small = host.check(HostNeed.of(star(10)));
        assertThat(small.readable()).isTrue();
        assertThat(small.fits()).isTrue();
        assertThat(small.tables().orElseThrow().get(0).inUse()).isEqualTo(12);
        assertThat(small.summary()).isEqualTo("host limits: neighbour entries ipv4 110 needed + 12 in use of gc_thresh3 1024, "
                + "ipv6 0 needed + 2 in use of gc_thresh3 1024; broadcast copies 10 of net.core.netdev_max_backlog 1000");

        // 1000 members: each resolves the bridge and the bridge each (2 x 1000), 1000 sampled pairs resolve each other (2 x 1000)
        HostNeed need = HostNeed.of(star(1000));
        assertThat(need.ipv4()).isBetween(4000, 4010);
        assertThat(need.ipv6()).isZero();
        HostLimits.Check big = host.check(need);
        assertThat(big.fits()).isFalse();
        assertThat(big.wanted()).containsOnlyKeys("net.ipv4.neigh.default.gc_thresh2", "net.ipv4.neigh.default.gc_thresh3",
                "net.core.netdev_max_backlog");
        assertThat(big.wanted()).containsEntry("net.core.netdev_max_backlog", 16384);
        int t3 = big.wanted().get("net.ipv4.neigh.default.gc_thresh3");
        assertThat(t3 % 1024).isZero();
        assertThat(t3).isGreaterThanOrEqualTo(2 * (need.ipv4() + 12));
        assertThat(big.message("star")).startsWith("up star: refused, nothing changed: the lab needs about " + need.ipv4() + " IPV4")
                .contains("(12 in use on this host) but net.ipv4.neigh.default.gc_thresh3 is 1024")
                .contains("and a broadcast copied to 1000 bridge ports at once but net.core.netdev_max_backlog is 1000")
                .contains("set net.ipv4.neigh.default.gc_thresh2=" + t3 / 2 + " net.ipv4.neigh.default.gc_thresh3=" + t3
                        + " net.core.netdev_max_backlog=16384 in the initial network namespace")
                .endsWith("or run up with --tune-host")
                .doesNotContain("\n");
    }

    static void openFiles(Path proc, int soft) throws IOException {
        Files.createDirectories(proc.resolve("self"));
        Files.writeString(proc.resolve("self/limits"), """
                Limit                     Soft Limit           Hard Limit           Units
                Max processes             95000                95000                processes
                Max open files            %d                %d                files
                """.formatted(soft, soft));
    }

    @Test void descriptorsDoNotGrowWithTheLab() throws IOException {
        // 10,000 nodes stopped at 20,000 open files when up kept a handle and a socket per node; it keeps 1,024 now
        openFiles(proc, 20_000);
        HostLimits host = new HostLimits(proc, run);
        assertThat(host.check(HostNeed.of(star(10_000))).need().files()).isEqualTo(2 * 1024 + 256);
        assertThat(host.check(HostNeed.of(star(10_000))).filesFit()).isTrue();
        assertThat(host.check(HostNeed.of(star(100))).need().files()).isEqualTo(2 * 101 + 256);
    }

    @Test void aLabNeedingMoreOpenFilesThanTheProcessMayIsRefused() throws IOException {
        openFiles(proc, 1024);
        HostLimits host = new HostLimits(proc, run);
        assertThat(host.check(HostNeed.of(star(100))).filesFit()).isTrue();
        HostLimits.Check big = host.check(HostNeed.of(star(10_000)));
        assertThat(big.filesFit()).isFalse();
        assertThat(big.filesMessage("star")).isEqualTo("up star: refused, nothing changed: the lab needs about 2304 open files"
                + " (a namespace handle and a netlink socket for each of up to 1024 namespaces at once) but this process may open 1024"
                + " (RLIMIT_NOFILE); raise it, e.g. ulimit -n 3072 before nslab up");
        LabEngine engine = new LabEngine(new LabDirs(run), () -> { throw new AssertionError("the kernel was asked"); }, host);
        assertThatThrownBy(() -> engine.up(star(10_000), Optional.empty(), Progress.NONE,
                Applier.FaultHook.NONE, true)).isInstanceOf(HostLimitException.class).hasMessageContaining("RLIMIT_NOFILE");
    }

    @Test void upStopsBeforeTouchingTheKernel() {
        LabEngine engine = new LabEngine(new LabDirs(run), () -> { throw new AssertionError("the kernel was asked"); },
                new HostLimits(proc, run));
        assertThatThrownBy(() -> engine.up(star(1000))).isInstanceOf(HostLimitException.class)
                .hasMessageContaining("net.ipv4.neigh.default.gc_thresh3 is 1024");
        assertThat(run.resolve("labs")).doesNotExist();
    }

    @Test void tuningRaisesRecordsAndRestoresAfterTheLastLab() throws IOException {
        HostLimits host = new HostLimits(proc, run);
        HostLimits.Check big = host.check(HostNeed.of(star(1000)));
        host.tune("a", big);
        String t3 = sysctl("ipv4", 3);
        assertThat(Integer.parseInt(t3)).isEqualTo(big.wanted().get("net.ipv4.neigh.default.gc_thresh3"));
        assertThat(sysctl("ipv4", 1)).isEqualTo("128");
        assertThat(sysctl("ipv6", 3)).isEqualTo("1024");
        assertThat(Files.readString(proc.resolve("sys/net/core/netdev_max_backlog"))).isEqualTo("16384");
        assertThat(host.recorded().orElseThrow()).containsEntry("net.ipv4.neigh.default.gc_thresh3", "1024")
                .containsEntry("net.ipv4.neigh.default.gc_thresh2", "512");
        // a second lab now fits; it joins the tuning, and the first lab's down keeps the values for it
        HostLimits.Check again = host.check(HostNeed.of(star(1000)));
        assertThat(again.fits()).isTrue();
        host.tune("b", again);
        host.release("a");
        assertThat(sysctl("ipv4", 3)).isEqualTo(t3);
        host.release("b");
        assertThat(sysctl("ipv4", 3)).isEqualTo("1024");
        assertThat(sysctl("ipv4", 2)).isEqualTo("512");
        assertThat(Files.readString(proc.resolve("sys/net/core/netdev_max_backlog"))).isEqualTo("1000");
        assertThat(host.recorded()).isEmpty();
        host.release("b");     // nothing recorded: nothing to do
    }

    @Test void whereTheLimitsCannotBeReadItSaysSoAndDoesNotStop() throws IOException {
        HostLimits host = new HostLimits(run.resolve("no-proc"), run);
        HostLimits.Check c = host.check(HostNeed.of(star(1000)));
        assertThat(c.readable()).isFalse();
        assertThat(c.fits()).isTrue();
        assertThat(c.note()).contains("cannot be read here (not the initial network namespace)").doesNotContain("\n");
        assertThatThrownBy(() -> host.tune("a", c)).hasMessageContaining("--tune-host").hasMessageContaining("not the initial network namespace");
    }
}
