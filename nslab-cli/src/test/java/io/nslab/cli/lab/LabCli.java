package io.nslab.cli.lab;

import picocli.CommandLine;

/** A main for child-JVM tests: the lab commands as `nslab` will have them once registered in Main. */
public final class LabCli {
    private LabCli() {}

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Root());
        for (var e : LabCommands.ALL) cl.addSubcommand(e.getKey(), e.getValue().get());
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
