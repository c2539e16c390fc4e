package io.nslab.lab.verify;

import io.nslab.lab.model.Lab;
import io.nslab.lab.model.Node;
import io.nslab.lab.model.Service;
import io.nslab.lab.probe.ProbeServer;
import io.nslab.netlink.netns.NetNs;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The servers of the file's {@code serve:} entries (the seeds' {@code python3
 * -m http.server 80}), run by nslab inside each node's namespace for as long
 * as this object is open. An HTTP server answers with the node's name.
 */
public final class Services implements AutoCloseable {
    private final List<ProbeServer> servers;

    private Services(List<ProbeServer> servers) {
        this.servers = servers;
    }

    public static Services start(Lab lab, Map<String, NetNs> nodes) throws IOException {
        List<ProbeServer> started = new ArrayList<>();
        try {
            for (Node n : lab.nodes()) {
                NetNs ns = nodes.get(n.name());
                for (Service s : n.serve()) {
                    ProbeServer.Kind kind = switch (s.proto()) {
                        case HTTP -> ProbeServer.Kind.HTTP;
                        case UDP -> ProbeServer.Kind.UDP_ECHO;
                        default -> ProbeServer.Kind.TCP_ECHO;
                    };
                    String body = "nslab " + lab.name() + " " + n.name() + "\n";
                    started.add(ns.call(() -> ProbeServer.start(kind, new InetSocketAddress(s.port()), body)));
                }
            }
            return new Services(started);
        } catch (IOException | RuntimeException e) {
            started.forEach(ProbeServer::close);
            throw e;
        }
    }

    public int count() { return servers.size(); }

    @Override public void close() { servers.forEach(ProbeServer::close); }
}
