package io.nslab.cli.net;

import io.nslab.lab.net.NetEngine;
import io.nslab.lab.net.NetException;
import io.nslab.lab.net.NetStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", description = "Show a network as JSON.", mixinStandardHelpOptions = true)
final class NetInspect extends NetCommand.Sub {
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    int execute(NetEngine engine) throws NetException {
        out().println(NetStore.toJson(engine.inspect(name)).toPrettyString());
        return NetCommand.OK;
    }
}
