package io.nslab.cli.run;

import io.nslab.cli.CliException;
import io.nslab.cli.ExitCode;
import io.nslab.cli.Globals;
import io.nslab.cli.batch.BatchLine;
import io.nslab.cli.ip.IpCommand;

import java.io.PrintStream;
import java.util.List;

/** Runs parsed iproute2 commands against the kernel. */
public final class IpRunner {
    private IpRunner() {}

    public static int runOne(IpCommand c, Globals g, PrintStream out, PrintStream err) throws CliException {
        throw CliException.failed(c.text() + ": not implemented yet");
    }

    public static int runBatch(List<BatchLine> lines, Globals g, PrintStream out, PrintStream err) throws CliException {
        return ExitCode.OK;
    }
}
