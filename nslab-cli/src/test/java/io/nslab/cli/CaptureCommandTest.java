package io.nslab.cli;

import io.nslab.cli.capture.CaptureCommand;
import io.nslab.testing.KernelTest;
import io.nslab.netlink.netns.NetNs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code nslab capture}: a bad command line is one line before anything is
 * opened (no root needed); in the kernel tier, real pings between two named
 * namespaces captured to a file, to stdout as pcapng and as printed lines,
 * each checked against tcpdump.
 */
class CaptureCommandTest {
    record Out(int code, byte[] out, String err) {
        String text() { return new String(out, StandardCharsets.UTF_8); }
    }

    static Out run(String... args) {
        ByteArrayOutputStream raw = new ByteArrayOutputStream(), o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        List<Map.Entry<String, Supplier<Object>>> commands = List.of(Main.command("capture", () -> new CaptureCommand(() -> raw)));
        int code = Main.run(new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), commands, args);
        byte[] out = raw.size() > 0 ? raw.toByteArray() : o.toByteArray();
        return new Out(code, out, e.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "capture nosuchdev0 hots 10.0.0.1|capture: filter: unknown word \"hots\"",
            "capture nosuchdev0 tcp and|capture: filter: the expression ends too soon",
            "capture nosuchdev0 port http|capture: filter: \"http\" is not a port number (names are not looked up)",
            "capture nosuchdev0 ( tcp|capture: filter: missing \")\"",
            "capture nosuchdev0 -s 300000|capture: -s 300000: a snap length is 1 to 262144 (0: 262144)",
            "capture nosuchdev0 -c -1|capture: -c -1: a count is 1 or more",
            "-n a/b capture nosuchdev0|capture: -n \"a/b\": not a namespace name",
    })
    void badInvocationsAreOneLineBeforeAnythingOpens(String line, String message) {
        Out r = run(line.split(" "));
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).isEqualTo("nslab: " + message + "\n");
    }

    @Test void missingDeviceIsAUsageError() {
        Out r = run("capture");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("DEV");
    }

    // ---- kernel tier ----

    @AfterEach void cleanup() throws Exception {
        if (System.getenv("NSLAB_IN_SANDBOX") == null) return;
        for (String n : List.of("capa", "capb")) if (NetNs.exists(n)) NetNs.delete(n);
    }

    private static void pair() throws Exception {
        for (String l : List.of("netns add capa", "netns add capb",
                "link add va netns capa type veth peer name vb netns capb",
                "-n capa addr add 10.9.0.1/24 dev va", "-n capb addr add 10.9.0.2/24 dev vb",
                "-n capa link set va up", "-n capb link set vb up")) {
            Out r = run(l.split(" "));
            assertThat(r.code()).as("nslab %s: %s", l, r.err()).isZero();
        }
    }

    /** Runs nslab capture in the background and pings until it ends. */
    private static Out captureWhilePinging(String... args) throws Exception {
        CompletableFuture<Out> f = CompletableFuture.supplyAsync(() -> run(args));
        for (int i = 0; i < 40 && !f.isDone(); i++) {
            new ProcessBuilder("ip", "netns", "exec", "capa", "ping", "-c1", "-w1", "10.9.0.2")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            Thread.sleep(100);
        }
        return f.get();
    }

    private static List<String> tcpdump(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tcpdump"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s", cmd).isZero();
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    @Test @KernelTest void capturesToAFileThatTcpdumpReads(@TempDir Path dir) throws Exception {
        pair();
        Path file = dir.resolve("pings.pcapng");
        Out r = captureWhilePinging("-n", "capa", "capture", "va", "--timeout", "30", "-c", "4", "-w", file.toString(), "icmp");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).startsWith("listening on va, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n")
                .contains("4 packets captured\n").containsPattern("\n\\d+ packets received by filter\n0 packets dropped by kernel\n$");
        List<String> lines = tcpdump("-nn", "-e", "-t", "-r", file.toString());
        assertThat(lines).hasSize(4).allMatch(l -> l.contains(": 10.9.0.") && l.contains("ICMP echo "));
    }

    @Test @KernelTest void streamsPcapngToStdout(@TempDir Path dir) throws Exception {
        pair();
        Out r = captureWhilePinging("-n", "capa", "capture", "va", "--timeout", "30", "-c", "2", "-s", "96", "-w", "-", "icmp and host 10.9.0.2");
        assertThat(r.code()).as(r.err()).isZero();
        byte[] b = r.out();
        assertThat(b).startsWith(0x0A, 0x0D, 0x0D, 0x0A);
        Path file = Files.write(dir.resolve("stdout.pcapng"), b);
        assertThat(tcpdump("-nn", "-r", file.toString())).hasSize(2);
        assertThat(String.join("\n", tcpdump("-nn", "-v", "-r", file.toString()))).doesNotContain("bad");
    }

    @Test @KernelTest void printsLikeTcpdump(@TempDir Path dir) throws Exception {
        pair();
        Out r = captureWhilePinging("-n", "capa", "capture", "va", "--timeout", "30", "-c", "2", "icmp");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.text().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{6} ([0-9a-f:]{17}) > ([0-9a-f:]{17}), ethertype IPv4 \\(0x0800\\), length 98: "
                + "10\\.9\\.0\\.1 > 10\\.9\\.0\\.2: ICMP echo request, id \\d+, seq \\d+, length 64");
        assertThat(lines.get(1)).contains("10.9.0.2 > 10.9.0.1: ICMP echo reply");
    }

    @Test @KernelTest void timeoutEndsWithAValidEmptyFile(@TempDir Path dir) throws Exception {
        pair();
        Path file = dir.resolve("none.pcapng");
        Out r = run("-n", "capa", "capture", "va", "--timeout", "0.3", "-w", file.toString(), "udp port 9");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("0 packets captured\n0 packets received by filter\n");
        assertThat(tcpdump("-r", file.toString())).isEmpty();
    }

    /** Ctrl-C: a child JVM running nslab capture gets SIGINT; the file is whole and the counts are on stderr. */
    @Test @KernelTest void interruptLeavesAValidFileAndPrintsTheCounts(@TempDir Path dir) throws Exception {
        assumeTrue(System.getenv("NSLAB_FULL_KERNEL") == null, "child JVMs crash in JIT-compiled code under QEMU TCG (SIGSEGV/SIGILL in String.substring, BigInteger.mulAdd, ...): the full-kernel lane leaves this to the main lane on the real kernel");
        String modulePath = System.getProperty("jdk.module.path");
        org.junit.jupiter.api.Assumptions.assumeTrue(modulePath != null, "tests not on the module path");
        pair();
        Path file = dir.resolve("interrupted.pcapng");
        Path err = dir.resolve("stderr");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=io.nslab.netlink", "-p", modulePath, "-m", "io.nslab.cli/io.nslab.cli.Main",
                "-n", "capa", "capture", "va", "-w", file.toString(), "icmp")
                .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long until = System.nanoTime() + 20_000_000_000L;
            while (!Files.readString(err).contains("listening on") && System.nanoTime() < until) Thread.sleep(50);
            assertThat(Files.readString(err)).contains("listening on va");
            for (int i = 0; i < 3; i++) {
                new ProcessBuilder("ip", "netns", "exec", "capa", "ping", "-c1", "-w2", "10.9.0.2")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            }
            Thread.sleep(200);
            new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        String e = Files.readString(err);
        assertThat(e).contains("6 packets captured\n").containsPattern("\n6 packets received by filter\n0 packets dropped by kernel\n");
        assertThat(tcpdump("-nn", "-r", file.toString())).hasSize(6);
    }

    /** nslab capture LAB NODE:IF: the node's namespace is LAB.NODE, as the lab engine names it. */
    @Test @KernelTest void capturesOnALabNodesInterface(@TempDir Path dir) throws Exception {
        pair();
        NetNs.create("lab1.n1");
        try {
            for (String l : List.of("link add eth0 netns lab1.n1 type veth peer name vc netns capa",
                    "-n lab1.n1 addr add 10.8.0.1/24 dev eth0", "-n capa addr add 10.8.0.2/24 dev vc",
                    "-n lab1.n1 link set eth0 up", "-n capa link set vc up")) {
                Out r = run(l.split(" "));
                assertThat(r.code()).as("nslab %s: %s", l, r.err()).isZero();
            }
            CompletableFuture<Out> f = CompletableFuture.supplyAsync(() -> run("capture", "lab1", "n1:eth0", "-c", "2", "--timeout", "30", "icmp"));
            for (int i = 0; i < 40 && !f.isDone(); i++) {
                new ProcessBuilder("ip", "netns", "exec", "lab1.n1", "ping", "-c1", "-w1", "10.8.0.2")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
                Thread.sleep(100);
            }
            Out r = f.get();
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.err()).startsWith("listening on eth0,").contains("2 packets captured\n");
            assertThat(r.text().lines().toList()).hasSize(2).allMatch(l -> l.contains("ICMP echo"));
            Out missing = run("capture", "lab1", "n9:eth0");
            assertThat(missing.code()).isEqualTo(ExitCode.FAILED);
            assertThat(missing.err()).isEqualTo("nslab: capture: lab lab1 has no node n9 up (no netns lab1.n9)\n");
        } finally {
            NetNs.delete("lab1.n1");
        }
    }

    @Test @KernelTest void noSuchDeviceOrNamespace() throws Exception {
        pair();
        Out r = run("-n", "capa", "capture", "nosuch0");
        assertThat(r.code()).isEqualTo(ExitCode.FAILED);
        assertThat(r.err()).isEqualTo("nslab: capture: no device nosuch0 in netns capa\n");
        r = run("-n", "capa", "capture", "va", "-w", "/nonexistent-dir/x.pcapng");
        assertThat(r.code()).isEqualTo(ExitCode.ENVIRONMENT);
        assertThat(r.err()).isEqualTo("nslab: /nonexistent-dir/x.pcapng: no such file or directory\n");
        r = run("-n", "nonsuchns", "capture", "va");
        assertThat(r.code()).isEqualTo(ExitCode.FAILED);
        assertThat(r.err()).startsWith("nslab: capture: no netns nonsuchns");
    }
}
