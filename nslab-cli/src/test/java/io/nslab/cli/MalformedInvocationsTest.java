package io.nslab.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fuzz of malformed invocations of every command, in process: each must end
 * with one line on stderr ("nslab: ..."), a usage, refusal or environment exit
 * status, never an internal error or a stack trace. None of them is valid, so
 * none changes anything (and none needs root: without it the answer is the
 * same kind of line).
 */
class MalformedInvocationsTest {
    @TempDir static Path tmp;
    static String dir, binary, nonUtf8, nulFile, empty, missing, valid;
    static final String LONG = "a".repeat(100);
    /** What a JVM makes of the bytes ff fe in an argument (the default charset is UTF-8). */
    static final String NOT_UTF8 = new String(new byte[] {(byte) 0xff, (byte) 0xfe}, StandardCharsets.UTF_8);

    @BeforeAll static void files() throws Exception {
        dir = tmp.toString();
        binary = Files.write(tmp.resolve("binary"), new byte[] {(byte) 0x7f, 'E', 'L', 'F', 2, 1, 1, 0, (byte) 0xc3, (byte) 0x28, (byte) 0xff}).toString();
        nonUtf8 = Files.write(tmp.resolve("latin1.yaml"), "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1)).toString();
        nulFile = Files.write(tmp.resolve("nul.yaml"), new byte[] {'n', 'a', 0, 'm', 'e'}).toString();
        empty = Files.write(tmp.resolve("empty.yaml"), new byte[0]).toString();
        missing = tmp.resolve("no-such-file.yaml").toString();
        Path repo = Path.of(System.getenv().getOrDefault("NSLAB_REPO", ".."));
        valid = repo.resolve("examples/s10-docker-bridge.yaml").toString();
    }

    static List<String[]> invocations() {
        List<String[]> l = new ArrayList<>();
        String[] badNames = {".", "..", LONG, NOT_UTF8, "a\nb", "a/b", "-", "", " ", "a b", "\u0000"};
        String[] badFiles = {dir, binary, nonUtf8, nulFile, missing, "/proc/self/fd", NOT_UTF8 + ".yaml"};
        // no arguments at all, unknown words, global options without their values
        l.add(new String[] {});
        l.add(new String[] {"frob"});
        l.add(new String[] {NOT_UTF8});
        l.add(new String[] {"-n"});
        l.add(new String[] {"-batch"});
        l.add(new String[] {"--bogus"});
        for (String n : badNames) l.add(new String[] {"-n", n, "link", "show"});
        for (String f : badFiles) l.add(new String[] {"-batch", f});
        // iproute2 objects
        for (String obj : List.of("netns", "link", "tuntap", "address", "route", "neighbour", "rule", "monitor")) {
            l.add(new String[] {obj, "frobnicate"});
            // "monitor add" is ip's "monitor address" (it runs); "rule add" alone adds ip's default rule
            if (obj.equals("monitor") || obj.equals("rule")) continue;
            l.add(new String[] {obj, "add"});
            l.add(new String[] {obj, "del"});
        }
        // names the kernel refuses (ip, and Linux, take any other: a netns name is a file name,
        // an interface name anything without '/', ':' or white space up to 15 bytes)
        for (String n : List.of(".", "..", "a/b", "", "a".repeat(300), "\u0000")) {
            l.add(new String[] {"netns", "add", n});
            l.add(new String[] {"netns", "del", n});
            l.add(new String[] {"netns", "exec", n, "true"});
        }
        for (String n : List.of(".", "..", LONG, "a/b", "", " ", "a b", "a\nb", "a:b", "\u0000")) {
            l.add(new String[] {"link", "add", n, "type", "bridge"});
            l.add(new String[] {"link", "set", n, "up"});
        }
        l.add(new String[] {"netns", "exec"});
        l.add(new String[] {"link", "add", "x0", "type", "nosuchkind"});
        l.add(new String[] {"link", "add", "x0", "type"});
        l.add(new String[] {"link", "add", LONG, "type", "veth", "peer", "name", "y0"});
        for (String mtu : List.of("abc", "-1", "99999999999", "1e3", "0x", ""))
            l.add(new String[] {"link", "set", "lo", "mtu", mtu});
        l.add(new String[] {"link", "set", "lo", "address", "zz:zz"});
        l.add(new String[] {"link", "set", "lo", "txqueuelen", "-3"});
        l.add(new String[] {"address", "add", "1.2.3.4/99", "dev", "lo"});
        l.add(new String[] {"address", "add", "garbage", "dev", "lo"});
        l.add(new String[] {"address", "add", "1.2.3.4/24"});
        l.add(new String[] {"address", "add", "1.2.3.4/24", "dev"});
        l.add(new String[] {"route", "add", "10.0.0.0/33", "dev", "lo"});
        l.add(new String[] {"route", "add", "default", "via", "300.1.1.1"});
        l.add(new String[] {"route", "add", "10.0.0.0/8", "metric", "abc"});
        l.add(new String[] {"route", "add", "10.0.0.0/8", "table", "99999999999"});
        l.add(new String[] {"neighbour", "add", "10.0.0.1", "lladdr", "zz", "dev", "lo"});
        l.add(new String[] {"rule", "add", "pref", "abc"});
        l.add(new String[] {"rule", "add", "from", "1.2.3.4/77"});
        l.add(new String[] {"tuntap", "add", "mode", "frob"});
        l.add(new String[] {"tuntap", "add", "tap0", "mode", "tap", "user", "no-such-user-xyz"});
        l.add(new String[] {"monitor", "frob"});
        // lab commands over files
        for (String cmd : List.of("validate", "plan", "up", "verify", "graph", "demo")) {
            if (!cmd.equals("demo")) l.add(new String[] {cmd});
            for (String f : badFiles) l.add(new String[] {cmd, f});
            l.add(new String[] {cmd, valid, "--no-such-option"});
        }
        l.add(new String[] {"graph", valid, "--format", "frob"});
        l.add(new String[] {"graph", valid, "--dir", binary});
        l.add(new String[] {"verify", valid, "--timeout", "abc"});
        l.add(new String[] {"demo", "--timeout", "abc"});
        // lab commands over names
        for (String cmd : List.of("down", "status")) {
            if (cmd.equals("down")) l.add(new String[] {cmd});
            for (String n : badNames) l.add(new String[] {cmd, n});
            for (String f : badFiles) l.add(new String[] {cmd, f});
        }
        l.add(new String[] {"exec"});
        l.add(new String[] {"exec", "lab"});
        for (String n : badNames) {
            l.add(new String[] {"exec", n, "node", "--", "true"});
            l.add(new String[] {"exec", "nolab", n, "--", "true"});
        }
        // networks
        l.add(new String[] {"net", "frob"});
        for (String sub : List.of("create", "rm", "inspect", "connect", "disconnect", "batch")) l.add(new String[] {"net", sub});
        l.add(new String[] {"net", "create", "n1"});
        for (String subnet : List.of("999.0.0.0/8", "10.0.0.0/99", "10.0.0.0", "abc", "", "10.0.0.0/-1"))
            l.add(new String[] {"net", "create", "n1", "--subnet", subnet});
        l.add(new String[] {"net", "create", "n1", "--subnet", "10.77.0.0/24", "--gateway", "10.78.0.1"});
        for (String n : badNames) {
            l.add(new String[] {"net", "create", n, "--subnet", "10.77.0.0/24"});
            l.add(new String[] {"net", "rm", n});
            l.add(new String[] {"net", "inspect", n});
            l.add(new String[] {"net", "connect", n, "c1"});
            l.add(new String[] {"net", "connect", "nonet", n});
            l.add(new String[] {"net", "disconnect", n, "c1"});
        }
        for (String p : List.of("abc", "99999:80", "80:99999", "1.2.3.4:x:80", "80:80/sctp", ":", ""))
            l.add(new String[] {"net", "connect", "nonet", "c1", "-p", p});
        for (String f : badFiles) l.add(new String[] {"net", "batch", f});
        return l;
    }

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), args);
        return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @Test @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void everyMalformedInvocationIsOneLineWithAUsageOrEnvironmentStatus() {
        Set<Integer> allowed = Set.of(ExitCode.USAGE, ExitCode.FAILED, ExitCode.ENVIRONMENT, ExitCode.IP_INVALID);
        List<String> bad = new ArrayList<>();
        List<String[]> all = invocations();
        for (String[] args : all) {
            Result r = run(args);
            String shown = "nslab " + Problems.oneLine(String.join(" ", args)) + " -> " + r.code() + ": " + r.err().strip();
            List<String> lines = r.err().lines().toList();
            if (!allowed.contains(r.code())) bad.add("exit status: " + shown);
            else if (r.err().contains("internal error") || r.err().contains("\tat ") || r.err().contains("Exception")) bad.add("internal: " + shown);
            else if (lines.size() != 1 || !lines.get(0).startsWith("nslab: ")) bad.add(lines.size() + " lines: " + shown);
        }
        assertThat(bad).as("of " + all.size() + " invocations").isEmpty();
    }

    @picocli.CommandLine.Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Override public Integer call() { throw new IllegalStateException("a bug"); }
    }

    @Test void aBugIsOneLineNamingAPrivateCrashFileWithTheTrace() throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), List.of(Main.command("boom", Boom::new)), "boom");
        String err = e.toString(StandardCharsets.UTF_8);
        assertThat(code).isEqualTo(ExitCode.INTERNAL);
        assertThat(err).hasLineCount(1).startsWith("nslab: internal error (a bug): java.lang.IllegalStateException: a bug; the stack trace is in ");
        var m = Pattern.compile("the stack trace is in (\\S+) ").matcher(err);
        assertThat(m.find()).isTrue();
        Path crash = Path.of(m.group(1));
        try {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(crash))).isEqualTo("rw-------");
            assertThat(Files.readString(crash)).contains("arguments: boom", "IllegalStateException: a bug", "io.nslab.cli.MalformedInvocationsTest$Boom.call(");
        } finally {
            Files.deleteIfExists(crash);
        }
    }

    @Test void aBadLabNameIsAUsageErrorNamingIt() {
        for (String cmd : List.of("down", "status")) {
            for (String n : List.of(".", "..", LONG, NOT_UTF8)) {
                Result r = run(cmd, n);
                assertThat(r.code()).as(cmd + " " + n).isEqualTo(ExitCode.USAGE);
                assertThat(r.err()).startsWith("nslab: bad lab name \"" + n + "\"").endsWith("\n").hasLineCount(1);
            }
        }
    }
}
