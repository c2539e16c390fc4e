package io.nslab.net;

import io.nslab.netlink.nft.BridgeNat;
import io.nslab.netlink.nft.PortMapping;
import io.nslab.netlink.nft.Transaction;

import java.util.ArrayList;
import java.util.List;

/**
 * The nftables table of a network: the library's {@link BridgeNat} recipe
 * (masquerade, published ports as map elements with hairpin and 127.0.0.1
 * publishing, isolation; the table is drawn there) applied to a stored
 * {@link Network}. Its rules never change after {@code create}; published
 * ports are elements of four maps, so a {@code connect} or {@code disconnect}
 * is one atomic transaction that adds or deletes a few map elements, whatever
 * the number of endpoints. {@link #replace} is the whole table as a pure
 * function of the stored state: used by {@code create}, for rollback and
 * recovery, and as the fallback when an element change is refused (a table
 * the store and the kernel disagree on is rewritten, not patched).
 */
public final class NetTables {
    private NetTables() {}

    public static final String PREROUTING = BridgeNat.PREROUTING, OUTPUT = BridgeNat.OUTPUT,
            POSTROUTING = BridgeNat.POSTROUTING, FORWARD = BridgeNat.FORWARD;
    public static final String PUB_ADDR = BridgeNat.PUB_ADDR, PUB_PORT = BridgeNat.PUB_PORT,
            PUBIP_ADDR = BridgeNat.PUBIP_ADDR, PUBIP_PORT = BridgeNat.PUBIP_PORT;

    /** The library's recipe for this network: its table, subnet, bridge, internal or not. */
    public static BridgeNat recipe(Network n) {
        return new BridgeNat(n.table(), n.subnet(), n.bridge(), n.internal());
    }

    /** The transaction that makes the network's table exactly what {@code n} describes. */
    public static Transaction replace(Network n) {
        return recipe(n).replace(mappings(n.endpoints()));
    }

    /** Publishes the endpoint's ports: map elements added in one transaction (empty when it has none). */
    public static Transaction connect(Network n, Endpoint e) {
        return recipe(n).publish(mappings(List.of(e)));
    }

    /** Withdraws the endpoint's ports: map elements deleted in one transaction (empty when it has none). */
    public static Transaction disconnect(Network n, Endpoint e) {
        return recipe(n).unpublish(mappings(List.of(e)));
    }

    /** Removes the network's table if it exists. */
    public static Transaction remove(Network n) {
        return recipe(n).remove();
    }

    /** Every published port of {@code endpoints}, in order. */
    static List<PortMapping> mappings(List<Endpoint> endpoints) {
        List<PortMapping> out = new ArrayList<>();
        for (Endpoint e : endpoints) for (PublishedPort p : e.ports()) out.add(mapping(e, p));
        return out;
    }

    /** True if a port is published on a loopback address (needs route_localnet on the bridge). */
    public static boolean publishesOnLoopback(Network n) {
        return n.endpoints().stream().flatMap(e -> e.ports().stream())
                .anyMatch(p -> p.hostIp().isPresent() && p.hostIp().get().isLoopbackAddress());
    }

    public static PortMapping mapping(Endpoint e, PublishedPort p) {
        return new PortMapping(p.proto(), p.hostIp(), p.hostPort(), e.address(), p.port());
    }
}
