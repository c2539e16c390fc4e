package io.nslab.cli.net;

import io.nslab.net.NetEngine;
import io.nslab.net.NetException;
import io.nslab.net.Network;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Optional;

@Command(name = "create", description = "Create a network: a bridge with the gateway address, forwarding, masquerade.",
        mixinStandardHelpOptions = true)
final class NetCreate extends NetCommand.Sub {
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Option(names = "--subnet", required = true, paramLabel = "CIDR", description = "e.g. 172.17.0.0/16") String subnet;
    @Option(names = "--gateway", paramLabel = "IP", description = "default: the first address of the subnet") String gateway;
    @Option(names = "--internal", description = "no masquerade, no traffic leaves the bridge") boolean internal;
    @Option(names = "--ns", paramLabel = "HOSTNS", description = "namespace holding the bridge (default: the current one)") String hostNs;
    @Option(names = "--bridge", paramLabel = "IFNAME", description = "bridge name (default: nsl-NAME)") String bridge;

    @Override
    int execute(NetEngine engine) throws NetException {
        Network n = engine.create(new NetEngine.CreateRequest(name, subnet, Optional.ofNullable(gateway), internal,
                Optional.ofNullable(hostNs), Optional.ofNullable(bridge)));
        out().println(n.name());
        return NetCommand.OK;
    }
}
