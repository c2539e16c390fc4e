package io.nslab.cli.net;

import io.nslab.testing.KernelTest;
import io.nslab.net.NetStore;
import io.nslab.net.NetlinkKernel;
import io.nslab.netlink.netns.NetNs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code nslab net ...} in-process, on the real kernel inside the test sandbox. */
@KernelTest
class NetCommandTest {
    @TempDir Path state;
    final List<String> made = new ArrayList<>();
    StringWriter out, err;

    @BeforeEach
    void sandboxOnly() {
        assumeTrue(System.getenv("NSLAB_IN_SANDBOX") != null, "not inside the test sandbox (test/sandbox/bin/java)");
    }

    @AfterEach
    void cleanup() {
        run("rm", "--force", "web");
        for (String n : made) {
            try { NetNs.delete(n); } catch (Exception ignored) { }
        }
    }

    int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cl = new CommandLine(new NetCommand(new NetStore(state), new NetlinkKernel()));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void createConnectLsInspectDisconnectRm() throws Exception {
        for (String n : List.of("clihost", "app")) { NetNs.create(n); made.add(n); }
        assertThat(run("create", "web", "--subnet", "10.44.0.0/24", "--ns", "clihost", "--bridge", "br-web")).isZero();
        assertThat(run("connect", "web", "app", "-p", "8080:80", "-p", "5353:53/udp", "--ip", "10.44.0.10")).as(err.toString()).isZero();
        assertThat(out.toString().strip()).isEqualTo("app eth0 10.44.0.10");
        assertThat(run("ls")).isZero();
        assertThat(out.toString()).contains("web", "10.44.0.0/24", "10.44.0.1", "br-web", "clihost");
        assertThat(run("inspect", "web")).isZero();
        assertThat(out.toString()).contains("\"address\" : \"10.44.0.10/24\"", "\"hostPort\" : 8080", "\"proto\" : \"udp\"",
                "table ip nslab-net-web {", "tcp . 8080 : 10.44.0.10", "udp . 5353 : 53", "th dport map @pub-port");
        assertThat(run("rm", "web")).isEqualTo(NetCommand.FAILED);
        assertThat(err.toString().strip()).isEqualTo("nslab: net rm web: network still has 1 endpoint(s) connected (app); disconnect them or use --force");
        assertThat(run("disconnect", "web", "app")).isZero();
        assertThat(run("disconnect", "web", "app")).isZero();
        assertThat(err.toString()).contains("app is not connected to web; nothing to do");
        assertThat(run("rm", "web")).isZero();
        assertThat(run("ls", "--json")).isZero();
        assertThat(out.toString().strip()).isEqualTo("[ ]");
    }

    @Test
    void aBadNetworkFileIsNamedAndTheOthersStillWork() throws Exception {
        assertThat(run("create", "web", "--subnet", "10.45.0.0/24")).as(err.toString()).isZero();
        Files.writeString(state.resolve("bad.json"), "{}");
        Files.setPosixFilePermissions(state.resolve("bad.json"), PosixFilePermissions.fromString("rw-------"));
        assertThat(run("ls")).isZero();
        assertThat(out.toString()).contains("web", "10.45.0.0/24").doesNotContain("bad");
        assertThat(err.toString().strip()).isEqualTo("nslab: warning: network bad: " + state.resolve("bad.json") + ": field 'name' is missing");
        assertThat(run("inspect", "bad")).isEqualTo(NetCommand.FAILED);
        assertThat(err.toString().strip()).isEqualTo("nslab: network bad: " + state.resolve("bad.json") + ": field 'name' is missing");
    }

    @Test
    void badInputIsOneLineAndExitCodeOne() throws Exception {
        assertThat(run("create", "web", "--subnet", "10.44.0.0/33")).isEqualTo(NetCommand.FAILED);
        assertThat(err.toString()).isEqualTo("nslab: net create web: bad subnet 10.44.0.0/33: prefix length out of range 0..32: 33" + System.lineSeparator());
        assertThat(run("connect", "nonet", "x")).isEqualTo(NetCommand.FAILED);
        assertThat(err.toString().strip()).isEqualTo("nslab: net connect nonet x: no such network: nonet");
        assertThat(run("create", "web")).isEqualTo(2); // usage: --subnet missing
    }

    @Test
    void batchRunsManyCommandsInOneProcessAndStopsAtTheFirstFailure() throws Exception {
        for (String n : List.of("bhost", "b1", "b2")) { NetNs.create(n); made.add(n); }
        Path f = state.resolve("cmds.txt");
        Files.writeString(f, """
                # a network and two attachments
                create web --subnet 10.45.0.0/24 --ns bhost
                connect web b1 -p 8080:80
                connect web b2 -p 8080:80
                connect web b2 -p 8081:80
                """);
        assertThat(run("batch", f.toString())).isEqualTo(NetCommand.FAILED);
        assertThat(err.toString()).contains("nslab: net connect web b2: port 8080:80/tcp is already published (to b1 on network web)",
                "nslab: net batch: stopped at line 4 of " + f);
        assertThat(out.toString()).contains("b1 eth0 10.45.0.2").doesNotContain("b2 eth0");
        Files.writeString(f, "connect web b2 -p 8081:80\ndisconnect web b1\ndisconnect web b2\n");
        assertThat(run("batch", "--timing", f.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("b2 eth0 10.45.0.3");
        assertThat(err.toString()).containsPattern("nslab: net batch: line 3: [0-9.]+ ms");
    }
}
