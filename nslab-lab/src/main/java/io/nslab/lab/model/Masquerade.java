package io.nslab.lab.model;

import io.nslab.netlink.route.IpPrefix;

import java.util.Optional;

/**
 * Source NAT of a node: packets from {@code source} leaving by {@code out} (or by any interface but
 * {@code notOut}) get the address of the outgoing interface, like
 * {@code iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE}. Exactly one of
 * {@code out} / {@code notOut} is set; both name interfaces of the same node.
 */
public record Masquerade(IpPrefix source, Optional<String> out, Optional<String> notOut, Src src) {
}
