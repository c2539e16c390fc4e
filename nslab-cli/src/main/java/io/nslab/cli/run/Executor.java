package io.nslab.cli.run;

import io.nslab.cli.CliException;
import io.nslab.cli.ExitCode;
import io.nslab.cli.Globals;
import io.nslab.cli.ip.IpCommand;
import io.nslab.cli.ip.IpCommand.*;
import io.nslab.cli.out.Printer;

import java.io.PrintStream;
import java.util.Optional;

/**
 * Runs one parsed command in a namespace. Validates against the kernel's
 * current state before changing anything (missing device, missing target
 * namespace), so a refused command leaves everything as it was.
 */
final class Executor implements AutoCloseable {
    final Sessions sessions = new Sessions();
    final Globals globals;
    final Printer printer;
    final PrintStream out;
    final PrintStream err;

    Executor(Globals globals, PrintStream out, PrintStream err) {
        this.globals = globals;
        this.out = out;
        this.err = err;
        this.printer = new Printer(out, globals.json(), globals.pretty(), globals.details());
    }

    /** Runs {@code c} in {@code ns} (empty = the global -n, or the current namespace); returns the exit status. */
    int execute(IpCommand c, Optional<String> ns) throws CliException {
        Optional<String> where = ns.isPresent() ? ns : globals.netns();
        switch (c) {
            case NetnsAdd a -> NetnsOps.add(a, sessions);
            case NetnsDel d -> NetnsOps.del(d, sessions);
            case NetnsList l -> NetnsOps.list(l, printer);
            case NetnsIdentify i -> NetnsOps.identify(i, printer);
            case NetnsPids p -> NetnsOps.pids(p, printer);
            case NetnsExec e -> {
                return NetnsOps.exec(e, out, err);
            }
            default -> {
                return execNet(c, sessions.get(where, c.text()));
            }
        }
        return ExitCode.OK;
    }

    private int execNet(IpCommand c, NsSession s) throws CliException {
        throw CliException.failed(c.text() + ": not implemented yet");
    }

    @Override public void close() {
        sessions.close();
    }
}
