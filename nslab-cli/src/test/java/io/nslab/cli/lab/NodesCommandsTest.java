package io.nslab.cli.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nslab.netlink.netns.NetNs;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.nslab.cli.lab.LabCommandsTest.child;
import static io.nslab.cli.lab.LabCommandsTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands of nodes that run things: up with run: processes, logs, exec on many nodes, status -o json, events,
 * and kill -9 of up while its processes start; what is left is checked through /proc, ip and the file system.
 */
@KernelTest
class NodesCommandsTest {
    @TempDir Path tmp;

    @AfterEach void cleanUp() {
        for (String lab : List.of("nc1", "nc2", "nc3")) run("down", lab);
    }

    /** Pids of live processes carrying a lab's token in their environment (an observer apart from nslab's own). */
    static List<Long> processesOf(String lab) throws IOException {
        List<Long> out = new ArrayList<>();
        byte[] needle = ("NSLAB_PROC=" + lab + ":").getBytes(StandardCharsets.UTF_8);
        try (DirectoryStream<Path> d = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : d) {
                try {
                    String env = new String(Files.readAllBytes(p.resolve("environ")), StandardCharsets.ISO_8859_1);
                    String stat = Files.readString(p.resolve("stat"));
                    char state = stat.charAt(stat.lastIndexOf(')') + 2);
                    if (state != 'Z' && env.contains(new String(needle, StandardCharsets.ISO_8859_1))) out.add(Long.parseLong(p.getFileName().toString()));
                } catch (IOException gone) {
                    // ended while we looked
                }
            }
        }
        return out;
    }

    @Test void upLogsExecOnManyStatusJsonDown() throws Exception {
        Path file = tmp.resolve("nc1.yaml");
        Files.writeString(file, """
                name: nc1
                nodes:
                  a:
                    run:
                      - {cmd: [sh, -c, "echo hello from a; exec nc -lk 7000"], ready: tcp 7000}
                  b: {}
                  c: {}
                links:
                  - ends: [{at: a:eth0, addresses: [10.81.0.1/24]}, {at: b:eth0, addresses: [10.81.0.2/24]}]
                  - ends: [{at: a:eth1, addresses: [10.81.1.1/24]}, {at: c:eth0, addresses: [10.81.1.2/24]}]
                expect:
                  - b reaches a tcp 7000
                """);
        var up = run("up", file.toString());
        assertThat(up.code()).as(up.err()).isZero();

        var logs = run("logs", "nc1", "a");
        assertThat(logs.out()).contains("hello from a");

        var exec = run("exec", "nc1", "--all", "--", "getent", "hosts", "a");
        assertThat(exec.code()).as(exec.err()).isZero();
        // each node names a by the address on its own subnet
        assertThat(exec.out()).contains("b | 10.81.0.1").contains("c | 10.81.1.1").contains("a | 10.81.0.1");
        var worst = run("exec", "nc1", "b,c", "--", "sh", "-c", "echo $NSLAB_NODE; [ $NSLAB_NODE = c ] && exit 5; exit 1");
        assertThat(worst.code()).isEqualTo(5);
        assertThat(worst.out()).contains("b | b").contains("c | c");

        assertThat(run("verify", file.toString()).code()).isZero();
        var status = run("status", "-o", "json", "nc1");
        assertThat(status.code()).as(status.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(status.out());
        JsonNode a = j.get("nodes").get(0);
        assertThat(a.get("name").asText()).isEqualTo("a");
        JsonNode eth0 = null;
        for (JsonNode i : a.get("interfaces")) if (i.get("name").asText().equals("eth0")) eth0 = i;
        assertThat(eth0).isNotNull();
        assertThat(eth0.get("kind").asText()).isEqualTo("veth");
        assertThat(eth0.get("state").asText()).isEqualTo("up");
        assertThat(eth0.get("peer").asText()).isEqualTo("b:eth0");
        assertThat(eth0.get("addresses").get(0).asText()).isEqualTo("10.81.0.1/24");
        assertThat(a.get("routes").toString()).contains("10.81.0.0/24");
        JsonNode proc = a.get("processes").get(0);
        assertThat(proc.get("state").asText()).isEqualTo("running");
        long pid = proc.get("pid").asLong();
        assertThat(Files.readAttributes(Path.of("/proc/" + pid + "/ns/net"), "unix:ino").get("ino"))
                .isEqualTo(Files.readAttributes(Path.of("/run/netns/nc1.a"), "unix:ino").get("ino"));
        assertThat(j.get("verify").get("passed").asBoolean()).isTrue();
        assertThat(j.get("file_problem").isNull()).isTrue();

        // the file no longer valid, then gone: status still shows the processes, from the run journal
        Files.writeString(file, "name: nc1\nnodes: [broken\n");
        var broken = run("status", "nc1");
        assertThat(broken.code()).as(broken.err()).isZero();
        assertThat(broken.out()).contains("is not valid").contains("process a[0] running pid " + pid + "  sh -c echo hello from a; exec nc -lk 7000");
        Files.delete(file);
        var gone = run("status", "-o", "json", "nc1");
        assertThat(gone.code()).as(gone.err()).isZero();
        JsonNode g = new ObjectMapper().readTree(gone.out());
        assertThat(g.get("file_problem").asText()).isEqualTo("is gone");
        JsonNode gp = g.get("nodes").get(0).get("processes").get(0);
        assertThat(gp.get("pid").asLong()).isEqualTo(pid);
        assertThat(gp.get("state").asText()).isEqualTo("running");
        assertThat(gp.get("cmd").toString()).isEqualTo("[\"sh\",\"-c\",\"echo hello from a; exec nc -lk 7000\"]");
        assertThat(g.get("nodes").get(0).get("interfaces").toString()).contains("10.81.0.1/24");
        assertThat(run("status", "nc1").out()).contains("is gone").contains("process a[0] running pid " + pid);

        assertThat(run("down", "nc1").code()).isZero();
        assertThat(processesOf("nc1")).isEmpty();
        assertThat(Path.of("/etc/netns/nc1.a")).doesNotExist();
    }

    @Test void kill9OfUpWhileProcessesStartThenDownLeavesNoProcessNamespaceOrFile() throws Exception {
        StringBuilder yaml = new StringBuilder("name: nc2\nnodes:\n");
        for (int i = 0; i < 20; i++)
            yaml.append("  n").append(i).append(":\n    run:\n      - {cmd: [sleep, \"300\"], ready: 1s}\n");
        yaml.append("  last:\n    run:\n      - {cmd: [sleep, \"300\"], ready: 60s, timeout: 90s, after: [n0]}\n");
        Path file = tmp.resolve("nc2.yaml");
        Files.writeString(file, yaml);
        Path journal = Path.of("/run/nslab/labs/nc2/run.journal");
        Process p = child(tmp.resolve("up.log"), "up", file.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline && p.isAlive()
                && !(Files.exists(journal) && Files.readString(journal).contains("\"node\":\"last\""))) Thread.sleep(5);
        assertThat(p.isAlive()).as("up ended before it could be killed: " + Files.readString(tmp.resolve("up.log"))).isTrue();
        p.destroyForcibly();                                    // SIGKILL: no hook, no rollback
        p.waitFor();
        assertThat(processesOf("nc2")).isNotEmpty();
        assertThat(NetNs.list()).anyMatch(n -> n.startsWith("nc2."));

        var down = run("down", file.toString());
        assertThat(down.code()).as(down.err()).isZero();
        assertThat(processesOf("nc2")).isEmpty();
        assertThat(NetNs.list()).noneMatch(n -> n.startsWith("nc2."));
        try (var s = Files.list(Path.of("/etc/netns"))) {
            assertThat(s.map(x -> x.getFileName().toString())).noneMatch(n -> n.startsWith("nc2."));
        } catch (NoSuchFileException none) {
            // no /etc/netns at all: nothing left there either
        }
        assertThat(Path.of("/run/nslab/labs/nc2")).doesNotExist();
    }

    @Test void eventsStreamsJsonLinesNamingNodeAndInterfaceAndEndsWhenTheLabGoesDown() throws Exception {
        Path file = tmp.resolve("nc3.yaml");
        Files.writeString(file, """
                name: nc3
                nodes: {a: {}, b: {}}
                links:
                  - ends: [{at: a:eth0, addresses: [10.82.0.1/24]}, {at: b:eth0, addresses: [10.82.0.2/24]}]
                """);
        assertThat(run("up", file.toString()).code()).isZero();
        Path log = tmp.resolve("events.log");
        Process p = child(log, "events", "nc3", "-j");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // the child subscribes before it prints anything; then a change by hand
            while (System.nanoTime() < deadline && p.isAlive()
                    && !Files.readString(log).contains("\"node\":\"b\",\"object\":\"link\",\"change\":\"new\",\"ifname\":\"eth0\",\"state\":\"down\"")) {
                new ProcessBuilder("ip", "-n", "nc3.b", "link", "set", "eth0", "down").start().waitFor();
                new ProcessBuilder("ip", "-n", "nc3.b", "link", "set", "eth0", "up").start().waitFor();
                Thread.sleep(500);
            }
            String out = Files.readString(log);
            assertThat(out).contains("{\"time\":").contains("\"node\":\"b\"").contains("\"object\":\"link\"")
                    .contains("\"ifname\":\"eth0\"").contains("\"state\":\"down\"");

            // down: the stream ends by itself, its last line saying so, exit 0
            assertThat(run("down", "nc3").code()).isZero();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(log)).isZero();
            List<String> lines = Files.readAllLines(log);
            JsonNode last = new ObjectMapper().readTree(lines.getLast());
            assertThat(last.get("object").asText()).isEqualTo("lab");
            assertThat(last.get("change").asText()).isEqualTo("del");
            assertThat(last.get("lab").asText()).isEqualTo("nc3");
            assertThat(last.get("state").asText()).isEqualTo("down");
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
            p.destroyForcibly();
        }
    }
}
