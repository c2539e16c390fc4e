package io.nslab.cli.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import io.nslab.cli.cni.CniServer;
import io.nslab.netlink.netns.NetNs;
import io.nslab.testing.KernelTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The installed executable as a runtime runs it: {@code DIR/nslab} with the
 * CNI variables and the config on stdin, once handing the call to a resident
 * {@code nslab cni serve} over its Unix socket, once (no server) starting a
 * JVM of its own; the same results either way, observed with {@code ip -j}.
 */
@KernelTest
class CniScriptTest {
    @TempDir Path w;

    @AfterEach
    void cleanup() throws Exception {
        if (NetNs.exists("cnis1")) NetNs.delete("cnis1");
    }

    record Out(int rc, JsonNode json) {}

    Out plugin(String cmd, String stdin) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(w.resolve("bin/nslab").toString());
        Map<String, String> env = pb.environment();
        env.putAll(Map.of("CNI_COMMAND", cmd, "CNI_CONTAINERID", "s1", "CNI_IFNAME", "eth0", "CNI_NETNS", "/run/netns/cnis1",
                "CNI_PATH", w.resolve("bin").toString()));
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(err).as("stderr").doesNotContain("Exception");
        return new Out(p.exitValue(), out.isBlank() ? Cli.JSON.nullNode() : Cli.JSON.readTree(out));
    }

    String config() {
        return """
                {"cniVersion":"1.0.0","name":"script","type":"nslab","bridge":"cni-script","isGateway":true,"ipMasq":true,
                 "ipam":{"type":"host-local","dataDir":"%s","ranges":[[{"subnet":"10.88.5.0/24"}]]}}
                """.formatted(w.resolve("state"));
    }

    void addCheckDel(String how) throws Exception {
        Out add = plugin("ADD", config());
        assertThat(add.rc()).as(how + " " + add.json()).isZero();
        assertThat(add.json().path("ips").get(0).path("address").asText()).isEqualTo("10.88.5.2/24");
        JsonNode seen = Cli.JSON.readTree(run("ip", "-n", "cnis1", "-j", "addr", "show", "dev", "eth0"));
        assertThat(seen.toString()).as(how).contains("\"local\":\"10.88.5.2\"");
        Out bad = plugin("ADD", "{\"cniVersion\":\"1.0.0\",\"name\":\"script\",\"type\":\"nslab\",\"brigde\":\"x\"}");
        assertThat(bad.rc()).isEqualTo(1);
        assertThat(bad.json().path("code").asInt()).isEqualTo(2);
        assertThat(bad.json().path("msg").asText()).contains("brigde", "did you mean bridge");
        assertThat(plugin("DEL", config()).rc()).isZero();
        assertThat(run("ip", "-j", "link", "show")).doesNotContain("cni-script");
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
        return out;
    }

    @Test
    void theScriptWorksThroughTheResidentServerAndWithoutIt() throws Exception {
        NetNs.create("cnis1");
        Path sock = w.resolve("cni.sock");
        Cli.Result inst = Cli.nslabArgs("cni", "install", "--no-cache", "--socket", sock.toString(), w.resolve("bin").toString());
        assertThat(inst.code()).as(inst.err()).isZero();
        assertThat(Files.readString(w.resolve("bin/nslab"))).contains(sock.toString(), "nc -N -U");

        try (CniServer server = new CniServer(sock)) {
            Thread t = Thread.ofPlatform().daemon(true).start(() -> {
                try {
                    server.serve();
                } catch (Exception e) {
                    // closed
                }
            });
            assertThat(Files.getPosixFilePermissions(sock).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
            addCheckDel("through the server");
            server.close();
            t.join(5000);
        }
        assertThat(Files.exists(sock)).isFalse();
        addCheckDel("a JVM of its own");
        assertThat(List.of(run("ip", "-j", "link", "show"))).noneMatch(s -> s.contains("veth"));
    }
}
