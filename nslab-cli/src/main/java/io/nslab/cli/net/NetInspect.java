package io.nslab.cli.net;

import io.nslab.net.NetEngine;
import io.nslab.net.NetException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", description = "Show a network as JSON, with its nftables table as the kernel holds it.", mixinStandardHelpOptions = true)
final class NetInspect extends NetCommand.Sub {
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    int execute(NetEngine engine) throws NetException {
        out().println(engine.inspectJson(name).toPrettyString());
        return NetCommand.OK;
    }
}
