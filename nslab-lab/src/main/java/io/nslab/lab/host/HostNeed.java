package io.nslab.lab.host;

import io.nslab.lab.apply.KernelExecutor;
import io.nslab.lab.model.Iface;
import io.nslab.lab.model.IfaceKind;
import io.nslab.lab.model.Lab;
import io.nslab.lab.model.Node;
import io.nslab.lab.model.Route;
import io.nslab.lab.verify.Verifier;

import java.net.Inet6Address;
import java.util.HashSet;
import java.util.Set;

/**
 * What a lab asks of limits the host sets for every namespace at once.
 *
 * @param ipv4 ARP entries: the address resolutions of {@code verify}'s segment checks (both ways: a request and
 *             its reply) and one per IPv4 route gateway; traffic the lab's own programs make is not counted
 * @param ipv6 ND entries, counted the same way
 * @param fanout the most ports of one declared bridge: a broadcast (an ARP request) is copied to each of them at
 *               once into one CPU's input backlog, {@code net.core.netdev_max_backlog} frames deep
 * @param files the file descriptors {@code up} holds at once: a namespace handle and an rtnetlink socket per node
 *              up to {@link KernelExecutor#OPEN_NAMESPACES} (the rest are opened in turn), plus the JVM's own
 */
public record HostNeed(int ipv4, int ipv6, int fanout, int files) {
    public HostNeed(int ipv4, int ipv6, int fanout) {
        this(ipv4, ipv6, fanout, 0);
    }

    public static HostNeed of(Lab lab) {
        int v4 = 0, v6 = 0;
        for (Verifier.Resolution r : Verifier.resolutions(lab)) {
            if (r.ipv6()) v6++;
            else v4++;
        }
        Set<String> gateways4 = new HashSet<>(), gateways6 = new HashSet<>();
        int fanout = 0;
        for (Node n : lab.nodes()) {
            for (Route r : n.routes())
                r.via().ifPresent(g -> (g instanceof Inet6Address ? gateways6 : gateways4).add(n.name() + " " + g.getHostAddress()));
            for (Iface i : n.interfaces()) if (i.kind() instanceof IfaceKind.Bridge b) fanout = Math.max(fanout, b.ports().size());
        }
        return new HostNeed(v4 + gateways4.size(), v6 + gateways6.size(), fanout, files(lab.nodes().size()));
    }

    /** Descriptors a run over {@code nodes} namespaces holds at once (see {@link #files}). */
    static int files(int nodes) {
        return 2 * Math.min(nodes, KernelExecutor.OPEN_NAMESPACES) + 256;
    }

    /** Neighbour entries of one family. */
    public int of(boolean ipv6) { return ipv6 ? this.ipv6 : ipv4; }
}
