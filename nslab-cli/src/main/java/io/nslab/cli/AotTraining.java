package io.nslab.cli;

import io.nslab.lab.load.LabLoader;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training run behind the launcher's ahead-of-time cache (JDK 25,
 * {@code -XX:AOTCacheOutput}): nslab's usual commands run once in one JVM,
 * so that the classes they load, link and the method handles FFM makes are
 * in the cache and every later run starts with them ready.
 *
 * <p>Without {@code --kernel} it only parses, validates and reads. With it,
 * it also changes the kernel: the launcher passes it only inside a network
 * and mount namespace it made for this run ({@code unshare}), with the lab
 * state in a temporary directory, so nothing here reaches the machine.
 * Output goes nowhere; failures are ignored (a command that cannot run here
 * just trains less).
 */
public final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) throws IOException {
        train(List.of(args).contains("--kernel") && sandboxed());
        System.exit(0);
    }

    /**
     * Kernel work only where the launcher made a sandbox for it: it names its
     * own network namespace in NSLAB_AOT_SANDBOX ({@code net:[INODE]}), and
     * the training's must be another one. Run by hand, the training only reads.
     */
    static boolean sandboxed() {
        String outer = System.getenv("NSLAB_AOT_SANDBOX");
        if (outer == null || !outer.startsWith("net:[")) return false;
        try {
            return !Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString().equals(outer);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Runs the training commands; with {@code kernel}, also those that change
     * the kernel (and undo it). Returns each command line with its exit code.
     */
    static Map<String, Integer> train(boolean kernel) throws IOException {
        Map<String, Integer> codes = new LinkedHashMap<>();
        Path dir = Files.createTempDirectory("nslab-aot");
        try {
            Path lab = dir.resolve("demo.yaml");
            try (InputStream in = LabLoader.openResource(LabLoader.DEFAULT_LAB)) {
                if (in != null) Files.copy(in, lab);
            }
            run(codes, "--help");
            run(codes, "--version");
            run(codes, "validate", lab.toString());
            run(codes, "plan", lab.toString());
            run(codes, "graph", lab.toString());
            run(codes, "graph", "--format", "svg", lab.toString());
            run(codes, "link", "show");
            run(codes, "-j", "addr", "show");
            run(codes, "route", "show");
            run(codes, "status");
            if (kernel) {
                Path up = dir.resolve("up.batch");
                Path down = dir.resolve("down.batch");
                StringBuilder b = new StringBuilder("link add aotbr0 type bridge\nlink set aotbr0 up\naddr add 10.254.0.1/16 dev aotbr0\n");
                StringBuilder d = new StringBuilder();
                for (int i = 1; i <= 3; i++) {
                    b.append("netns add aot").append(i).append('\n')
                     .append("link add aotv").append(i).append(" up master aotbr0 type veth peer name eth0 netns aot").append(i).append('\n')
                     .append("-n aot").append(i).append(" link set lo up\n")
                     .append("-n aot").append(i).append(" addr add 10.254.0.").append(i + 1).append("/16 dev eth0\n")
                     .append("-n aot").append(i).append(" link set eth0 up\n")
                     .append("-n aot").append(i).append(" route add default via 10.254.0.1\n");
                    // the veth first: deleting it is synchronous, a namespace's interfaces go later
                    d.append("link del aotv").append(i).append('\n').append("netns del aot").append(i).append('\n');
                }
                d.append("link del aotbr0\n");
                Files.writeString(up, b);
                Files.writeString(down, d);
                run(codes, "-batch", up.toString());
                run(codes, "-n", "aot1", "-j", "route", "show");
                // capture: the FFM downcalls of its AF_PACKET ring, written to a file and printed (an idle interface: it times out)
                run(codes, "-n", "aot1", "capture", "eth0", "--timeout", "0.2", "-w", dir.resolve("aot.pcapng").toString(), "tcp", "port", "80");
                run(codes, "-n", "aot1", "capture", "lo", "--timeout", "0.1", "-c", "1");
                run(codes, "-force", "-batch", down.toString());
                run(codes, "demo");
                // a lab whose nodes run processes: the start path (mount base, spawn, ready probe, journal) and
                // down's stop path are then loaded, linked and their FFM downcalls made at training time, not in
                // every up's run phase
                Path runLab = dir.resolve("aotrun.yaml");
                Files.writeString(runLab, runLab(6));
                run(codes, "up", runLab.toString());
                run(codes, "status", "-o", "json", runLab.toString());
                run(codes, "down", runLab.toString());
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return codes;
    }

    /**
     * A bridge node and {@code n} nodes on it, each running one process: {@code nc -lk 7000} with
     * {@code ready: tcp 7000} where netcat is installed (the benchmark's process), else {@code sleep}.
     */
    static String runLab(int n) {
        boolean nc = Files.isExecutable(Path.of("/usr/bin/nc")) || Files.isExecutable(Path.of("/bin/nc"));
        String proc = nc ? "{cmd: [nc, -lk, \"7000\"], ready: tcp 7000}" : "{cmd: [sleep, \"60\"], ready: 100ms}";
        StringBuilder y = new StringBuilder("name: aotrun\nnodes:\n  sw:\n    interfaces:\n      br0:\n        kind: bridge\n        ports: [");
        for (int i = 0; i < n; i++) y.append(i == 0 ? "" : ", ").append('p').append(i);
        y.append("]\n        addresses: [10.253.255.254/16]\n");
        for (int i = 0; i < n; i++) y.append("  n").append(i).append(":\n    run:\n      - ").append(proc).append('\n');
        y.append("links:\n");
        for (int i = 0; i < n; i++)
            y.append("  - ends: [sw:p").append(i).append(", {at: n").append(i).append(":eth0, addresses: [10.253.0.").append(i + 1).append("/16]}]\n");
        return y.toString();
    }

    private static void run(Map<String, Integer> codes, String... args) {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        int code;
        try {
            code = Main.run(nowhere, nowhere, InputStream.nullInputStream(), args);
        } catch (RuntimeException e) {
            code = ExitCode.INTERNAL;      // trains less; the cache is still good for what ran
        }
        codes.put(String.join(" ", args), code);
    }
}
