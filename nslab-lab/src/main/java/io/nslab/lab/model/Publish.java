package io.nslab.lab.model;

import java.net.InetAddress;
import java.util.Optional;

/**
 * A published port of a node (destination NAT): {@code proto} traffic to this node's {@code port} goes to
 * {@code to}'s {@code toPort}, like {@code iptables -t nat -A PREROUTING -p tcp --dport 8080 -j DNAT
 * --to-destination 172.17.10.10:80}. {@code toAddress} is the target's address when the file gives it;
 * otherwise {@link Lab#publishTarget} derives it (the target's address on a subnet this node is on).
 * {@code in} restricts it to packets arriving by that interface of this node.
 */
public record Publish(int port, Proto proto, String to, int toPort, Optional<InetAddress> toAddress,
                      Optional<String> in, Src src) {
}
