package io.nslab.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * One iproute2 object ({@code link}, {@code addr}, ...) as a picocli
 * subcommand. picocli only routes; the words after the object are parsed by
 * {@link io.nslab.cli.ip.IpParser} with ip's own rules (abbreviations,
 * keywords in any order), since they are not option-shaped.
 */
@Command(description = "iproute2 object (same syntax as ip)")
final class IpObjectCommand implements Callable<Integer> {
    private final String object;

    @ParentCommand NslabCommand parent;

    @Parameters(arity = "0..*", paramLabel = "ARGS", description = "COMMAND and arguments, as for ip")
    List<String> args = new ArrayList<>();

    IpObjectCommand(String object) {
        this.object = object;
    }

    @Override public Integer call() {
        return parent.runIp(object, args);
    }
}
