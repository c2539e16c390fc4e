package io.nslab.cli.net;

import io.nslab.net.Endpoint;
import io.nslab.net.NetEngine;
import io.nslab.net.NetException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

@Command(name = "connect", description = "Connect a namespace: veth, address, default route, published ports.",
        mixinStandardHelpOptions = true)
final class NetConnect extends NetCommand.Sub {
    @Parameters(index = "0", paramLabel = "NETWORK") String network;
    @Parameters(index = "1", paramLabel = "NS", description = "a named network namespace (ip netns)") String ns;
    @Option(names = "--ip", paramLabel = "IP", description = "address to give (default: the next free one)") String ip;
    @Option(names = "--ifname", paramLabel = "NAME", defaultValue = "eth0", description = "interface name inside NS (default: ${DEFAULT-VALUE})") String ifname;
    @Option(names = {"-p", "--publish"}, paramLabel = "[HOSTIP:]HOSTPORT:PORT[/tcp|udp]") List<String> ports = new ArrayList<>();

    @Override
    int execute(NetEngine engine) throws NetException {
        Endpoint e = engine.connect(new NetEngine.ConnectRequest(network, ns, Optional.ofNullable(ip), ifname, ports));
        out().println(e.ns() + " " + e.ifname() + " " + e.address().getHostAddress());
        return NetCommand.OK;
    }
}
