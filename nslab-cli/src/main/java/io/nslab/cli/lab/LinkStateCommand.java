package io.nslab.cli.lab;

import io.nslab.cli.CliException;
import io.nslab.cli.ExitCode;
import io.nslab.lab.engine.LiveLab;
import io.nslab.lab.model.IfRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code nslab link-state LAB NODE:IF down|up}: flaps an interface of a lab that is up (not journaled). */
@Command(name = "link-state", description = "Set an interface of a lab that is up down or up (a link flap): nslab link-state LAB NODE:IF down|up")
public final class LinkStateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "LAB", description = "the lab's name (or its file)")
    String lab;

    @Parameters(index = "1", paramLabel = "NODE:IF", description = "the interface")
    String at;

    @Parameters(index = "2", paramLabel = "STATE", description = "down or up")
    String state;

    @Override public Integer call() throws Exception {
        String name = LabFiles.labName(lab);
        IfRef ref = ImpairCommand.ifRef("link-state", at);
        if (!state.equals("up") && !state.equals("down")) throw CliException.usage("link-state: \"" + state + "\" is not down or up");
        ImpairCommand.requireUp("link-state", name, ref);
        LiveLab.linkState(name, ref, state.equals("up"));
        return ExitCode.OK;
    }
}
