package io.nslab.cli.net;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.nslab.net.NetEngine;
import io.nslab.net.NetException;
import io.nslab.net.NetStore;
import io.nslab.net.Network;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

@Command(name = "ls", aliases = "list", description = "List networks.", mixinStandardHelpOptions = true)
final class NetLs extends NetCommand.Sub {
    @Option(names = {"-j", "--json"}, description = "JSON array, as inspect prints each network") boolean json;

    @Override
    int execute(NetEngine engine) throws NetException {
        List<Network> all = engine.list();
        // a network file that cannot be read is left out, and said so: the others are listed as usual
        for (String p : engine.store().problems()) err().println("nslab: warning: " + p);
        err().flush();
        if (json) {
            var arr = JsonNodeFactory.instance.arrayNode();
            for (Network n : all) arr.add(NetStore.toJson(n));
            out().println(arr.toPrettyString());
            return NetCommand.OK;
        }
        String fmt = "%-16s %-20s %-16s %-15s %-12s %-9s %s%n";
        out().printf(fmt, "NAME", "SUBNET", "GATEWAY", "BRIDGE", "HOSTNS", "ENDPOINTS", "INTERNAL");
        for (Network n : all)
            out().printf(fmt, n.name(), n.subnetText(), n.gateway().getHostAddress(), n.bridge(), n.hostNs().orElse("-"),
                    n.endpoints().size(), n.internal() ? "yes" : "no");
        return NetCommand.OK;
    }
}
