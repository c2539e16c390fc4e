package io.nslab.cli.net;

import io.nslab.net.NetEngine;
import io.nslab.net.NetException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "disconnect", description = "Disconnect a namespace (nothing to do if it is not connected, or gone).",
        mixinStandardHelpOptions = true)
final class NetDisconnect extends NetCommand.Sub {
    @Parameters(index = "0", paramLabel = "NETWORK") String network;
    @Parameters(index = "1", paramLabel = "NS") String ns;

    @Override
    int execute(NetEngine engine) throws NetException {
        boolean was = engine.disconnect(network, ns);
        if (!was) spec.commandLine().getErr().println("nslab: " + ns + " is not connected to " + network + "; nothing to do");
        return NetCommand.OK;
    }
}
