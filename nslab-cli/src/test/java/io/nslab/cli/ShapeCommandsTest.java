package io.nslab.cli;

import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code nslab impair}, {@code link-state}, {@code verify --capture} and {@code capture FILE NODE:IF} on a lab
 * that is up, each checked with tc, ip and tcpdump.
 */
@KernelTest
class ShapeCommandsTest {
    @TempDir Path dir;

    record Out(int code, String out, String err) {}

    static Out nslab(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), Main.NSLAB_COMMANDS, args);
        return new Out(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    static String sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    static final String LAB = """
            name: shc
            nodes:
              a:
              b:
                serve: [tcp 5201]
            links:
              - ends: [{at: a:eth0, addresses: [10.9.0.1/24]}, {at: b:eth0, addresses: [10.9.0.2/24]}]
                impair: {rate: 10mbit}
            expect:
              - a reaches b
              - a reaches b tcp 5201 rate >= 50mbit
            """;

    @AfterEach void down() {
        nslab("down", "shc");
    }

    @Test void impairLinkStateVerifyCaptureAndCaptureByFile() throws Exception {
        Path file = dir.resolve("shc.yaml");
        Files.writeString(file, LAB);
        Out up = nslab("up", file.toString());
        assertThat(up.code()).as(up.err()).isZero();
        assertThat(sh("tc", "-n", "shc.a", "-j", "qdisc", "show", "dev", "eth0")).contains("\"kind\":\"tbf\"").contains("\"rate\":1250000");

        // run-time impairment, shown, refused when bad
        assertThat(nslab("impair", "shc", "a:eth0", "rate", "2mbit").code()).isZero();
        assertThat(sh("tc", "-n", "shc.a", "-j", "qdisc", "show", "dev", "eth0")).contains("\"rate\":250000");
        assertThat(nslab("impair", file.toString(), "a:eth0").out()).isEqualTo("a:eth0 rate 2Mbit (tbf)\n");
        Out bad = nslab("impair", "shc", "a:eth0", "loss", "150%");
        assertThat(bad.code()).isEqualTo(ExitCode.USAGE);
        assertThat(bad.err()).isEqualTo("nslab: impair: invalid loss \"150%\" (over 100%)\n");
        Out netem = nslab("impair", "shc", "a:eth0", "delay", "10ms");
        if (netem.code() != 0) {      // this kernel: no netem, and the tbf stays
            assertThat(netem.err()).isEqualTo("nslab: qdisc replace dev eth0 root netem: kernel lacks the netem qdisc (CONFIG_NET_SCH_NETEM)\n");
            assertThat(sh("tc", "-n", "shc.a", "-j", "qdisc", "show", "dev", "eth0")).contains("\"rate\":250000");
        }
        assertThat(nslab("impair", "shc", "a:eth0", "rate", "10mbit").code()).isZero();

        // a link flap
        assertThat(nslab("link-state", "shc", "b:eth0", "down").code()).isZero();
        assertThat(sh("ip", "-n", "shc.b", "-br", "link", "show", "eth0")).contains("DOWN");
        assertThat(nslab("link-state", "shc", "b:eth0", "up").code()).isZero();
        assertThat(nslab("link-state", "shc", "b:eth0", "sideways").err()).isEqualTo("nslab: link-state: \"sideways\" is not down or up\n");

        // the rate expectation fails (10 mbit is not 50): its check is captured on a:eth0 and b:eth0
        Path caps = dir.resolve("caps");
        Out v = nslab("verify", file.toString(), "--capture", caps.toString());
        assertThat(v.code()).as(v.out() + v.err()).isEqualTo(ExitCode.FAILED);
        assertThat(v.out()).containsPattern("FAIL +a +b +tcp 10.9.0.2:5201 rate >= 50Mbit");
        List<Path> files;
        try (Stream<Path> s = Files.list(caps)) { files = s.sorted().toList(); }
        Path rate = caps.resolve("02-a-b.pcapng");
        assertThat(files).contains(rate);
        assertThat(v.err()).contains("capture: " + rate + " (").contains("packets on a:eth0, b:eth0;");
        String read = sh("tcpdump", "-nn", "-r", rate.toString());
        assertThat(read).contains("10.9.0.1.").contains("> 10.9.0.2.5201: Flags [S]");
        assertThat(sh("tcpdump", "-nn", "-r", rate.toString(), "tcp", "port", "5201").lines().count()).isGreaterThan(100);

        // capture by the lab's file
        CompletableFuture<Out> f = CompletableFuture.supplyAsync(() -> nslab("capture", file.toString(), "a:eth0", "-c", "2", "--timeout", "30", "icmp"));
        for (int i = 0; i < 40 && !f.isDone(); i++) {
            new ProcessBuilder("ip", "netns", "exec", "shc.a", "ping", "-c1", "-w1", "10.9.0.2")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            Thread.sleep(100);
        }
        Out c = f.get();
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out().lines().toList()).hasSize(2).allMatch(l -> l.contains("ICMP echo"));
    }
}
