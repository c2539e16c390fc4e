package io.nslab.cli.run;

import io.nslab.cli.CliException;
import io.nslab.cli.ExitCode;

import java.io.PrintStream;
import java.util.List;

/** One batch run over an {@link Executor}. */
final class BatchRun {
    private final Executor x;
    private final List<IpRunner.Parsed> lines;
    private final boolean force;
    private final PrintStream err;

    BatchRun(Executor x, List<IpRunner.Parsed> lines, boolean force, PrintStream err) {
        this.x = x;
        this.lines = lines;
        this.force = force;
        this.err = err;
    }

    int run() {
        int status = ExitCode.OK;
        for (IpRunner.Parsed p : lines) {
            if (p.error() != null) {
                err.println("nslab: " + p.line().where() + ": " + p.error().getMessage());
                status = IpRunner.worst(status, p.error().exitCode());
                continue;
            }
            try {
                int rc = x.execute(p.command(), p.line().netns());
                if (rc != ExitCode.OK) {
                    status = IpRunner.worst(status, rc);
                    if (!force) return status;
                }
            } catch (CliException e) {
                err.println("nslab: " + p.line().where() + ": " + e.getMessage());
                status = IpRunner.worst(status, e.exitCode());
                if (!force) return status;
            }
        }
        return status;
    }
}
