package io.nslab.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nslab.net.cni.CniPlugin;
import io.nslab.netlink.netns.NetNs;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The differential harness: the same configuration given to nslab (one
 * plugin) and to the reference plugins of containernetworking-plugins
 * (bridge + host-local, then portmap with bridge's result as prevResult, as
 * libcni runs a conflist), each with a host namespace and a container of its
 * own; the results compared field by field (interfaces, ips, routes, dns) and
 * what the container can reach compared too (host to container, container to
 * gateway, a published port from an outside namespace).
 */
@KernelTest
class CniDifferentialTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path REF = Path.of("/usr/lib/cni");

    @TempDir Path tmp;
    Sandbox sb;

    static final Map<String, String> CONFIGS = Map.of(
            "v4", """
                    {"cniVersion":"1.0.0","name":"diff","type":"%s","bridge":"cni-diff","isGateway":true,"ipMasq":true,
                     "ipam":{"type":"host-local","dataDir":"%s","subnet":"10.66.0.0/24","routes":[{"dst":"0.0.0.0/0"}]}}""",
            "dual", """
                    {"cniVersion":"1.0.0","name":"diff","type":"%s","bridge":"cni-diff","isGateway":true,"isDefaultGateway":true,"ipMasq":true,
                     "hairpinMode":true,"mtu":1400,"dns":{"nameservers":["10.66.0.53"],"search":["lab"]},
                     "ipam":{"type":"host-local","dataDir":"%s","ranges":[[{"subnet":"10.66.0.0/24"}],[{"subnet":"fd00:66::/64"}]],
                             "routes":[{"dst":"10.200.0.0/16"},{"dst":"fd00:200::/48"}]}}""",
            "ranges", """
                    {"cniVersion":"1.0.0","name":"diff","type":"%s","bridge":"cni-diff","isGateway":true,"isDefaultGateway":true,"ipMasq":true,
                     "ipam":{"type":"host-local","dataDir":"%s","ranges":[[
                        {"subnet":"10.66.0.0/24","rangeStart":"10.66.0.100","rangeEnd":"10.66.0.101","gateway":"10.66.0.254"}]]}}""");

    @BeforeEach
    void setUp() throws Exception {
        Sandbox.preconditions();
        for (String p : List.of("bridge", "host-local", "portmap"))
            assumeTrue(Files.isExecutable(REF.resolve(p)), "reference plugin " + REF.resolve(p) + " missing (test/setup installs containernetworking-plugins)");
        sb = new Sandbox();
    }

    @AfterEach
    void tearDown() {
        if (sb != null) sb.close();
    }

    record Side(String host, String container, String outside, JsonNode result) {}

    static String ports() {
        return "{\"portMappings\":[{\"hostPort\":18091,\"containerPort\":80,\"protocol\":\"tcp\"}]}";
    }

    /** Runs a reference plugin inside {@code host} the way libcni does: environment, config on stdin. */
    JsonNode reference(String host, String plugin, String cmd, String container, String stdin) throws Exception {
        List<String> c = List.of("ip", "netns", "exec", host, REF.resolve(plugin).toString());
        ProcessBuilder pb = new ProcessBuilder(c);
        Map<String, String> env = pb.environment();
        env.put("CNI_COMMAND", cmd);
        env.put("CNI_CONTAINERID", "diffctr");
        env.put("CNI_NETNS", "/run/netns/" + container);
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", REF.toString());
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        assertThat(p.exitValue()).as(plugin + " " + cmd + ": " + out + err).isZero();
        return out.isBlank() ? JSON.nullNode() : JSON.readTree(out);
    }

    JsonNode nslab(String host, String cmd, String container, String stdin) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("CNI_COMMAND", cmd, "CNI_CONTAINERID", "diffctr",
                "CNI_NETNS", "/run/netns/" + container, "CNI_IFNAME", "eth0", "CNI_PATH", "/nonexistent"));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int rc;
        try (NetNs h = NetNs.open(host)) {
            rc = new CniPlugin(h).run(env, stdin, new PrintStream(b, true, StandardCharsets.UTF_8));
        }
        String out = b.toString(StandardCharsets.UTF_8);
        assertThat(rc).as("nslab " + cmd + ": " + out).isZero();
        return out.isBlank() ? JSON.nullNode() : JSON.readTree(out);
    }

    Side side(String tag, int n) throws Exception {
        String host = sb.ns(tag + "h"), container = sb.ns(tag + "c"), outside = sb.ns(tag + "o");
        sb.wire(Optional.of(host), "up0", "192.168." + n + ".1/24", outside, "eth0", "192.168." + n + ".2/24");
        sb.defaultRoute(outside, "192.168." + n + ".1");
        return new Side(host, container, outside, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v4", "dual", "ranges"})
    void nslabAndTheReferenceChainGiveTheSameResultAndReachability(String name) throws Exception {
        String template = CONFIGS.get(name);
        Side ref = side("r", 81), ns = side("n", 82);
        Path refData = Files.createDirectories(tmp.resolve("ref")), nsData = Files.createDirectories(tmp.resolve("nslab"));

        // the reference chain: bridge (calling host-local), then portmap with bridge's result as prevResult
        String bridgeCfg = template.formatted("bridge", refData);
        JsonNode bridgeRes = reference(ref.host(), "bridge", "ADD", ref.container(), bridgeCfg);
        ObjectNode pm = JSON.createObjectNode().put("cniVersion", "1.0.0").put("name", "diff").put("type", "portmap");
        pm.putObject("capabilities").put("portMappings", true);
        pm.set("runtimeConfig", JSON.readTree(ports()));
        pm.set("prevResult", bridgeRes);
        JsonNode refRes = reference(ref.host(), "portmap", "ADD", ref.container(), pm.toString());

        ObjectNode nsCfg = (ObjectNode) JSON.readTree(template.formatted("nslab", nsData));
        nsCfg.putObject("capabilities").put("portMappings", true);
        nsCfg.set("runtimeConfig", JSON.readTree(ports()));
        JsonNode nsRes = nslab(ns.host(), "ADD", ns.container(), nsCfg.toString());

        // field by field
        assertThat(nsRes.path("cniVersion")).isEqualTo(refRes.path("cniVersion"));
        assertThat(nsRes.path("ips")).as("ips").isEqualTo(refRes.path("ips"));
        assertThat(sorted(nsRes.path("routes"))).as("routes").isEqualTo(sorted(refRes.path("routes")));
        assertThat(nsRes.path("dns")).as("dns").isEqualTo(refRes.path("dns").isMissingNode() ? JSON.createObjectNode() : refRes.path("dns"));
        JsonNode ni = nsRes.path("interfaces"), ri = refRes.path("interfaces");
        assertThat(ni.size()).as("interfaces").isEqualTo(ri.size());
        for (int i = 0; i < ri.size(); i++) {
            assertThat(ni.get(i).has("sandbox")).isEqualTo(ri.get(i).has("sandbox"));
            assertThat(ni.get(i).path("mac").asText()).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
            if (i == 0 || ri.get(i).has("sandbox")) assertThat(ni.get(i).path("name")).isEqualTo(ri.get(i).path("name"));
        }
        assertThat(ni.get(2).path("sandbox").asText()).isEqualTo("/run/netns/" + ns.container());
        // the observer: the container's interface as ip sees it
        for (Side s : List.of(ref, ns)) {
            JsonNode link = JSON.readTree(Sandbox.run("ip", "-n", s.container(), "-j", "addr", "show", "dev", "eth0"));
            assertThat(link.path(0).path("mtu").asInt()).as("mtu").isEqualTo(name.equals("dual") ? 1400 : 1500);
        }

        // reachability, the same on both sides
        String addr = refRes.path("ips").get(0).path("address").asText().split("/")[0];
        String gw = refRes.path("ips").get(0).path("gateway").asText();
        List<String> seen = new ArrayList<>();
        for (Side s : List.of(ref, ns)) {
            sb.tcpServer(s.container(), 80, "hello " + s.container());
            String n = s == ref ? "81" : "82";
            seen.add(String.join(",",
                    "host->container " + sb.tcp(s.host(), addr, 80).isPresent(),
                    "container->gateway " + Sandbox.ping(s.container(), gw),
                    "outside->published " + sb.tcp(s.outside(), "192.168." + n + ".1", 18091).map(x -> x.startsWith("hello")).orElse(false)));
        }
        assertThat(seen.get(1)).as("nslab's reachability vs the reference's").isEqualTo(seen.get(0));
        assertThat(seen.get(0)).doesNotContain("false");

        // DEL on both; nslab leaves nothing
        reference(ref.host(), "portmap", "DEL", ref.container(), pm.toString());
        reference(ref.host(), "bridge", "DEL", ref.container(), bridgeCfg);
        nslab(ns.host(), "DEL", ns.container(), nsCfg.toString());
        assertThat(Sandbox.linkNames(Optional.of(ns.host()))).containsExactly("lo", "up0");
        assertThat(Sandbox.nftRuleset(Optional.of(ns.host())).path("nftables").size()).isZero();
    }

    static TreeSet<String> sorted(JsonNode arr) {
        TreeSet<String> s = new TreeSet<>();
        arr.forEach(n -> s.add(n.toString()));
        return s;
    }
}
