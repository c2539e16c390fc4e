package io.nslab.cli.run;

import io.nslab.cli.CliException;
import io.nslab.cli.ExitCode;
import io.nslab.cli.Globals;
import io.nslab.cli.batch.BatchLine;
import io.nslab.cli.ip.IpCommand;
import io.nslab.cli.ip.IpParser;
import io.nslab.cli.ip.Names;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Runs parsed iproute2 commands: one from the command line, or a batch. */
public final class IpRunner {
    private IpRunner() {}

    public static int runOne(IpCommand c, Globals g, PrintStream out, PrintStream err) throws CliException {
        OutputForms.check(c, g);
        warn(c, err);
        try (Executor x = new Executor(g, out, err)) {
            return x.execute(c, g.netns());
        }
    }

    /** A parsed batch line, or the error that made it unparseable. */
    record Parsed(BatchLine line, IpCommand command, CliException error) {}

    /**
     * Runs a batch: every line is parsed first, so without {@code -force} a
     * syntax error anywhere stops the batch before anything is changed; then
     * the lines run in order, stopping at the first failure unless
     * {@code -force}. Errors are printed as {@code nslab: FILE:LINE: MESSAGE}.
     */
    public static int runBatch(List<BatchLine> lines, Globals g, PrintStream out, PrintStream err) throws CliException {
        List<Parsed> parsed = new ArrayList<>(lines.size());
        for (BatchLine l : lines) {
            try {
                if (l.netns().isPresent()) Names.checkNetns(l.netns().get());
                IpCommand c = IpParser.parse(l.words());
                OutputForms.check(c, g);
                warn(c, err);
                parsed.add(new Parsed(l, c, null));
            } catch (CliException e) {
                if (!g.force()) throw new CliException(BatchRun.batchStatus(ExitCode.OK, e.exitCode()), l.where() + ": " + e.getMessage());
                parsed.add(new Parsed(l, null, e));
            }
        }
        try (Executor x = new Executor(g, out, err)) {
            return new BatchRun(x, parsed, g.force(), err).run();
        }
    }

    /** ip's warnings, worded as ip words them: the command goes on without what they name. */
    private static void warn(IpCommand c, PrintStream err) {
        for (String w : c.warnings()) err.println("Warning: " + w);
    }
}
