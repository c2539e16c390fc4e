package io.nslab.lab.model;

import io.nslab.netlink.route.IpPrefix;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An interface of a node, of any kind (veth ends from {@code links:} included).
 *
 * @param node      the node (namespace) it lives in
 * @param name      its name inside that namespace (1..15 bytes, the kernel's IFNAMSIZ)
 * @param addresses addresses with prefix length, in file order
 * @param ipv6      IPv6 enabled on it; off unless the file asks ({@code ipv6: true} or an IPv6 address), so
 *                  the engine writes {@code disable_ipv6=1} otherwise, as Docker does for its networks
 * @param up        bring it up (default true)
 */
public record Iface(String node, String name, IfaceKind kind, List<IpPrefix> addresses, OptionalInt mtu,
                    Optional<Mac> mac, boolean ipv6, boolean up, Src src) {
    public Iface {
        addresses = List.copyOf(addresses);
    }

    public IfRef ref() {
        return new IfRef(node, name);
    }

    public boolean isVeth() {
        return kind instanceof IfaceKind.Veth;
    }
}
