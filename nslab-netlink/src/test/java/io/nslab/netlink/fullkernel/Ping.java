package io.nslab.netlink.fullkernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The traffic observer of the full-kernel tests: iputils {@code ping} run
 * inside a namespace the test made ({@code nsenter --net=PATH ping ...}).
 * Only ever aimed at addresses inside the test's own namespaces.
 */
final class Ping {
    private Ping() {}

    /** One echo request from the namespace at {@code nsPath} to {@code address}; true if answered. */
    static boolean reaches(String nsPath, String address) throws IOException, InterruptedException {
        return ping(nsPath, address, List.of());
    }

    /** Like {@link #reaches} but bound to an interface or VRF device ({@code ping -I DEV}). */
    static boolean reachesVia(String nsPath, String device, String address) throws IOException, InterruptedException {
        return ping(nsPath, address, List.of("-I", device));
    }

    /** The ping output of a failed attempt, for an assertion message. */
    static String explain(String nsPath, String address) throws IOException, InterruptedException {
        Result r = run(nsPath, address, List.of());
        return "ping " + address + " from " + nsPath + " exited " + r.exit + ": " + r.output.strip();
    }

    private static boolean ping(String nsPath, String address, List<String> extra) throws IOException, InterruptedException {
        // A first echo may be lost to neighbour resolution on a slow (emulated) guest: try twice.
        for (int i = 0; i < 2; i++) {
            if (run(nsPath, address, extra).exit == 0) return true;
        }
        return false;
    }

    private record Result(int exit, String output) {}

    private static Result run(String nsPath, String address, List<String> extra) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=" + nsPath, "ping", "-n", "-c1", "-W2"));
        cmd.addAll(extra);
        cmd.add(address);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, out + " (timed out)");
        }
        return new Result(p.exitValue(), out);
    }
}
