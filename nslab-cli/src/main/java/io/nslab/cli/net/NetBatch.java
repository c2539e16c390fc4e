package io.nslab.cli.net;

import io.nslab.cli.CliException;
import io.nslab.cli.ExitCode;
import io.nslab.cli.Problems;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
    public Integer call() throws IOException, CliException {
        PrintWriter err = spec.commandLine().getErr();
        List<String> lines;
        if (file.equals("-")) {
            BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            lines = r.lines().toList();
        } else {
            String shown = "net batch " + Problems.oneLine(file);
            Path p = Path.of(file);
            if (Files.isDirectory(p)) throw CliException.usage(shown + ": is a directory");
            if (!Files.exists(p)) throw CliException.usage(shown + ": no such file");
            try {
                lines = Files.readAllLines(p);
            } catch (CharacterCodingException e) {
                throw CliException.usage(shown + ": not UTF-8 text");
            }
            if (lines.stream().anyMatch(l -> l.indexOf('\0') >= 0)) throw CliException.usage(shown + ": not a text file (NUL bytes)");
        }
        CommandLine one = new CommandLine(new NetCommand(parent.engineSupplier()));
        one.setOut(spec.commandLine().getOut());
        one.setErr(err);
        int[] at = {0};
        // a line that does not parse: one line naming file and line, not picocli's usage text
        one.setParameterExceptionHandler((ex, a) -> {
            err.println("nslab: net batch " + Problems.oneLine(file) + ":" + at[0] + ": " + Problems.oneLine(ex.getMessage()));
            err.flush();
            return ExitCode.USAGE;
        });
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            List<String> words = new ArrayList<>(List.of(line.split("\\s+")));
            if (words.getFirst().equals("batch")) {
                err.println("nslab: net batch: line " + (i + 1) + ": batch cannot nest");
                return NetCommand.FAILED;
            }
            long t0 = System.nanoTime();
            at[0] = i + 1;
            int rc = one.execute(words.toArray(String[]::new));
            if (rc == ExitCode.USAGE) return rc;
            if (timing) err.printf(Locale.ROOT, "nslab: net batch: line %d: %.2f ms%n", i + 1, (System.nanoTime() - t0) / 1e6);
            if (rc != 0) {
                err.println("nslab: net batch: stopped at line " + (i + 1) + " of " + file);
                err.flush();
                return rc;
            }
        }
        return NetCommand.OK;
    }
}
