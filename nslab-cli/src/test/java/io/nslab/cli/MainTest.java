package io.nslab.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    record Out(int code, String out, String err) {}

    static Out run(List<Map.Entry<String, Supplier<Object>>> commands, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), commands, args);
        return new Out(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    @Command(name = "net")
    static final class FakeNet implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters List<String> words = List.of();

        @Override public Integer call() {
            spec.commandLine().getOut().println("net " + String.join(" ", words));
            return 5;
        }
    }

    @Test void ownCommandsRegisterWithOneLineAndWinOverIpAbbreviations() {
        var commands = List.of(Main.command("net", FakeNet::new));
        Out r = run(commands, "net", "create", "blue");
        assertThat(r.out()).isEqualTo("net create blue\n");
        assertThat(r.code()).isEqualTo(5);
        // "net" would otherwise be ip's abbreviation of netns
        assertThat(run(List.of(), "-j", "netns", "list").code()).isZero();
    }

    @Test void everyNslabCommandHasHelp() {
        for (var e : Main.NSLAB_COMMANDS) {
            Out h = run(Main.NSLAB_COMMANDS, e.getKey(), "--help");
            assertThat(h.code()).as(e.getKey()).isZero();
            assertThat(h.out()).as(e.getKey()).startsWith("Usage: nslab " + e.getKey());
        }
    }

    @Test void helpVersionAndUsageErrors() {
        Out h = run(List.of(), "--help");
        assertThat(h.code()).isZero();
        assertThat(h.out()).contains("-batch", "-force", "OBJECT");
        assertThat(run(List.of(), "-V").out()).contains("nslab 0.1.0");
        Out none = run(List.of());
        assertThat(none.code()).isEqualTo(ExitCode.USAGE);
        assertThat(none.err()).startsWith("nslab: ");
        Out badOpt = run(List.of(), "-zz", "link");
        assertThat(badOpt.code()).isEqualTo(ExitCode.IP_INVALID); // as ip: an unknown option is exit(-1)
        assertThat(badOpt.err().lines().count()).isEqualTo(1);
        Out unknown = run(List.of(), "frob");
        assertThat(unknown.err()).isEqualTo("nslab: unknown object \"frob\" (ip objects: address, route, rule, neighbour, link, tuntap, monitor, netns, qdisc; nslab's own commands: nslab --help)\n");
    }

    @Test void missingBatchFileIsOneLine() {
        Out r = run(List.of(), "-batch", "/nonexistent/file");
        assertThat(r.code()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).isEqualTo("nslab: -batch /nonexistent/file: no such file\n");
    }

    @Test void aCommandNamedExactlyBuildsOnlyItsOwnParser() {
        var commands = List.of(Main.command("net", FakeNet::new), Main.command("other", FakeNet::new));
        assertThat(Main.only(commands, new String[] {"net", "ls"})).extracting(Map.Entry::getKey).containsExactly("net");
        assertThat(Main.only(commands, new String[] {"-j", "other"})).extracting(Map.Entry::getKey).containsExactly("other");
        // help, abbreviations and unknown words see the whole tree
        assertThat(Main.only(commands, new String[] {"--help"})).hasSize(2);
        assertThat(Main.only(commands, new String[] {"ne"})).hasSize(2);
        assertThat(Main.only(commands, new String[] {"-n", "net", "link"})).hasSize(2);
        assertThat(run(commands, "other", "x").out()).isEqualTo("net x\n");
    }
}
