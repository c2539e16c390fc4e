package io.nslab.cli.lab;

import io.nslab.cli.CliException;
import io.nslab.cli.ExitCode;
import io.nslab.lab.engine.LabEngine;
import io.nslab.lab.run.LabRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code nslab logs LAB NODE [-f]}: what a node's {@code run:} processes wrote (stdout and stderr). */
@Command(name = "logs", description = "Show the output (stdout and stderr) of a node's run: processes; -f follows it until interrupted.")
public final class LogsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "LAB", description = "the lab's name (or its file)")
    String lab;

    @Parameters(index = "1", paramLabel = "NODE", description = "the node")
    String node;

    @Option(names = {"-f", "--follow"}, description = "keep printing what is written, until interrupted or the lab is down")
    boolean follow;

    @Override public Integer call() throws Exception {
        String name = LabFiles.labName(lab);
        Path dir = LabEngine.system().dirs().lab(name);
        if (!Files.isDirectory(dir)) throw CliException.failed("logs: no lab " + name + " is up");
        List<Path> logs = logs(LabRuntime.logs(dir), node);
        if (logs.isEmpty() && !follow) throw CliException.failed("logs: node " + node + " of lab " + name + " has no run: output (no process started there)");
        PrintWriter out = spec.commandLine().getOut();
        long[] offsets = new long[0];
        List<Path> known = new ArrayList<>();
        do {
            for (Path p : logs(LabRuntime.logs(dir), node)) if (!known.contains(p)) known.add(p);
            if (offsets.length < known.size()) offsets = Arrays.copyOf(offsets, known.size());
            for (int i = 0; i < known.size(); i++) {
                Path p = known.get(i);
                if (known.size() > 1 && offsets[i] == 0 && Files.size(p) > 0) out.println("==> " + p.getFileName() + " <==");
                offsets[i] = copy(p, offsets[i], out);
            }
            out.flush();
            if (out.checkError()) return ExitCode.OK;
            if (follow) Thread.sleep(200);
        } while (follow && Files.isDirectory(dir));
        return ExitCode.OK;
    }

    /** The node's logs, NODE.0.log, NODE.1.log, ... in run: order. */
    static List<Path> logs(Path dir, String node) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        String prefix = node + ".";
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String f = p.getFileName().toString();
                return f.startsWith(prefix) && f.endsWith(".log") && f.substring(prefix.length(), f.length() - 4).matches("\\d+");
            }).sorted(Comparator.comparingInt(p -> {
                String f = p.getFileName().toString();
                return Integer.parseInt(f.substring(prefix.length(), f.length() - 4));
            })).toList();
        }
    }

    private static long copy(Path p, long from, PrintWriter out) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            in.skipNBytes(Math.min(from, Files.size(p)));
            byte[] b = in.readAllBytes();
            out.print(new String(b, StandardCharsets.UTF_8));
            return from + b.length;
        } catch (IOException gone) {
            return from; // removed by down while we read
        }
    }
}
