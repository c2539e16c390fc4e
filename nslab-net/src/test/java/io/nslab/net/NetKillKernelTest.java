package io.nslab.net;

import com.fasterxml.jackson.databind.JsonNode;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.nslab.net.NetEngine.ConnectRequest;
import static io.nslab.net.NetEngine.CreateRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code net connect} killed with SIGKILL at every moment it could die (and
 * stopped with SIGTERM or SIGINT at every third of them) (after
 * k kernel calls, netlink requests, journal and store writes: {@link KillWorker}
 * in a child JVM), then the next command run: a connect of another namespace
 * and a disconnect of the victim, or {@code rm --force}. Observed with
 * {@code ip -j link} / {@code ip -j addr} in every namespace involved: no
 * veth may be left behind and no address may be held twice.
 */
@KernelTest
class NetKillKernelTest {
    static final String NET = "kill", HOST = "kh", A = "ka", B = "kb", C = "kc";
    static final String[] PORTS = {"8080:80", "127.0.0.1:9091:80", "5353:53/udp"};
    static final int MOMENTS = 30;

    @TempDir Path state;
    Sandbox sb;
    NetEngine engine;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(System.getenv("NSLAB_FULL_KERNEL") == null, "child JVMs crash in JIT-compiled code under QEMU TCG (SIGSEGV/SIGILL in String.substring, BigInteger.mulAdd, ...): the full-kernel lane leaves this to the main lane on the real kernel");
        Sandbox.preconditions();
        sb = new Sandbox();
        for (String ns : List.of(HOST, A, B, C)) sb.ns(ns);
        engine = new NetEngine(new NetStore(state), new NetlinkKernel());
        create();
    }

    void create() throws Exception {
        engine.create(CreateRequest.of(NET, "10.77.0.0/24").withHostNs(HOST));
        engine.connect(ConnectRequest.of(NET, A).withPorts("8081:80"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (engine != null) for (Network n : engine.list()) engine.remove(n.name(), true);
        if (sb != null) sb.close();
    }

    @Test
    void connectKilledAtThirtyMomentsThenConnectAndDisconnectLeaveNothingBehind() throws Exception {
        List<String> report = new ArrayList<>();
        for (int k : moments()) {
            String at = killConnectAt(k);
            // the next commands: another namespace connects, the victim is disconnected
            Endpoint c = engine.connect(ConnectRequest.of(NET, C));
            // killed after the store write: the connect of B had finished, and B stays until its disconnect
            boolean finished = engine.inspect(NET).endpoint(B).isPresent();
            check("k=" + k + " (" + at + ") after connect " + C, finished ? Set.of(A, B, C) : Set.of(A, C));
            engine.disconnect(NET, B);
            check("k=" + k + " (" + at + ") after disconnect " + B, Set.of(A, C));
            engine.disconnect(NET, C);
            check("k=" + k + " after disconnect " + C, Set.of(A));
            report.add(k + " " + at + (finished ? " (connect had finished)" : "") + " -> " + C + " got " + c.address().getHostAddress());
        }
        System.out.println("connect killed, then connect + disconnect:\n  " + String.join("\n  ", report));
        assertThat(report).hasSize(MOMENTS);
    }

    @Test
    void connectKilledAtThirtyMomentsThenRmForceLeavesNothingBehind() throws Exception {
        List<String> report = new ArrayList<>();
        for (int k : moments()) {
            String at = killConnectAt(k);
            engine.remove(NET, true);
            for (String ns : List.of(A, B, C)) assertThat(Sandbox.linkNames(Optional.of(ns))).as("k=%d (%s): links in %s", k, at, ns).containsExactly("lo");
            assertThat(Sandbox.linkNames(Optional.of(HOST))).as("k=%d (%s): links in %s", k, at, HOST).containsExactly("lo");
            assertThat(Sandbox.nftRuleset(Optional.of(HOST)).path("nftables")).as("k=%d: ruleset", k).isEmpty();
            assertThat(journals()).as("k=%d: journals", k).isEmpty();
            assertThat(engine.list()).isEmpty();
            report.add(k + " " + at);
            create();
        }
        System.out.println("connect killed, then rm --force:\n  " + String.join("\n  ", report));
        assertThat(report).hasSize(MOMENTS);
    }

    @Test
    void connectStoppedBySigtermOrSigintThenConnectAndDisconnectLeaveNothingBehind() throws Exception {
        List<String> report = new ArrayList<>();
        List<Integer> all = moments();
        for (int i = 0; i < all.size(); i += 3) {
            int k = all.get(i);
            String signal = (i / 3) % 2 == 0 ? "TERM" : "INT";
            String at = stopConnectAt(k, signal);
            Endpoint c = engine.connect(ConnectRequest.of(NET, C));
            boolean finished = engine.inspect(NET).endpoint(B).isPresent();
            check("SIG" + signal + " k=" + k + " (" + at + ") after connect " + C, finished ? Set.of(A, B, C) : Set.of(A, C));
            engine.disconnect(NET, B);
            check("SIG" + signal + " k=" + k + " (" + at + ") after disconnect " + B, Set.of(A, C));
            engine.disconnect(NET, C);
            check("SIG" + signal + " k=" + k + " after disconnect " + C, Set.of(A));
            report.add("SIG" + signal + " " + k + " " + at + (finished ? " (connect had finished)" : "") + " -> " + C + " got " + c.address().getHostAddress());
        }
        System.out.println("connect stopped by a signal, then connect + disconnect:\n  " + String.join("\n  ", report));
        assertThat(report).hasSize(MOMENTS / 3);
    }

    /** Runs the connect of {@link #B} in a child JVM and sends it SIG{@code signal} at point {@code k}. */
    String stopConnectAt(int k, String signal) throws Exception {
        Process p = child(k);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line = r.readLine();
            assertThat(line).as("child output at k=%d", k).startsWith("STOP " + k + " ");
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(p.pid())).inheritIO().start();
            assertThat(kill.waitFor()).isZero();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor();
                throw new AssertionError("SIG" + signal + " did not stop the child at k=" + k);
            }
            // the JVM's exit on SIGTERM/SIGINT: 128 + the signal number
            assertThat(p.exitValue()).as("exit at k=%d", k).isEqualTo(signal.equals("TERM") ? 143 : 130);
            return line.substring(("STOP " + k + " ").length());
        }
    }

    /** MOMENTS distinct points of a complete connect, spread over all of them. */
    List<Integer> moments() throws Exception {
        // twice: the first connect with a port on 127.0.0.1 also sets route_localnet on the bridge (3 more points)
        int total = Integer.MAX_VALUE;
        for (int i = 0; i < 2; i++) {
            String done = run(Integer.MAX_VALUE);
            assertThat(done).startsWith("DONE ");
            total = Math.min(total, Integer.parseInt(done.substring(5).strip()));
            engine.disconnect(NET, B);
        }
        assertThat(total).as("points in one connect").isGreaterThanOrEqualTo(MOMENTS);
        Set<Integer> ks = new LinkedHashSet<>();
        for (int i = 0; i < MOMENTS; i++) ks.add(1 + (int) Math.round((double) i * (total - 1) / (MOMENTS - 1)));
        assertThat(ks).hasSize(MOMENTS);
        return new ArrayList<>(ks);
    }

    /** Runs the connect of {@link #B} in a child JVM, SIGKILLs it at point {@code k}; returns the point's name. */
    String killConnectAt(int k) throws Exception {
        String line = run(k);
        assertThat(line).as("k=%d", k).startsWith("STOP " + k + " ");
        return line.substring(("STOP " + k + " ").length());
    }

    String run(int k) throws Exception {
        Process p = child(k);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line = r.readLine();
            assertThat(line).as("child output at k=%d", k).isNotNull();
            if (line.startsWith("STOP ")) {
                p.destroyForcibly(); // SIGKILL
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).isEqualTo(137);
            } else {
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).isZero();
            }
            return line;
        }
    }

    Process child(int k) throws Exception {
        String cp = Stream.of(System.getProperty("jdk.module.path"), System.getProperty("java.class.path"))
                .filter(Objects::nonNull).collect(Collectors.joining(File.pathSeparator));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto", "--enable-native-access=ALL-UNNAMED",
                "-cp", cp, KillWorker.class.getName(), state.toString(), NET, B, String.valueOf(k)));
        cmd.addAll(List.of(PORTS));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /**
     * The kernel agrees with the store: veths in the host namespace are exactly
     * the stored endpoints' (of {@code connected}), every other namespace has
     * only {@code lo}, and no address of the subnet is held twice.
     */
    void check(String when, Set<String> connected) throws Exception {
        Network n = engine.inspect(NET);
        assertThat(n.endpoints().stream().map(Endpoint::ns).collect(Collectors.toSet())).as(when).isEqualTo(connected);
        Set<String> hostVeths = new TreeSet<>();
        for (JsonNode l : Sandbox.JSON.readTree(Sandbox.run("ip", "-n", HOST, "-j", "-d", "link", "show")))
            if (l.path("linkinfo").path("info_kind").asText().equals("veth")) hostVeths.add(l.get("ifname").asText());
        assertThat(hostVeths).as(when + ": veths in " + HOST)
                .isEqualTo(n.endpoints().stream().map(Endpoint::hostIfname).collect(Collectors.toCollection(TreeSet::new)));
        Map<String, String> holder = new HashMap<>();
        for (String ns : List.of(HOST, A, B, C)) {
            List<String> links = Sandbox.linkNames(Optional.of(ns));
            if (ns.equals(HOST)) continue;
            if (connected.contains(ns)) assertThat(links).as(when + ": links in " + ns).containsExactly("eth0", "lo");
            else assertThat(links).as(when + ": links in " + ns).containsExactly("lo");
            for (JsonNode l : Sandbox.JSON.readTree(Sandbox.run("ip", "-n", ns, "-j", "addr", "show")))
                for (JsonNode a : l.path("addr_info")) {
                    if (!a.path("family").asText().equals("inet") || !a.path("local").asText().startsWith("10.77.")) continue;
                    String prev = holder.put(a.get("local").asText(), ns + ":" + l.get("ifname").asText());
                    assertThat(prev).as(when + ": " + a.get("local").asText() + " held twice").isNull();
                }
        }
        for (Endpoint e : n.endpoints())
            assertThat(holder.get(e.address().getHostAddress())).as(when).isEqualTo(e.ns() + ":" + e.ifname());
        assertThat(holder).as(when).hasSize(n.endpoints().size());
        assertThat(journals()).as(when + ": journals").isEmpty();
    }

    List<String> journals() throws Exception {
        try (Stream<Path> s = Files.list(state)) {
            return s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".journal")).toList();
        }
    }
}
