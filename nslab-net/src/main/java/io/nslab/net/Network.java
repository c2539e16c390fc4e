package io.nslab.net;

import io.nslab.netlink.nft.Family;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.nft.TableRef;

import io.nslab.state.Marker;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A network as stored (its subnet always with the host bits cleared): what {@code net create} asked for, the endpoints
 * connected to it, and the sysctl values the host namespace had before nslab
 * turned forwarding on (restored when the last network of that namespace goes).
 *
 * @param hostNs the named namespace holding the bridge, empty for the namespace nslab runs in
 */
public record Network(String name, IpPrefix subnet, InetAddress gateway, String bridge, boolean internal,
                      Optional<String> hostNs, List<Endpoint> endpoints, Map<String, String> savedSysctls) {
    /** Every nslab network table starts with this, so nslab can list what it owns. */
    public static final String TABLE_PREFIX = "nslab-net-";

    public Network {
        Objects.requireNonNull(name, "name");
        subnet = Objects.requireNonNull(subnet, "subnet").network();
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(bridge, "bridge");
        Objects.requireNonNull(hostNs, "hostNs");
        endpoints = List.copyOf(endpoints);
        savedSysctls = Map.copyOf(savedSysctls);
    }

    /**
     * A prefix as nslab net has always written it, in its state files and its
     * messages: the address as {@link InetAddress#getHostAddress()} spells it (IPv6
     * uncompressed, {@code fd00:0:0:0:0:0:0:0/64}), then the length. {@link IpPrefix#toString()}
     * is RFC 5952; the state files must read and write as before.
     */
    public static String text(IpPrefix p) {
        return p.address().getHostAddress() + "/" + p.length();
    }

    /** The mark on the links this network makes (its bridge, its host-side veth ends): {@code nslab:net:NAME}. */
    public Marker marker() {
        return Marker.net(name);
    }

    /** The subnet as {@link #text(IpPrefix)} writes it. */
    public String subnetText() {
        return text(subnet);
    }

    /** The nftables table holding everything nslab installs for this network. */
    public TableRef table() {
        return new TableRef(subnet.isIpv4() ? Family.IP : Family.IP6, TABLE_PREFIX + name);
    }

    /** The gateway with the subnet's length, as it is put on the bridge. */
    public IpPrefix gatewayAddress() {
        return new IpPrefix(gateway, subnet.length());
    }

    /** An endpoint's address with the subnet's length. */
    public IpPrefix withLength(InetAddress a) {
        return new IpPrefix(a, subnet.length());
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
