package io.nslab.cli.lab;

import io.nslab.cli.CliException;
import picocli.CommandLine;

/** A main for child-JVM tests: the lab commands as `nslab` will have them once registered in Main. */
public final class LabCli {
    private LabCli() {}

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Root());
        for (var e : LabCommands.ALL) cl.addSubcommand(e.getKey(), e.getValue().get());
        // as Main does: a CliException is one line on stderr and its exit code
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (ex instanceof CliException c) {
                line.getErr().println("nslab: " + c.getMessage());
                return c.exitCode();
            }
            throw ex;
        });
        return cl;
    }

    @CommandLine.Command(name = "nslab")
    static final class Root implements Runnable {
        @Override public void run() { }
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
