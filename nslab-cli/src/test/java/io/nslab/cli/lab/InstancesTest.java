package io.nslab.cli.lab;

import io.nslab.testing.KernelTest;
import io.nslab.netlink.netns.NetNs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.nslab.cli.lab.LabCommandsTest.REPO;
import static io.nslab.cli.lab.LabCommandsTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code up FILE --name NAME}: instances of one file side by side, each taken by file or by name. */
@KernelTest
class InstancesTest {
    static final Path S02 = REPO.resolve("examples/s02-host-bridge.yaml");

    @TempDir Path tmp;

    @AfterEach void cleanUp() {
        for (String lab : List.of("s02", "s02b", "other")) run("down", lab);
    }

    static String ip(String... args) throws Exception {
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    @Test void twoInstancesOfOneFileUpInParallelAndVerify() throws Exception {
        String before = LabCommandsTest.ipState();
        var first = CompletableFuture.supplyAsync(() -> run("up", S02.toString()));
        var second = CompletableFuture.supplyAsync(() -> run("up", S02.toString(), "--name", "s02b"));
        LabCommandsTest.Run a = first.get(), b = second.get();
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(b.out()).contains("up s02b:");

        // the kernel, seen by ip: both copies, same addresses, each in its own namespaces
        String netns = ip("ip", "netns", "list");
        for (String n : List.of("host", "ns1", "ns2", "ns3")) assertThat(netns).contains("s02." + n, "s02b." + n);
        assertThat(ip("ip", "-n", "s02b.ns1", "-j", "addr", "show", "veth1")).contains("\"local\":\"10.0.0.1\"");
        assertThat(ip("ip", "-n", "s02.ns1", "-j", "addr", "show", "veth1")).contains("\"local\":\"10.0.0.1\"");

        // every other command takes the instance by name
        LabCommandsTest.Run vb = run("verify", "s02b");
        assertThat(vb.code()).as(vb.out() + vb.err()).isZero();
        assertThat(vb.out()).contains("checks passed");
        LabCommandsTest.Run va = run("verify", S02.toString());
        assertThat(va.code()).as(va.out() + va.err()).isZero();
        assertThat(run("plan", "s02b").out()).contains("plan s02b: 0 to create, 0 to change, 0 to delete");
        assertThat(run("plan", S02.toString(), "--name", "s02b").out()).contains("plan s02b: 0 to create");
        assertThat(run("up", S02.toString(), "--name", "s02b").out()).contains("up s02b: nothing to do");
        LabCommandsTest.Run st = run("status", "s02b", "-o", "json");
        assertThat(st.out()).contains("\"lab\" : \"s02b\"", "\"state\" : \"up\"", S02.toAbsolutePath().toString());
        LabCommandsTest.Run ex = run("exec", "s02b", "ns1", "--", "ip", "-j", "addr", "show", "veth1");
        assertThat(ex.code()).as(ex.err()).isZero();

        // down of one instance leaves the other whole
        assertThat(run("down", "s02b").code()).isZero();
        assertThat(NetNs.exists("s02b.ns1")).isFalse();
        assertThat(NetNs.exists("s02.ns1")).isTrue();
        assertThat(run("verify", S02.toString()).code()).isZero();
        assertThat(run("down", S02.toString()).code()).isZero();
        assertThat(LabCommandsTest.ipState()).isEqualTo(before);
    }

    @Test void aNameTakenByAnotherFileOrNotALabNameIsRefusedBeforeAnyChange() throws Exception {
        Path other = tmp.resolve("other.yaml");
        Files.writeString(other, "name: other\nnodes:\n  a:\n  b:\nlinks:\n  - ends: [a:eth0, b:eth0]\n");
        assertThat(run("up", other.toString(), "--name", "s02b").code()).isZero();
        String before = LabCommandsTest.ipState();

        LabCommandsTest.Run taken = run("up", S02.toString(), "--name", "s02b");
        assertThat(taken.code()).isEqualTo(2);
        assertThat(taken.err()).contains("up s02b: the name is taken by an instance of " + other.toAbsolutePath());
        LabCommandsTest.Run bad = run("up", S02.toString(), "--name", "a.b");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("--name \"a.b\": an instance name is 1-32 letters");
        LabCommandsTest.Run gone = run("verify", "nosuchlab");
        assertThat(gone.err()).contains("lab nosuchlab is not up here");
        assertThat(LabCommandsTest.ipState()).isEqualTo(before);
    }
}
