package io.nslab.netlink.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The independent observer of kernel tests: iproute2 run inside a namespace
 * (by its /proc path), output parsed from {@code ip -j}. Tests only.
 */
public final class Observer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Observer() {}

    /** {@code ip -j ARGS} inside the namespace at {@code nsPath}; fails the test on a non-zero exit. */
    public static JsonNode ipJson(String nsPath, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=" + nsPath, "ip", "-j", "-d"));
        cmd.addAll(List.of(args));
        String out = run(cmd);
        return JSON.readTree(out.isBlank() ? "[]" : out);
    }

    /** Runs a command, returns stdout; throws with stderr on failure. */
    public static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + new String(err, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
