package io.nslab.cli.lab;

import io.nslab.cli.Main;
import io.nslab.testing.KernelTest;
import io.nslab.lab.apply.LabLock;
import io.nslab.netlink.netns.NetNs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The lab commands in process and in child JVMs (kill -9 during up, Ctrl-C during demo), on the sandbox kernel. */
@KernelTest
class LabCommandsTest {
    static final Path REPO = Path.of(System.getenv().getOrDefault("NSLAB_REPO", ".."));
    static final Path S01 = REPO.resolve("examples/s01-veth-pair.yaml");

    @TempDir Path tmp;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = LabCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @AfterEach void cleanUp() {
        for (String lab : List.of("s01", "s10", "big")) if (run("down", lab).code() != 0) run("down", "--recover", lab);
        if (NetNs.exists("s01.decoy")) {
            try {
                NetNs.delete("s01.decoy");
            } catch (Exception ignored) {
                // the sandbox's namespaces go with it
            }
        }
    }

    static String ipState() throws Exception {
        StringBuilder b = new StringBuilder();
        for (String[] c : new String[][] {{"ip", "-j", "link"}, {"ip", "-j", "addr"}, {"ip", "netns", "list"}, {"nft", "-j", "list", "ruleset"}}) {
            Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
            b.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .replaceAll("\"(stats64|stats)\":\\{[^}]*\\}", "")).append('\n');
            p.waitFor();
        }
        return b.toString();
    }

    @Test void validatePlanUpStatusVerifyUpAgainDown() throws Exception {
        String before = ipState();
        Run v = run("validate", S01.toString());
        assertThat(v.code()).as(v.err()).isZero();
        assertThat(v.out()).contains("lab s01 is valid: 2 nodes, 1 links");

        Run plan = run("plan", S01.toString());
        assertThat(plan.code()).as(plan.err()).isZero();
        assertThat(plan.out()).contains("+ netns add s01.ns1", "+ link add veth1 type veth peer veth2 netns s01.ns2 (netns s01.ns1)");

        Run up = run("up", S01.toString(), "-o", "json");
        assertThat(up.code()).as(up.err()).isZero();
        assertThat(up.out()).contains("\"lab\" : \"s01\"", "\"changed\" : true", "\"namespaces\" : [ \"s01.ns1\", \"s01.ns2\" ]");

        Run st = run("status", "-o", "json");
        assertThat(st.out()).contains("\"lab\" : \"s01\"", "\"state\" : \"up\"");

        Run ver = run("verify", S01.toString());
        assertThat(ver.code()).as(ver.out() + ver.err()).isZero();
        assertThat(ver.out()).contains("checks passed");

        Run again = run("up", S01.toString());
        assertThat(again.out()).contains("up s01: nothing to do");
        assertThat(run("plan", S01.toString()).out()).contains("0 to create, 0 to change, 0 to delete");

        Run exec = run("exec", "s01", "ns1", "--", "ip", "-br", "addr", "show", "veth1");
        assertThat(exec.code()).isZero();

        Run down = run("down", S01.toString());
        assertThat(down.code()).as(down.err()).isZero();
        assertThat(down.out()).contains("down s01: removed 2 namespace(s)");
        assertThat(ipState()).isEqualTo(before);
        assertThat(run("status").out()).contains("no labs");
    }

    /** Through Main, as ./nslab runs it: what a command prints without a final newline still comes out. */
    @Test void verifyPrintsItsTableThroughMain() throws Exception {
        var bytes = new ByteArrayOutputStream();
        var out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        var in = new ByteArrayInputStream(new byte[0]);
        assertThat(Main.run(out, System.err, in, "up", S01.toString())).isZero();
        bytes.reset();
        assertThat(Main.run(out, System.err, in, "verify", S01.toString())).isZero();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("checks passed");
    }

    @Test void verifyExitsNonZeroOnAMiss() throws Exception {
        Path bad = tmp.resolve("miss.yaml");
        Files.writeString(bad, Files.readString(S01).replace("ns1 reaches ns2", "ns1 cannot reach ns2"));
        assertThat(run("up", bad.toString()).code()).isZero();
        Run ver = run("verify", bad.toString(), "--timeout", "300");
        assertThat(ver.code()).isEqualTo(2);
        assertThat(ver.out()).contains("FAIL", "1 failed");
    }

    @Test void graphPrintsMermaidAndWritesFiles() throws Exception {
        Run g = run("graph", REPO.resolve("examples/s10-docker-bridge.yaml").toString());
        assertThat(g.code()).as(g.err()).isZero();
        assertThat(g.out()).contains("docker0");
        Run d = run("graph", REPO.resolve("examples/s10-docker-bridge.yaml").toString(), "-d", tmp.toString());
        assertThat(d.code()).isZero();
        assertThat(Files.readString(tmp.resolve("s10.svg"))).startsWith("<svg").contains("docker0");
        assertThat(tmp.resolve("s10.mmd")).exists();
    }

    @Test void aSecondRunOnALabIsRefusedWhileTheFirstHoldsItsLock() throws Exception {
        try (var lock = LabLock.acquire(Path.of("/run/nslab/labs/s01"), "s01")) {
            Run up = run("up", S01.toString());
            assertThat(up.code()).isEqualTo(2);
            assertThat(up.err()).contains("lab s01 is busy");
            assertThat(NetNs.list()).noneMatch(n -> n.startsWith("s01."));
        }
        assertThat(run("down", "nosuchlab").out()).contains("down nosuchlab: nothing to remove");
    }

    @Test void invalidFileIsRefusedWithItsProblems() throws Exception {
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "name: x\nnodes:\n  a:\nlinks:\n  - ends: [a:e0, b:e0]\n");
        Run up = run("up", bad.toString());
        assertThat(up.code()).isEqualTo(1);
        assertThat(up.err()).contains("bad.yaml:5:").contains("nothing was changed");
        assertThat(NetNs.list()).noneMatch(n -> n.startsWith("x."));
    }

    static Process child(Path log, String... args) throws IOException {
        return child(log, Map.of(), args);
    }

    static Process child(Path log, Map<String, String> env, String... args) throws IOException {
        assumeTrue(System.getenv("NSLAB_FULL_KERNEL") == null, "child JVMs crash in JIT-compiled code under QEMU TCG (SIGSEGV/SIGILL in String.substring, BigInteger.mulAdd, ...): the full-kernel lane leaves this to the main lane on the real kernel");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", Stream.of(System.getProperty("jdk.module.path"), System.getProperty("java.class.path"))
                    .filter(Objects::nonNull).collect(Collectors.joining(File.pathSeparator)), LabCli.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    @Test void downRecoverAfterAGarbledJournalRemovesTheLabAndLeavesADecoy() throws Exception {
        String before = ipState();
        assertThat(run("up", S01.toString()).code()).isZero();
        NetNs.create("s01.decoy");   // the lab's name form, not its mark
        Path journal = Path.of("/run/nslab/labs/s01/journal");
        List<String> lines = new ArrayList<>(Files.readAllLines(journal));
        lines.set(0, lines.get(0).replace("s01.", "s09."));
        Files.write(journal, lines);
        // through Main, as a user runs it: one line, exit 3 (an environment problem)
        ByteArrayOutputStream derr = new ByteArrayOutputStream();
        assertThat(Main.run(new PrintStream(new ByteArrayOutputStream()), new PrintStream(derr, true, StandardCharsets.UTF_8), "down", "s01")).isEqualTo(3);
        assertThat(derr.toString(StandardCharsets.UTF_8)).contains(journal + ":1: checksum mismatch", "nothing was removed", "`nslab down --recover s01`")
                .hasLineCount(1);
        assertThat(NetNs.list()).contains("s01.ns1", "s01.ns2", "s01.decoy");
        Run rec = run("down", "--recover", "s01");
        assertThat(rec.code()).as(rec.err()).isZero();
        assertThat(rec.err()).contains("nslab: down s01: not believing the journal (" + journal + ":1: checksum mismatch",
                "nslab: down s01: removes netns s01.ns1 (its lo carries nslab:lab:s01)", "nslab: down s01: removes netns s01.ns2",
                "nslab: down s01: leaves netns s01.decoy alone: its lo carries no alias, not nslab:lab:s01");
        assertThat(rec.out()).contains("down s01: removed 2 namespace(s)");
        assertThat(NetNs.list()).contains("s01.decoy").doesNotContain("s01.ns1", "s01.ns2");
        assertThat(Files.exists(journal.getParent())).isFalse();
        NetNs.delete("s01.decoy");
        assertThat(ipState()).isEqualTo(before);
    }

    @Test void aSignalRightAfterTheLastStepSaysTheLabIsUpAndDownRemovesIt() throws Exception {
        String before = ipState();
        for (String signal : List.of("TERM", "INT")) {
            Path log = tmp.resolve("up-" + signal + ".log");
            Process p = child(log, Map.of(UpCommand.PAUSE_AFTER_LAST_STEP, "1"), "up", S01.toString());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && p.isAlive() && !Files.readString(log).contains("paused after its last step")) Thread.sleep(5);
            assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
            new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(signal.equals("TERM") ? 143 : 130);
            assertThat(Files.readString(log)).contains("nslab: up s01: interrupted after its last step: the lab is up (`nslab down s01` removes it)")
                    .doesNotContain("rolled back");
            // up, whole, and what the message says removes it
            assertThat(NetNs.list()).contains("s01.ns1", "s01.ns2");
            Run st = run("status", "s01");
            assertThat(st.code()).as(st.err()).isZero();
            Run again = run("up", S01.toString());
            assertThat(again.out()).as(again.err()).contains("up s01: nothing to do");
            Run down = run("down", "s01");
            assertThat(down.code()).as(down.err()).isZero();
            assertThat(ipState()).isEqualTo(before);
        }
    }

    @Test void kill9DuringUpThenDownLeavesNothing() throws Exception {
        String before = ipState();
        Path file = BigLab.write(tmp, "big", 300);
        Path journal = Path.of("/run/nslab/labs/big/journal");
        Process p = child(tmp.resolve("up.log"), "up", file.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        // kill it once it is well into the work: namespaces made, links under way
        while (System.nanoTime() < deadline && p.isAlive()
                && !(Files.exists(journal) && Files.readString(journal).contains("\"op\":\"link\""))) Thread.sleep(2);
        assertThat(p.isAlive()).as("up finished before it could be killed: " + Files.readString(tmp.resolve("up.log"))).isTrue();
        p.destroyForcibly();                                   // SIGKILL: no hook, no rollback
        p.waitFor();
        assertThat(NetNs.list()).anyMatch(n -> n.startsWith("big."));
        Run down = run("down", file.toString());
        assertThat(down.code()).as(down.err()).isZero();
        assertThat(ipState()).isEqualTo(before);
    }

    @Test void ctrlCDuringUpRollsBack() throws Exception {
        String before = ipState();
        Path file = BigLab.write(tmp, "big", 300);
        Path journal = Path.of("/run/nslab/labs/big/journal");
        Path log = tmp.resolve("up.log");
        Process p = child(log, "up", file.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && p.isAlive()
                && !(Files.exists(journal) && Files.readString(journal).contains("\"op\":\"link\""))) Thread.sleep(2);
        assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(log)).contains("interrupted", "rolled back");
        assertThat(NetNs.list()).noneMatch(n -> n.startsWith("big."));
        assertThat(ipState()).isEqualTo(before);
    }

    @Test void ctrlCDuringDemoLeavesNothing() throws Exception {
        String before = ipState();
        Path log = tmp.resolve("demo.log");
        Process p = child(log, "demo");
        Path labDir = Path.of("/run/nslab/labs/s10");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && p.isAlive() && !Files.exists(labDir.resolve("journal"))) Thread.sleep(1);
        assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(NetNs.list()).as(Files.readString(log)).noneMatch(n -> n.startsWith("s10."));
        assertThat(ipState()).isEqualTo(before);
    }

    @Test void demoRunsEveryPhaseAndLeavesNothing() throws Exception {
        String before = ipState();
        Run demo = run("demo");
        assertThat(demo.code()).as(demo.out() + demo.err()).isZero();
        assertThat(demo.out()).contains("validate", "up", "verify", "graph", "s10.svg", "s10.mmd", "down", "all checks passed", "nothing left behind");
        System.out.println(demo.out());
        assertThat(ipState()).isEqualTo(before);
    }

    @Test void demoLeavesAUsersLabAlone() throws Exception {
        assertThat(run("up", REPO.resolve("examples/s10-docker-bridge.yaml").toString()).code()).isZero();
        Run demo = run("demo");
        assertThat(demo.code()).isEqualTo(2);
        assertThat(demo.err()).contains("lab s10 is already up");
        assertThat(NetNs.list()).contains("s10.docker");
    }
}
