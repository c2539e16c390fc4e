package io.nslab.lab.host;

import io.nslab.lab.model.Lab;
import io.nslab.lab.model.Node;
import io.nslab.lab.model.Route;
import io.nslab.lab.verify.Verifier;

import java.net.Inet6Address;
import java.util.HashSet;
import java.util.Set;

/**
 * How many neighbour (ARP, ND) entries a lab makes in the kernel's tables, which every namespace shares: the
 * address resolutions of {@code verify}'s segment checks (both ways: a request and its reply) and one per route
 * gateway. Traffic the lab's own programs make beyond that is not counted.
 */
public record NeighbourNeed(int ipv4, int ipv6) {
    public static NeighbourNeed of(Lab lab) {
        int v4 = 0, v6 = 0;
        for (Verifier.Resolution r : Verifier.resolutions(lab)) {
            if (r.ipv6()) v6++;
            else v4++;
        }
        Set<String> gateways4 = new HashSet<>(), gateways6 = new HashSet<>();
        for (Node n : lab.nodes())
            for (Route r : n.routes())
                r.via().ifPresent(g -> (g instanceof Inet6Address ? gateways6 : gateways4).add(n.name() + " " + g.getHostAddress()));
        return new NeighbourNeed(v4 + gateways4.size(), v6 + gateways6.size());
    }

    public int of(boolean ipv6) { return ipv6 ? this.ipv6 : ipv4; }
}
