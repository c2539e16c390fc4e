package io.nslab.cli.net;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code nslab net batch FILE|-}: one net subcommand per line ({@code connect web ns1 -p 8080:80}),
 * run in one process, like {@code ip -batch}: what a runtime attaching many
 * namespaces wants (one JVM start instead of one per attachment). Blank lines
 * and {@code #} comments are skipped; the first failing line stops the batch
 * (exit 1, its line number on stderr); earlier lines stay done.
 */
@Command(name = "batch", description = "Run net subcommands read from FILE (or - for stdin), one per line.",
        mixinStandardHelpOptions = true)
final class NetBatch implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand NetCommand parent;
    @Parameters(index = "0", paramLabel = "FILE") String file;
    @CommandLine.Option(names = "--timing", description = "Print each line's wall time to stderr (for benchmarks).")
    boolean timing;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        List<String> lines;
        if (file.equals("-")) {
            BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            lines = r.lines().toList();
        } else {
            lines = Files.readAllLines(Path.of(file));
        }
        CommandLine one = new CommandLine(new NetCommand(parent.engineSupplier()));
        one.setOut(spec.commandLine().getOut());
        one.setErr(err);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            List<String> words = new ArrayList<>(List.of(line.split("\\s+")));
            if (words.getFirst().equals("batch")) {
                err.println("nslab: net batch: line " + (i + 1) + ": batch cannot nest");
                return NetCommand.FAILED;
            }
            long t0 = System.nanoTime();
            int rc = one.execute(words.toArray(String[]::new));
            if (timing) err.printf(java.util.Locale.ROOT, "nslab: net batch: line %d: %.2f ms%n", i + 1, (System.nanoTime() - t0) / 1e6);
            if (rc != 0) {
                err.println("nslab: net batch: stopped at line " + (i + 1) + " of " + file);
                err.flush();
                return rc;
            }
        }
        return NetCommand.OK;
    }
}
