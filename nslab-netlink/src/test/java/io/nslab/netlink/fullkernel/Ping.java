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

    /** Fails unless an echo request from {@code from} to {@code address} is answered. */
    static void assertReaches(Node from, String address) throws IOException, InterruptedException {
        assertReaches(from, address, List.of());
    }

    /** Like {@link #assertReaches(Node, String)}, bound to an interface or VRF ({@code ping -I DEV}). */
    static void assertReachesVia(Node from, String device, String address) throws IOException, InterruptedException {
        assertReaches(from, address, List.of("-I", device));
    }

    /** Fails if an echo request from {@code from} to {@code address} is answered. */
    static void assertDoesNotReach(Node from, String address) throws IOException, InterruptedException {
        Result r = ping(from.path(), address, List.of());
        if (r.exit == 0) {
            throw new AssertionError(from + " reached " + address + " but must not:\n" + r.output.strip());
        }
    }

    private static void assertReaches(Node from, String address, List<String> extra) throws IOException, InterruptedException {
        // A first echo may be lost to neighbour resolution on a slow (emulated) guest: one retry.
        Result r = ping(from.path(), address, extra);
        if (r.exit != 0) r = ping(from.path(), address, extra);
        if (r.exit != 0) {
            throw new AssertionError(from + " cannot reach " + address + " (ping exited " + r.exit + "):\n" + r.output.strip());
        }
    }

    private record Result(int exit, String output) {}

    private static Result ping(String nsPath, String address, List<String> extra) throws IOException, InterruptedException {
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
