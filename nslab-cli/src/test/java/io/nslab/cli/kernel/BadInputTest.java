package io.nslab.cli.kernel;

import io.nslab.cli.ExitCode;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static io.nslab.cli.kernel.Cli.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Bad input: one line on stderr naming the problem, a non-zero exit, and nothing changed (checked with ip). */
@KernelTest
class BadInputTest {
    @BeforeEach void setUp() throws Exception {
        cleanup();
        ok("netns add ns1", "link add veth0 type veth peer name veth1", "link add br0 type bridge",
                "addr add 10.9.0.1/24 dev br0", "-n ns1 link set lo up");
    }

    @AfterEach void tearDown() throws Exception { cleanup(); }

    private String state() throws Exception {
        return ip(null, "link show").toString() + ip(null, "addr show") + ip(null, "route show") + ip("ns1", "link show")
                + ip("ns1", "addr show") + run(List.of("ip", "netns", "list")).out();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            frob show                                          | unknown object "frob"
            link frobnicate veth0                              | link frobnicate veth0: unknown command "frobnicate"
            link add veth2 type veth peer nmae veth3           | unknown keyword "veth3"
            link set veth0 up sideways                         | unknown keyword "sideways"
            addr add 10.0.1.0/33 dev veth0                     | invalid address or prefix "10.0.1.0/33"
            addr add 10.0.1.300/24 dev veth0                   | invalid address or prefix "10.0.1.300/24"
            route add 10.0.1.0/24 via 10.0.0.1.1               | invalid via address "10.0.0.1.1"
            link add averyveryverylongname type bridge         | interface name "averyveryverylongname" is too long
            link add a/b type bridge                           | interface name "a/b" contains '/'
            netns add a/b                                      | invalid namespace name "a/b"
            addr add 10.0.1.1/24 dev nosuchdev                 | addr add 10.0.1.1/24 dev nosuchdev: Cannot find device "nosuchdev"
            link set nosuchdev up                              | link set nosuchdev up: Cannot find device "nosuchdev"
            link set veth0 master nosuchbr                     | Cannot find device "nosuchbr"
            link set veth0 netns ns9                           | link set veth0 netns ns9: no such namespace "ns9"
            link add veth5 type veth peer name veth6 netns ns9 | no such namespace "ns9"
            -n ns9 link set lo up                              | no such namespace "ns9"
            link del nosuchdev                                 | link del nosuchdev: Cannot find device "nosuchdev"
            netns del ns9                                      | netns del ns9: no such namespace "ns9"
            addr del 10.9.9.9/24 dev br0                       | addr del 10.9.9.9/24 dev br0: EADDRNOTAVAIL (Cannot assign requested address)
            route del 10.77.0.0/16 dev br0                     | route del 10.77.0.0/16 dev br0: ESRCH (No such process)
            link add br0 type bridge                           | link add br0 type bridge: EEXIST (File exists)
            netns add ns1                                      | netns add ns1: namespace already exists
            addr add 10.0.1.1/24                               | missing device
            link set                                           | missing device
            """)
    void refusedWithOneLineAndNothingChanged(String line, String expected) throws Exception {
        String before = state();
        Result r = nslab(line);
        assertThat(r.code()).as("exit status").isNotEqualTo(ExitCode.OK);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("nslab: ").contains(expected).endsWith("\n");
        assertThat(r.err().lines().count()).as("one line: %s", r.err()).isEqualTo(1);
        assertThat(state()).as("nothing changed").isEqualTo(before);
    }

    @Test void syntaxErrorsAndKernelRefusalsHaveDifferentStatus() {
        assertThat(nslab("link add a/b type bridge").code()).isEqualTo(ExitCode.IP_INVALID);
        assertThat(nslab("link add br0 type bridge").code()).isEqualTo(ExitCode.FAILED);
        // as ip: a device that is not there is status 1 (ip's "Cannot find device"), not a kernel refusal
        assertThat(nslab("link del nosuchdev").code()).isEqualTo(ExitCode.USAGE);
    }
}
