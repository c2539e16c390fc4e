package io.nslab.cli.lab;

import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In the test sandbox (not the initial network namespace) the host's limits (neighbour tables, backlog) cannot be read:
 * {@code plan} and {@code up} say so, once, and go on (nslab cannot tell; the host's limits are the host's).
 */
@KernelTest
class HostLimitsPreflightTest {
    static final Path S01 = LabCommandsTest.S01;
    static final String NOTE = "cannot be read here (not the initial network namespace)";

    @AfterEach void cleanUp() {
        LabCommandsTest.run("down", "s01");
    }

    @Test void planAndUpSayOnceThatTheLimitsCannotBeRead() throws Exception {
        LabCommandsTest.Run plan = LabCommandsTest.run("plan", S01.toString());
        assertThat(plan.code()).as(plan.err()).isZero();
        assertThat(plan.out()).contains("host limits: net.ipv4/ipv6.neigh.default.gc_thresh1/2/3 and net.core.netdev_max_backlog " + NOTE)
                .contains("this lab needs about 2 IPv4 and 0 IPv6 neighbour entries");

        LabCommandsTest.Run up = LabCommandsTest.run("up", S01.toString());
        assertThat(up.code()).as(up.err()).isZero();
        assertThat(up.err().split(Pattern.quote(NOTE), -1)).as(up.err()).hasSize(2);
    }

    @Test void tuneHostIsAcceptedAndTunesNothingWhereNothingIsKnown() throws Exception {
        String before = LabCommandsTest.ipState();
        LabCommandsTest.Run up = LabCommandsTest.run("up", "--tune-host", S01.toString());
        assertThat(up.code()).as(up.err()).isZero();
        assertThat(LabCommandsTest.run("down", "s01").code()).isZero();
        assertThat(LabCommandsTest.ipState()).isEqualTo(before);
    }
}
