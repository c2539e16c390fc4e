package io.nslab.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nslab.net.cni.CniPlugin;
import io.nslab.net.cni.CniStore;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.netns.NetNs;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CNI plugin on the real kernel, inside the test sandbox: the "host" is a
 * namespace the test made (cnihost), containers are namespaces given by path
 * (a /run/netns entry, or an unnamed namespace's /proc/self/fd/N). Results are
 * checked through the plugin's JSON and through {@code ip -j}/{@code nft -j}
 * and real TCP from another namespace.
 */
@KernelTest
class CniKernelTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String HOST = "cnihost";

    @TempDir Path state;
    Sandbox sb;
    NetNs host;
    CniPlugin plugin;
    final List<NetNs> unnamed = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        Sandbox.preconditions();
        sb = new Sandbox();
        sb.ns(HOST);
        host = NetNs.open(HOST);
        plugin = new CniPlugin(host);
    }

    @AfterEach
    void tearDown() {
        unnamed.forEach(NetNs::close);
        if (host != null) host.close();
        if (sb != null) sb.close();
    }

    String config(String extra) {
        return """
                {"cniVersion":"1.0.0","name":"t1","type":"nslab","bridge":"cni-t1","isGateway":true,"isDefaultGateway":true,
                 "ipMasq":true,"hairpinMode":true,
                 "ipam":{"type":"host-local","dataDir":"%s","ranges":[[{"subnet":"10.77.0.0/24"}],[{"subnet":"fd00:77::/64"}]],
                         "routes":[{"dst":"10.99.0.0/16"}]}%s}
                """.formatted(state, extra);
    }

    static final String PORTS = ",\"capabilities\":{\"portMappings\":true},\"runtimeConfig\":{\"portMappings\":[{\"hostPort\":18090,\"containerPort\":80,\"protocol\":\"tcp\"}]}";

    record Out(int rc, JsonNode json) {}

    Out call(String cmd, String id, String ifname, String netns, String stdin) throws Exception {
        return call(cmd, id, ifname, netns, stdin, Map.of());
    }

    Out call(String cmd, String id, String ifname, String netns, String stdin, Map<String, String> more) throws Exception {
        Map<String, String> env = new HashMap<>(more);
        env.put("CNI_COMMAND", cmd);
        env.put("CNI_PATH", "/nonexistent");
        if (id != null) env.put("CNI_CONTAINERID", id);
        if (ifname != null) env.put("CNI_IFNAME", ifname);
        if (netns != null) env.put("CNI_NETNS", netns);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int rc = plugin.run(env, stdin, new PrintStream(b, true, StandardCharsets.UTF_8));
        String s = b.toString(StandardCharsets.UTF_8);
        return new Out(rc, s.isBlank() ? JSON.nullNode() : JSON.readTree(s));
    }

    Map<String, Object> snapshot() throws Exception {
        Map<String, Object> m = new TreeMap<>();
        m.put("ruleset", Sandbox.nftRuleset(Optional.of(HOST)));
        m.put("links", Sandbox.linkNames(Optional.of(HOST)));
        List<String> files = new ArrayList<>();
        if (Files.isDirectory(state)) try (Stream<Path> s = Files.list(state)) {
            s.filter(p -> p.toString().endsWith(".json")).forEach(p -> files.add(p.getFileName().toString()));
        }
        m.put("store", files);
        return m;
    }

    static JsonNode ipJ(String... args) throws Exception {
        return JSON.readTree(Sandbox.run(args));
    }

    String unnamedNs() throws Exception {
        NetNs n = NetNs.createUnnamed();
        unnamed.add(n);
        return n.path().toString();
    }

    @Test
    void versionListsOneZeroAndOneOne() throws Exception {
        Out o = call("VERSION", null, null, null, "{\"cniVersion\":\"1.1.0\"}");
        assertThat(o.rc()).isZero();
        assertThat(o.json().path("supportedVersions").toString()).contains("\"1.0.0\"", "\"1.1.0\"");
    }

    @Test
    void addPublishesAPortCheckPassesThenFailsWhenTamperedDelLeavesNothing() throws Exception {
        Map<String, Object> before = snapshot();
        sb.ns("c1");
        sb.ns("outside");
        sb.wire(Optional.of(HOST), "up0", "192.168.77.1/24", "outside", "eth0", "192.168.77.2/24");
        String cfg = config(PORTS);
        Out add = call("ADD", "ctr1", "eth0", "/run/netns/c1", cfg);
        assertThat(add.rc()).as(add.json().toString()).isZero();
        JsonNode r = add.json();
        assertThat(r.path("cniVersion").asText()).isEqualTo("1.0.0");
        assertThat(r.path("interfaces").size()).isEqualTo(3);
        assertThat(r.path("interfaces").get(0).path("name").asText()).isEqualTo("cni-t1");
        assertThat(r.path("interfaces").get(2).path("sandbox").asText()).isEqualTo("/run/netns/c1");
        assertThat(r.path("ips").get(0).path("address").asText()).isEqualTo("10.77.0.2/24");
        assertThat(r.path("ips").get(0).path("gateway").asText()).isEqualTo("10.77.0.1");
        assertThat(r.path("ips").get(0).path("interface").asInt()).isEqualTo(2);
        assertThat(r.path("ips").get(1).path("address").asText()).isEqualTo("fd00:77::2/64");
        assertThat(r.path("routes").toString()).contains("10.99.0.0/16", "0.0.0.0/0", "::/0");

        // the independent observer: ip -j in the container and on the host
        JsonNode addr = ipJ("ip", "-n", "c1", "-j", "addr", "show", "dev", "eth0");
        assertThat(addr.toString()).contains("\"local\":\"10.77.0.2\"", "\"local\":\"fd00:77::2\"")
                .contains(r.path("interfaces").get(2).path("mac").asText());
        assertThat(Sandbox.defaultVia("c1")).isEqualTo("10.77.0.1");
        assertThat(ipJ("ip", "-n", "c1", "-j", "route", "show", "10.99.0.0/16").path(0).path("gateway").asText()).isEqualTo("10.77.0.1");
        assertThat(ipJ("ip", "-n", HOST, "-j", "addr", "show", "dev", "cni-t1").toString()).contains("\"local\":\"10.77.0.1\"");
        String hostIf = r.path("interfaces").get(1).path("name").asText();
        assertThat(ipJ("ip", "-n", HOST, "-j", "link", "show", "dev", hostIf).path(0).path("master").asText()).isEqualTo("cni-t1");

        // the published port answers from another namespace, through the host's address
        sb.tcpServer("c1", 80, "hello from c1");
        sb.defaultRoute("outside", "192.168.77.1");
        assertThat(sb.tcp("outside", "192.168.77.1", 18090)).contains("hello from c1");

        // CHECK against the result passes, then fails naming the field once the address is gone
        ObjectNode withPrev = (ObjectNode) JSON.readTree(cfg);
        withPrev.set("prevResult", r);
        assertThat(call("CHECK", "ctr1", "eth0", "/run/netns/c1", withPrev.toString()).rc()).isZero();
        Sandbox.run("ip", "-n", "c1", "addr", "del", "10.77.0.2/24", "dev", "eth0");
        Out bad = call("CHECK", "ctr1", "eth0", "/run/netns/c1", withPrev.toString());
        assertThat(bad.rc()).isEqualTo(1);
        assertThat(bad.json().path("code").asInt()).isEqualTo(999);
        assertThat(bad.json().path("msg").asText()).contains("prevResult.ips[0].address", "10.77.0.2/24");
        // CHECK of a container nslab does not know: code 3
        assertThat(call("CHECK", "nope", "eth0", "/run/netns/c1", withPrev.toString()).json().path("code").asInt()).isEqualTo(3);

        assertThat(call("DEL", "ctr1", "eth0", "/run/netns/c1", cfg).rc()).isZero();
        assertThat(ipJ("ip", "-n", "c1", "-j", "link", "show").toString()).doesNotContain("eth0");
        Sandbox.run("ip", "-n", HOST, "link", "del", "up0");
        assertThat(snapshot()).isEqualTo(before);
        // DEL again: nothing to do, success
        assertThat(call("DEL", "ctr1", "eth0", "/run/netns/c1", cfg).rc()).isZero();
    }

    @Test
    void delSucceedsWhenTheNetnsIsGoneAndFreesTheHostSide() throws Exception {
        Map<String, Object> before = snapshot();
        NetNs n = NetNs.createUnnamed();
        String path = n.path().toString();
        Out add = call("ADD", "gone", "eth0", path, config(""));
        assertThat(add.rc()).as(add.json().toString()).isZero();
        String hostIf = add.json().path("interfaces").get(1).path("name").asText();
        assertThat(Sandbox.linkNames(Optional.of(HOST))).contains(hostIf);
        n.close(); // the namespace goes with its last reference; its veth end with it
        Out del = call("DEL", "gone", "eth0", path, config(""));
        assertThat(del.rc()).as(del.json().toString()).isZero();
        Out del2 = call("DEL", "gone", "eth0", null, config(""));
        assertThat(del2.rc()).isZero();
        assertThat(snapshot()).isEqualTo(before);
    }

    /** The link's alias as {@code ip -j -d link show} prints it ({@code ifalias}), if it has one. */
    static Optional<String> ifalias(String dev) throws Exception {
        JsonNode l = ipJ("ip", "-n", HOST, "-j", "-d", "link", "show", "dev", dev).path(0);
        return l.has("ifalias") ? Optional.of(l.get("ifalias").asText()) : Optional.empty();
    }

    @Test
    void addMarksTheHostVethAndTheBridgeAndDelLeavesUnmarkedLinksOfTheirNames() throws Exception {
        Map<String, Object> before = snapshot();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        plugin = new CniPlugin(host, new PrintStream(log, true, StandardCharsets.UTF_8));
        String c = unnamedNs();
        Out add = call("ADD", "mk", "eth0", c, config(""));
        assertThat(add.rc()).as(add.json().toString()).isZero();
        String hostIf = add.json().path("interfaces").get(1).path("name").asText();
        assertThat(ifalias(hostIf)).contains("nslab:cni:t1");
        assertThat(ifalias("cni-t1")).contains("nslab:cni:t1");

        // the plugin's links go behind its back and others take their names, unmarked
        Sandbox.run("ip", "-n", HOST, "link", "del", hostIf); // takes the container's eth0 with it
        Sandbox.run("ip", "-n", HOST, "link", "del", "cni-t1");
        Sandbox.run("ip", "-n", HOST, "link", "add", hostIf, "type", "veth", "peer", "name", "theirs0");
        Sandbox.run("ip", "-n", HOST, "link", "add", "cni-t1", "type", "bridge");
        Out del = call("DEL", "mk", "eth0", c, config(""));
        assertThat(del.rc()).as(del.json().toString()).isZero(); // what the plugin made is gone: DEL is done
        assertThat(del.json().isNull()).isTrue();
        assertThat(Sandbox.linkNames(Optional.of(HOST))).contains(hostIf, "theirs0", "cni-t1");
        assertThat(ifalias(hostIf)).isEmpty();
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("host interface " + hostIf + " does not carry nslab's mark nslab:cni:t1 (no alias)",
                "host interface cni-t1 does not carry", "left alone");
        // DEL again: nothing to do, nothing said
        log.reset();
        assertThat(call("DEL", "mk", "eth0", c, config("")).rc()).isZero();
        assertThat(log.size()).isZero();

        Sandbox.run("ip", "-n", HOST, "link", "del", hostIf);
        Sandbox.run("ip", "-n", HOST, "link", "del", "cni-t1");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void badInputIsAnErrorNamingTheFieldAndChangesNothing() throws Exception {
        sb.ns("c2");
        String c2 = "/run/netns/c2";
        Out first = call("ADD", "keep", "eth0", c2, config(PORTS));
        assertThat(first.rc()).isZero();
        Map<String, Object> before = snapshot();
        String c3 = unnamedNs();

        Out malformed = call("ADD", "x", "eth0", c3, "{\"cniVersion\":\"1.0.0\",");
        assertThat(malformed.json().path("code").asInt()).isEqualTo(6);
        assertThat(malformed.json().path("msg").asText()).contains("not JSON", "line 1");

        Out typo = call("ADD", "x", "eth0", c3, config(",\"isGatway\":true"));
        assertThat(typo.json().path("code").asInt()).isEqualTo(2);
        assertThat(typo.json().path("msg").asText()).contains("isGatway", "did you mean isGateway");

        Out overlap = call("ADD", "x", "eth0", c3, config("").replace("[[{\"subnet\":\"10.77.0.0/24\"}]",
                "[[{\"subnet\":\"10.77.0.0/24\"}],[{\"subnet\":\"10.77.0.0/25\"}]"));
        assertThat(overlap.json().path("code").asInt()).isEqualTo(7);
        assertThat(overlap.json().path("msg").asText()).contains("ipam.ranges[1][0]", "overlaps", "ipam.ranges[0][0]");

        Out missing = call("ADD", "x", "eth0", "/run/netns/no-such-ns", config(""));
        assertThat(missing.json().path("code").asInt()).isEqualTo(3);
        assertThat(missing.json().path("msg").asText()).contains("CNI_NETNS", "/run/netns/no-such-ns");

        Out port = call("ADD", "x", "eth0", c3, config(PORTS));
        assertThat(port.json().path("code").asInt()).isEqualTo(7);
        assertThat(port.json().path("msg").asText()).contains("runtimeConfig.portMappings[0].hostPort", "already published", "keep/eth0");

        Out version = call("ADD", "x", "eth0", c3, config("").replace("\"1.0.0\"", "\"9.9.9\""));
        assertThat(version.json().path("code").asInt()).isEqualTo(1);

        Out env = call("ADD", null, "eth0", c3, config(""));
        assertThat(env.json().path("code").asInt()).isEqualTo(4);
        assertThat(env.json().path("msg").asText()).contains("CNI_CONTAINERID");

        Out again = call("ADD", "keep", "eth0", c2, config(PORTS));
        assertThat(again.json().path("code").asInt()).isEqualTo(999);

        assertThat(snapshot()).isEqualTo(before);
        assertThat(ipJ("ip", "-j", "link", "show").toString()).doesNotContain("cni-t1");
        assertThat(call("DEL", "keep", "eth0", c2, config(PORTS)).rc()).isZero();
    }

    @Test
    void aFailedAddLeavesNothingAndTheStoreUnchanged() throws Exception {
        Map<String, Object> before = snapshot();
        String c = unnamedNs();
        // a route via a gateway outside every subnet: the kernel refuses it after the bridge and the veth exist
        String cfg = config("").replace("\"routes\":[{\"dst\":\"10.99.0.0/16\"}]", "\"routes\":[{\"dst\":\"10.99.0.0/16\",\"gw\":\"192.0.2.1\"}]");
        Out o = call("ADD", "fail", "eth0", c, cfg);
        assertThat(o.rc()).isEqualTo(1);
        assertThat(o.json().path("code").asInt()).isEqualTo(999);
        assertThat(snapshot()).isEqualTo(before);
        assertThat(ipJ("ip", "-j", "link", "show").toString()).doesNotContain("veth");
        try (NetNs n = NetNs.openPath(Path.of(c))) {
            assertThat(n.call(() -> { try (Rtnl r = Rtnl.open()) { return r.links().get("eth0").isPresent(); } })).isFalse();
        }
        // and the next ADD gets the first address
        Out ok = call("ADD", "fine", "eth0", c, config(""));
        assertThat(ok.json().path("ips").get(0).path("address").asText()).isEqualTo("10.77.0.2/24");
        assertThat(call("DEL", "fine", "eth0", c, config("")).rc()).isZero();
    }

    @Test
    void fiftyParallelAddsNeverShareAnAddressAndGcFreesTheUnlisted() throws Exception {
        int n = 50;
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < n; i++) paths.add(unnamedNs());
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Out>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            fs.add(pool.submit(() -> { go.await(); return call("ADD", "p" + k, "eth0", paths.get(k), config("")); }));
        }
        go.countDown();
        Set<String> v4 = new HashSet<>(), v6 = new HashSet<>();
        for (Future<Out> f : fs) {
            Out o = f.get();
            assertThat(o.rc()).as(o.json().toString()).isZero();
            v4.add(o.json().path("ips").get(0).path("address").asText());
            v6.add(o.json().path("ips").get(1).path("address").asText());
        }
        pool.shutdown();
        assertThat(v4).hasSize(n);
        assertThat(v6).hasSize(n);
        assertThat(new CniStore(state, 1000).read("t1").attachments()).hasSize(n);
        assertThat(Sandbox.linkNames(Optional.of(HOST)).stream().filter(l -> l.startsWith("veth"))).hasSize(n);

        // GC keeps p0 and p1 only
        String gcCfg = config(",\"cni.dev/valid-attachments\":[{\"containerID\":\"p0\",\"ifname\":\"eth0\"},{\"containerID\":\"p1\",\"ifname\":\"eth0\"}]")
                .replace("\"1.0.0\"", "\"1.1.0\"");
        Out gc = call("GC", null, null, null, gcCfg);
        assertThat(gc.rc()).as(gc.json().toString()).isZero();
        assertThat(new CniStore(state, 1000).read("t1").attachments()).extracting(a -> a.key().containerId()).containsExactlyInAnyOrder("p0", "p1");
        assertThat(Sandbox.linkNames(Optional.of(HOST)).stream().filter(l -> l.startsWith("veth"))).hasSize(2);
        assertThat(call("DEL", "p0", "eth0", paths.get(0), config("")).rc()).isZero();
        assertThat(call("DEL", "p1", "eth0", paths.get(1), config("")).rc()).isZero();
        assertThat(Sandbox.linkNames(Optional.of(HOST))).containsExactly("lo");
    }

    @Test
    void statusFailsWhileTheStoreCannotBeWrittenAndBusyStoreIsTryAgainLater() throws Exception {
        String ok = config("").replace("\"1.0.0\"", "\"1.1.0\"");
        assertThat(call("STATUS", null, null, null, ok).rc()).isZero();
        Path file = Files.writeString(state.resolve("a-file"), "x");
        String broken = ok.replace("\"dataDir\":\"" + state + "\"", "\"dataDir\":\"" + file.resolve("sub") + "\"");
        Out st = call("STATUS", null, null, null, broken);
        assertThat(st.rc()).isEqualTo(1);
        assertThat(st.json().path("code").asInt()).isEqualTo(50);
        assertThat(st.json().path("msg").asText()).contains("cannot be written", file.resolve("sub").toString());

        CountDownLatch held = new CountDownLatch(1), release = new CountDownLatch(1);
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                new CniStore(state, 5000).locked("t1", s -> {
                    held.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        held.await();
        Out busy = call("ADD", "b", "eth0", unnamedNs(), config(""), Map.of("NSLAB_CNI_LOCK_TIMEOUT_MS", "200"));
        release.countDown();
        t.join();
        assertThat(busy.json().path("code").asInt()).isEqualTo(11);
    }

    @Test
    void chainedAfterAnotherPluginAppendsToPrevResult() throws Exception {
        String c = unnamedNs();
        String prev = ",\"prevResult\":{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"lo\",\"sandbox\":\"" + c + "\"}],"
                + "\"ips\":[{\"address\":\"127.0.0.1/8\",\"interface\":0}],\"dns\":{\"nameservers\":[\"10.0.0.53\"]}}";
        Out o = call("ADD", "chained", "eth0", c, config(prev));
        assertThat(o.rc()).as(o.json().toString()).isZero();
        JsonNode r = o.json();
        assertThat(r.path("interfaces").size()).isEqualTo(4);
        assertThat(r.path("interfaces").get(0).path("name").asText()).isEqualTo("lo");
        assertThat(r.path("ips").size()).isEqualTo(3);
        assertThat(r.path("ips").get(1).path("interface").asInt()).isEqualTo(3);
        assertThat(r.path("dns").path("nameservers").get(0).asText()).isEqualTo("10.0.0.53");
        assertThat(call("DEL", "chained", "eth0", c, config("")).rc()).isZero();
    }
}
