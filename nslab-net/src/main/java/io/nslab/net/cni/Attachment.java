package io.nslab.net.cni;

import io.nslab.netlink.route.IpPrefix;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * One container interface on a CNI network, as the store keeps it: keyed by
 * container ID and interface name, with the namespace path the runtime gave,
 * the host side of its veth pair, its MAC, the addresses it got (one per
 * range set, with that range's gateway) and its published ports.
 */
public record Attachment(Key key, String netns, String hostIf, String mac, List<Ip> ips, List<CniConfig.PortMap> ports) {
    public Attachment {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(netns, "netns");
        ips = List.copyOf(ips);
        ports = List.copyOf(ports);
    }

    /** What the spec keys an attachment by. */
    public record Key(String containerId, String ifname) {
        @Override
        public String toString() {
            return containerId + "/" + ifname;
        }
    }

    /** An address handed out from range set {@code set}, with its prefix length and the range's gateway. */
    public record Ip(int set, IpPrefix address, InetAddress gateway) {}
}
