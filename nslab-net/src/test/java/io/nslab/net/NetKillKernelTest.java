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

    /** Moments of disconnect, create and rm: SIGKILL at these many, plus one SIGTERM and one SIGINT (child JVMs cost ~1 s each). */
    static final int OTHER_MOMENTS = 8;

    /** SIGKILL at {@link #OTHER_MOMENTS} points spread over {@code total}, then SIGTERM and SIGINT at two of them. */
    static List<Map.Entry<String, Integer>> interruptions(int total) {
        List<Integer> ks = spread(total, OTHER_MOMENTS);
        List<Map.Entry<String, Integer>> out = new ArrayList<>();
        for (int k : ks) out.add(Map.entry("KILL", k));
        out.add(Map.entry("TERM", ks.get(2)));
        out.add(Map.entry("INT", ks.get(5)));
        return out;
    }

    String interrupt(List<String> op, Map.Entry<String, Integer> how) throws Exception {
        return how.getKey().equals("KILL") ? killAt(op, how.getValue()) : stopAt(op, how.getValue(), how.getKey());
    }

    @Test
    void disconnectInterruptedThenConnectAndDisconnectLeaveNothingBehind() throws Exception {
        List<String> op = List.of("disconnect", NET, B);
        engine.connect(ConnectRequest.of(NET, B).withPorts(PORTS));
        int total = points(op);
        List<String> report = new ArrayList<>();
        for (var how : interruptions(total)) {
            engine.connect(ConnectRequest.of(NET, B).withPorts(PORTS));
            String at = how.getKey() + " k=" + how.getValue() + " (" + interrupt(op, how) + ")";
            // the next command finishes the disconnect once it was journaled; before that B is still connected
            Endpoint c = engine.connect(ConnectRequest.of(NET, C));
            boolean stayed = engine.inspect(NET).endpoint(B).isPresent();
            check(at + " after connect " + C, stayed ? Set.of(A, B, C) : Set.of(A, C));
            engine.disconnect(NET, B);
            check(at + " after disconnect " + B, Set.of(A, C));
            engine.disconnect(NET, C);
            check(at + " after disconnect " + C, Set.of(A));
            report.add(at + (stayed ? " (B still connected)" : " (disconnect finished)") + " -> " + C + " got " + c.address().getHostAddress());
        }
        System.out.println("disconnect interrupted, then connect + disconnect:\n  " + String.join("\n  ", report));
        assertThat(report).hasSize(OTHER_MOMENTS + 2);
    }

    @Test
    void createInterruptedThenTheNextCommandLeavesTheNetworkWholeOrGone() throws Exception {
        String net2 = "kill2", bridge2 = NetEngine.defaultBridge(net2);
        List<String> op = List.of("create", net2, HOST, "10.78.0.0/24");
        int total = points(op);
        engine.remove(net2, false);
        List<String> report = new ArrayList<>();
        for (var how : interruptions(total)) {
            String at = how.getKey() + " k=" + how.getValue() + " (" + interrupt(op, how) + ")";
            boolean made = engine.list().stream().anyMatch(n -> n.name().equals(net2)); // the next command: undoes or keeps it
            assertThat(Sandbox.linkNames(Optional.of(HOST)).contains(bridge2)).as(at + ": bridge").isEqualTo(made);
            assertThat(tables(HOST).stream().anyMatch(t -> t.endsWith(net2))).as(at + ": table").isEqualTo(made);
            assertThat(journals()).as(at + ": journals").isEmpty();
            if (made) {
                Endpoint c = engine.connect(ConnectRequest.of(net2, C));
                assertThat(c.address().getHostAddress()).startsWith("10.78.0.");
                engine.remove(net2, true);
            }
            assertThat(Sandbox.linkNames(Optional.of(HOST))).as(at).doesNotContain(bridge2);
            assertThat(tables(HOST)).as(at).noneMatch(t -> t.endsWith(net2));
            check(at, Set.of(A));
            report.add(at + (made ? " (create had finished)" : " (undone)"));
        }
        System.out.println("create interrupted, then the next command:\n  " + String.join("\n  ", report));
        assertThat(report).hasSize(OTHER_MOMENTS + 2);
    }

    @Test
    void rmForceInterruptedThenTheNextCommandFinishesIt() throws Exception {
        List<String> op = List.of("rm", NET, "-");
        engine.connect(ConnectRequest.of(NET, B).withPorts(PORTS));
        int total = points(op);
        List<String> report = new ArrayList<>();
        for (var how : interruptions(total)) {
            create();
            engine.connect(ConnectRequest.of(NET, B).withPorts(PORTS));
            String at = how.getKey() + " k=" + how.getValue() + " (" + interrupt(op, how) + ")";
            List<Network> left = engine.list(); // the next command: an rm once journaled is finished, else nothing changed
            if (!left.isEmpty()) {
                check(at + " (rm not begun)", Set.of(A, B));
                engine.remove(NET, true);
            }
            for (String ns : List.of(A, B, C)) assertThat(Sandbox.linkNames(Optional.of(ns))).as("%s: links in %s", at, ns).containsExactly("lo");
            assertThat(Sandbox.linkNames(Optional.of(HOST))).as("%s: links in %s", at, HOST).containsExactly("lo");
            assertThat(Sandbox.nftRuleset(Optional.of(HOST)).path("nftables")).as(at + ": ruleset").isEmpty();
            assertThat(journals()).as(at + ": journals").isEmpty();
            assertThat(engine.list()).isEmpty();
            report.add(at + (left.isEmpty() ? " (finished by the next command)" : " (not begun)"));
        }
        System.out.println("rm --force interrupted, then the next command:\n  " + String.join("\n  ", report));
        assertThat(report).hasSize(OTHER_MOMENTS + 2);
    }

    static List<String> tables(String ns) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode i : Sandbox.nftRuleset(Optional.of(ns)).path("nftables"))
            if (i.has("table")) out.add(i.get("table").path("family").asText() + " " + i.get("table").path("name").asText());
        return out;
    }

    /** Runs the connect of {@link #B} in a child JVM and sends it SIG{@code signal} at point {@code k}. */
    String stopConnectAt(int k, String signal) throws Exception {
        return stopAt(connectOf(B), k, signal);
    }

    /** Runs {@code op} in a child JVM and sends it SIG{@code signal} at point {@code k}. */
    String stopAt(List<String> op, int k, String signal) throws Exception {
        Process p = child(op, k);
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
            String done = run(connectOf(B), Integer.MAX_VALUE);
            assertThat(done).startsWith("DONE ");
            total = Math.min(total, Integer.parseInt(done.substring(5).strip()));
            engine.disconnect(NET, B);
        }
        return spread(total, MOMENTS);
    }

    /** {@code n} distinct points among {@code 1..total}, first and last included. */
    static List<Integer> spread(int total, int n) {
        assertThat(total).as("points in one command").isGreaterThanOrEqualTo(n);
        Set<Integer> ks = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) ks.add(1 + (int) Math.round((double) i * (total - 1) / (n - 1)));
        assertThat(ks).hasSize(n);
        return new ArrayList<>(ks);
    }

    static List<String> connectOf(String ns) {
        List<String> op = new ArrayList<>(List.of("connect", NET, ns));
        op.addAll(List.of(PORTS));
        return op;
    }

    /** Runs the connect of {@link #B} in a child JVM, SIGKILLs it at point {@code k}; returns the point's name. */
    String killConnectAt(int k) throws Exception {
        return killAt(connectOf(B), k);
    }

    /** Runs {@code op} in a child JVM, SIGKILLs it at point {@code k}; returns the point's name. */
    String killAt(List<String> op, int k) throws Exception {
        String line = run(op, k);
        assertThat(line).as("%s k=%d", op.getFirst(), k).startsWith("STOP " + k + " ");
        return line.substring(("STOP " + k + " ").length());
    }

    /** The number of points of {@code op} run to its end (it succeeds). */
    int points(List<String> op) throws Exception {
        String done = run(op, Integer.MAX_VALUE);
        assertThat(done).as(op.getFirst()).startsWith("DONE ");
        return Integer.parseInt(done.substring(5).strip());
    }

    String run(List<String> op, int k) throws Exception {
        Process p = child(op, k);
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

    /** {@code op} is OP NETWORK NS [PORT...|SUBNET], as {@link KillWorker} takes it. */
    Process child(List<String> op, int k) throws Exception {
        String cp = Stream.of(System.getProperty("jdk.module.path"), System.getProperty("java.class.path"))
                .filter(Objects::nonNull).collect(Collectors.joining(File.pathSeparator));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto", "--enable-native-access=ALL-UNNAMED",
                "-cp", cp, KillWorker.class.getName(), state.toString(), op.get(0), op.get(1), op.get(2), String.valueOf(k)));
        cmd.addAll(op.subList(3, op.size()));
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
