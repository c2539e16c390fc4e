package io.nslab.cli;

import io.nslab.cli.batch.BatchLine;
import io.nslab.cli.batch.BatchReader;
import io.nslab.cli.bridge.BridgeTool;
import io.nslab.cli.ip.IpCommand;
import io.nslab.cli.ip.IpParser;
import io.nslab.cli.ip.Names;
import io.nslab.cli.run.IpRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

/** The top-level {@code nslab} command: ip's global options, {@code -batch}, and the subcommands. */
@Command(name = "nslab", sortOptions = false, usageHelpAutoWidth = true, version = "nslab 0.1.0",
        description = {"Linux virtual networks over rtnetlink.",
                "iproute2 syntax: nslab [-n NS] [-j] [-d] OBJECT COMMAND ...  (objects: netns, link, tuntap, addr, route, neigh, rule, monitor; tc's qdisc)",
                "Batch: nslab [-force] -batch FILE   (FILE '-' = stdin; a line may start with -n NS)",
                "iproute2's bridge tool: nslab [-n NS] bridge [-j] [-p] [-d] [-n NS] link|fdb|vlan ...  (see docs/cli.md)"})
final class NslabCommand implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;
    private final InputStream stdin;

    @Option(names = {"-n", "-netns"}, paramLabel = "NS", description = "run in the named network namespace (as ip -n)")
    String netns;
    @Option(names = {"-j", "-json"}, description = "JSON output with ip -j's keys")
    boolean json;
    @Option(names = {"-p", "-pretty"}, description = "indent JSON output")
    boolean pretty;
    @Option(names = {"-d", "-details"}, description = "more details (link kind data)")
    boolean details;
    @Option(names = {"-4"}, description = "IPv4 only")
    boolean v4;
    @Option(names = {"-6"}, description = "IPv6 only")
    boolean v6;
    @Option(names = {"-s", "-stats"}, description = "counters with link and addr show (twice: error counters too)")
    boolean[] stats = new boolean[0];
    @Option(names = {"-br", "-brief"}, description = "one short line per interface (link and addr show)")
    boolean brief;
    @Option(names = {"-o", "-oneline"}, description = "each object on one line, its line breaks written as '\\\\'")
    boolean oneline;
    @Option(names = {"-b", "-batch"}, paramLabel = "FILE", description = "read commands from FILE ('-' for stdin)")
    String batch;
    @Option(names = {"-force"}, description = "in batch mode, go on after errors (exit status still reports them)")
    boolean force;
    @Option(names = {"-h", "--help", "-help"}, usageHelp = true, description = "show this help")
    boolean help;
    @Option(names = {"-V", "--version", "-Version"}, versionHelp = true, description = "print the version")
    boolean version;

    NslabCommand(PrintStream out, PrintStream err, InputStream stdin) {
        this.out = out;
        this.err = err;
        this.stdin = stdin;
    }

    Globals globals() throws CliException {
        if (netns != null) Names.checkNetns(netns);
        OptionalInt family = v4 ? OptionalInt.of(2) : v6 ? OptionalInt.of(10) : OptionalInt.empty();
        return new Globals(Optional.ofNullable(netns), json, details, pretty, family, force, stats.length, brief, oneline);
    }

    /** No subcommand: a batch, or usage. */
    @Override public Integer call() {
        if (batch == null) {
            err.println("nslab: missing object or command (try nslab --help)");
            return ExitCode.USAGE;
        }
        try {
            Globals g = globals();
            List<BatchLine> lines;
            if (batch.equals("-")) {
                lines = BatchReader.read("-", new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)));
            } else {
                try (BufferedReader r = Files.newBufferedReader(Path.of(batch), StandardCharsets.UTF_8)) {
                    lines = BatchReader.read(batch, r);
                } catch (NoSuchFileException e) {
                    throw CliException.usage("-batch " + batch + ": no such file");
                }
            }
            return IpRunner.runBatch(lines, g, out, err);
        } catch (CliException e) {
            return Problems.report(e, errWriter());
        } catch (CharacterCodingException e) {
            return Problems.report(CliException.usage("-batch " + batch + ": not UTF-8 text (a batch file is iproute2 commands, one per line)"), errWriter());
        } catch (AccessDeniedException e) {
            return Problems.report(new CliException(ExitCode.ENVIRONMENT, "-batch " + batch + ": permission denied"), errWriter());
        } catch (IOException e) {
            String why = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
            return Problems.report(CliException.usage("-batch " + batch + ": " + why), errWriter());
        }
    }

    /** Runs one iproute2 command line. */
    int runIp(String object, List<String> args) {
        try {
            if (batch != null) throw CliException.usage("-batch takes no object on the command line");
            Globals g = globals();
            IpCommand c = IpParser.parse(object, args);
            return IpRunner.runOne(c, g, out, err);
        } catch (CliException e) {
            return Problems.report(e, errWriter());
        }
    }

    /** Runs iproute2's {@code bridge} tool ({@code nslab [-n NS] bridge [OPTIONS] OBJECT ...}). */
    int runBridge(List<String> args) {
        try {
            if (batch != null) throw CliException.usage("-batch takes no object on the command line");
            return BridgeTool.run(globals(), args, out, err);
        } catch (CliException e) {
            return Problems.report(e, errWriter());
        }
    }

    private PrintWriter errWriter() {
        return new PrintWriter(err, true, StandardCharsets.UTF_8);
    }
}
