package io.nslab.lab.net;

import io.nslab.netlink.nft.Family;
import io.nslab.netlink.nft.Prefix;
import io.nslab.netlink.nft.TableRef;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A network as stored: what {@code net create} asked for, the endpoints
 * connected to it, and the sysctl values the host namespace had before nslab
 * turned forwarding on (restored when the last network of that namespace goes).
 *
 * @param hostNs the named namespace holding the bridge, empty for the namespace nslab runs in
 */
public record Network(String name, Prefix subnet, InetAddress gateway, String bridge, boolean internal,
                      Optional<String> hostNs, List<Endpoint> endpoints, Map<String, String> savedSysctls) {
    /** Every nslab network table starts with this, so nslab can list what it owns. */
    public static final String TABLE_PREFIX = "nslab-net-";

    public Network {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(subnet, "subnet");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(bridge, "bridge");
        Objects.requireNonNull(hostNs, "hostNs");
        endpoints = List.copyOf(endpoints);
        savedSysctls = Map.copyOf(savedSysctls);
    }

    /** The nftables table holding everything nslab installs for this network. */
    public TableRef table() {
        return new TableRef(subnet.isIpv4() ? Family.IP : Family.IP6, TABLE_PREFIX + name);
    }

    /** The gateway with the subnet's length, as it is put on the bridge. */
    public HostAddress gatewayAddress() {
        return new HostAddress(gateway, subnet.length());
    }

    /** An endpoint's address with the subnet's length. */
    public HostAddress withLength(InetAddress a) {
        return new HostAddress(a, subnet.length());
    }

    public Optional<Endpoint> endpoint(String ns) {
        return endpoints.stream().filter(e -> e.ns().equals(ns)).findFirst();
    }

    public Network withEndpoint(Endpoint e) {
        List<Endpoint> l = new ArrayList<>(endpoints);
        l.removeIf(x -> x.ns().equals(e.ns()));
        l.add(e);
        return new Network(name, subnet, gateway, bridge, internal, hostNs, l, savedSysctls);
    }

    public Network withoutEndpoint(String ns) {
        List<Endpoint> l = new ArrayList<>(endpoints);
        l.removeIf(x -> x.ns().equals(ns));
        return new Network(name, subnet, gateway, bridge, internal, hostNs, l, savedSysctls);
    }

    /** Same host namespace as {@code o}. */
    public boolean sharesHostWith(Network o) {
        return hostNs.equals(o.hostNs);
    }

    public String hostNsLabel() {
        return hostNs.orElse("(current)");
    }
}
