package io.nslab.cli.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nslab.cli.Main;
import io.nslab.netlink.netns.NetNs;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs nslab in process, and iproute2/ping as independent observers (tests only). */
final class Cli {
    static final ObjectMapper JSON = new ObjectMapper();

    record Result(int code, String out, String err) {
        Result ok() {
            assertThat(err).as("stderr of a command expected to work").isEmpty();
            assertThat(code).as("exit status (stderr: %s)", err).isZero();
            return this;
        }

        JsonNode json() throws IOException { return JSON.readTree(out); }
    }

    private Cli() {}

    /** {@code nslab ARGS}, words split on blanks. */
    static Result nslab(String line) {
        return nslabArgs(line.trim().split("\\s+"));
    }

    static Result nslabArgs(String... args) {
        return nslabIn("", args);
    }

    static Result nslabIn(String stdin, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(o, true, StandardCharsets.UTF_8);
             PrintStream err = new PrintStream(e, true, StandardCharsets.UTF_8)) {
            code = Main.run(out, err, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), args);
        }
        return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    }

    /** Runs each line with nslab, failing on the first error. */
    static void ok(String... lines) {
        for (String l : lines) {
            Result r = nslab(l);
            assertThat(r.code()).as("nslab %s -> %s", l, r.err()).isZero();
            assertThat(r.err()).as("nslab %s", l).isEmpty();
        }
    }

    /** {@code ip -j -d [-n NS] ARGS} as observer. */
    static JsonNode ip(String ns, String args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "-j", "-d"));
        if (ns != null) cmd.addAll(List.of("-n", ns));
        cmd.addAll(List.of(args.trim().split("\\s+")));
        String out = run(cmd).out();
        return JSON.readTree(out.isBlank() ? "[]" : out);
    }

    static Result run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        return new Result(p.waitFor(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    /**
     * {@code ip netns exec NS ping -c1 -w3 ADDR} (or from the test's own namespace when ns is null); true if
     * answered. A deadline, not one packet: a veth just brought up may drop packets until the kernel's link
     * watcher has run (up to a second, longer under load).
     */
    static boolean ping(String ns, String addr) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (ns != null) cmd.addAll(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of("ping", "-c1", "-w3", addr));
        return run(cmd).code() == 0;
    }

    /** Removes every named namespace and every link but lo from the test's namespace. */
    static void cleanup() throws Exception {
        for (String n : NetNs.list()) {
            try {
                NetNs.delete(n);
            } catch (IOException ignored) {
                // already gone
            }
        }
        for (JsonNode l : ip(null, "link show")) {
            String name = l.get("ifname").asText();
            if (!name.equals("lo")) run(List.of("ip", "link", "del", name));
        }
    }

    static JsonNode link(String ns, String dev) throws IOException, InterruptedException {
        JsonNode a = ip(ns, "link show dev " + dev);
        assertThat(a.size()).as("link %s in %s", dev, ns).isEqualTo(1);
        return a.get(0);
    }

    static List<String> flags(JsonNode link) {
        List<String> f = new ArrayList<>();
        link.get("flags").forEach(x -> f.add(x.asText()));
        return f;
    }

    static List<String> addrs(String ns, String dev) throws IOException, InterruptedException {
        List<String> out = new ArrayList<>();
        for (JsonNode l : ip(ns, "addr show dev " + dev)) {
            for (JsonNode a : l.get("addr_info")) out.add(a.get("local").asText() + "/" + a.get("prefixlen").asInt());
        }
        return out;
    }
}
