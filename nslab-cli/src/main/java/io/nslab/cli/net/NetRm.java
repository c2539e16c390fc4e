package io.nslab.cli.net;

import io.nslab.net.NetEngine;
import io.nslab.net.NetException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rm", aliases = "remove", description = "Remove a network (refused while connected, unless --force).",
        mixinStandardHelpOptions = true)
final class NetRm extends NetCommand.Sub {
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Option(names = {"-f", "--force"}, description = "disconnect every endpoint first") boolean force;

    @Override
    int execute(NetEngine engine) throws NetException {
        engine.remove(name, force);
        out().println(name);
        return NetCommand.OK;
    }
}
