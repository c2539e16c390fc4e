package io.nslab.netlink.nft;

import io.nslab.netlink.route.IpPrefix;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import static io.nslab.netlink.nft.Expr.accept;
import static io.nslab.netlink.nft.Expr.ctState;
import static io.nslab.netlink.nft.Expr.ctStatus;
import static io.nslab.netlink.nft.Expr.daddr;
import static io.nslab.netlink.nft.Expr.dnat;
import static io.nslab.netlink.nft.Expr.dport;
import static io.nslab.netlink.nft.Expr.drop;
import static io.nslab.netlink.nft.Expr.fibDaddrLocal;
import static io.nslab.netlink.nft.Expr.iifname;
import static io.nslab.netlink.nft.Expr.masquerade;
import static io.nslab.netlink.nft.Expr.oifname;
import static io.nslab.netlink.nft.Expr.saddr;

/**
 * The rules the seed tutorials (and Docker's bridge driver) write by hand
 * with iptables, as typed nftables rules. Each returns a {@link Rule}; add
 * {@link Rule#counted()} for a counter, {@link Rule#withComment} for a label.
 *
 * <table>
 * <caption>iptables → nft</caption>
 * <tr><td>{@code -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE}</td>
 *     <td>{@link #masqueradeSubnet}: {@code ip saddr 172.17.0.0/16 oifname != "docker0" masquerade}</td></tr>
 * <tr><td>{@code -A FORWARD -i docker0 ! -o docker0 -j ACCEPT}</td>
 *     <td>{@link #acceptOutbound}: {@code iifname "docker0" oifname != "docker0" accept}</td></tr>
 * <tr><td>{@code -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT}</td>
 *     <td>{@link #acceptReturning}: {@code oifname "docker0" ct state established,related accept}</td></tr>
 * <tr><td>{@code -t nat -A PREROUTING -m addrtype --dst-type LOCAL -p tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80}</td>
 *     <td>{@link #publish}: {@code fib daddr type local tcp dport 8080 dnat ip to 172.17.0.2:80}</td></tr>
 * <tr><td>{@code -t nat -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL ... -j DNAT ...}</td>
 *     <td>{@link #publishLocal}: {@code ip daddr != 127.0.0.0/8 fib daddr type local tcp dport 8080 dnat ip to ...}</td></tr>
 * <tr><td>{@code -t nat -A POSTROUTING -s 172.17.0.2 -d 172.17.0.2 -p tcp --dport 80 -j MASQUERADE}</td>
 *     <td>{@link #hairpinMasquerade}</td></tr>
 * <tr><td>{@code -A FORWARD -i br-a -o br-b -j DROP} (both ways)</td>
 *     <td>{@link #isolate}</td></tr>
 * </table>
 *
 * <p>The whole recipe of a Docker-style bridge (masquerade, published ports as
 * map elements with hairpin and 127.0.0.1 publishing, isolation) is
 * {@link BridgeNat}, built from the rules here.
 */
public final class Recipes {
    private Recipes() {}

    /** {@code ip saddr SUBNET oifname != "EXCEPT" masquerade}: the subnet reaches the world as the host. */
    public static Rule masqueradeSubnet(ChainRef postrouting, IpPrefix subnet, String exceptOutIface) {
        return Rule.of(postrouting, saddr(subnet), oifname(exceptOutIface).negate(), masquerade());
    }

    /** {@code ip saddr SUBNET oifname "OUT" masquerade}: masquerade only when leaving by one interface (tutorial S4). */
    public static Rule masqueradeSubnetVia(ChainRef postrouting, IpPrefix subnet, String outIface) {
        return Rule.of(postrouting, saddr(subnet), oifname(outIface), masquerade());
    }

    /** {@code iifname "IN" oifname "OUT" accept}. */
    public static Rule acceptForward(ChainRef forward, String in, String out) {
        return Rule.of(forward, iifname(in), oifname(out), accept());
    }

    /** {@code iifname "BR" oifname != "BR" accept}: from the bridge's namespaces to anywhere else. */
    public static Rule acceptOutbound(ChainRef forward, String bridge) {
        return Rule.of(forward, iifname(bridge), oifname(bridge).negate(), accept());
    }

    /** {@code oifname "BR" ct state established,related accept}: replies back into the bridge. */
    public static Rule acceptReturning(ChainRef forward, String bridge) {
        return Rule.of(forward, oifname(bridge), ctState(CtState.ESTABLISHED, CtState.RELATED), accept());
    }

    /** {@code ct state established,related accept}. */
    public static Rule acceptEstablished(ChainRef forward) {
        return Rule.of(forward, ctState(CtState.ESTABLISHED, CtState.RELATED), accept());
    }

    /**
     * {@code oifname "BR" ip daddr TARGET tcp dport PORT accept}: lets DNAT'ed
     * traffic of a published port through a forward chain whose policy is drop.
     */
    public static Rule acceptPublished(ChainRef forward, String bridge, PortMapping m) {
        return Rule.of(forward, oifname(bridge), daddr(m.target()), dport(m.proto(), m.targetPort()), accept());
    }

    /**
     * DNAT of a published port, for the nat prerouting chain:
     * {@code ip daddr HOSTIP tcp dport 8080 dnat ip to 172.17.0.2:80}, or with
     * {@code fib daddr type local} in place of the address match when the port
     * is published on every address of the host.
     */
    public static Rule publish(ChainRef natChain, PortMapping m) {
        List<Expr> e = new ArrayList<>();
        if (m.hostIp().isPresent()) e.add(daddr(m.hostIp().get()));
        else e.add(fibDaddrLocal());
        e.add(dport(m.proto(), m.hostPort()));
        e.add(dnat(m.target(), m.targetPort()));
        return Rule.of(natChain, e);
    }

    /**
     * The same DNAT for the nat output chain (connections the host itself, or
     * anything routed through its local stack, opens to a published port).
     * When published on every address, loopback destinations are excluded
     * ({@code ip daddr != 127.0.0.0/8}), as Docker does: DNAT'ing a
     * 127.0.0.1-sourced packet to a bridge address needs {@code route_localnet}.
     */
    public static Rule publishLocal(ChainRef natOutput, PortMapping m) {
        if (m.hostIp().isPresent()) return publish(natOutput, m);
        IpPrefix loopback = m.isIpv6() ? IpPrefix.parse("::1/128") : IpPrefix.parse("127.0.0.0/8");
        List<Expr> e = new ArrayList<>();
        e.add(daddr(loopback).negate());
        e.add(fibDaddrLocal());
        e.add(dport(m.proto(), m.hostPort()));
        e.add(dnat(m.target(), m.targetPort()));
        return Rule.of(natOutput, e);
    }

    /**
     * Hairpin NAT: a container reaching its own published port through the
     * host address gets its source masqueraded, so the reply comes back through
     * the host: {@code ip saddr T ip daddr T tcp dport P masquerade}.
     */
    public static Rule hairpinMasquerade(ChainRef postrouting, PortMapping m) {
        InetAddress t = m.target();
        return Rule.of(postrouting, saddr(t), daddr(t), dport(m.proto(), m.targetPort()), masquerade());
    }

    /** {@code iifname "FROM" oifname "TO" drop}. */
    public static Rule dropBetween(ChainRef forward, String from, String to) {
        return Rule.of(forward, iifname(from), oifname(to), drop());
    }

    /** Isolation of two bridges, both directions (Docker's inter-network isolation). */
    public static List<Rule> isolate(ChainRef forward, String bridgeA, String bridgeB) {
        return List.of(dropBetween(forward, bridgeA, bridgeB), dropBetween(forward, bridgeB, bridgeA));
    }

    /**
     * {@code oifname "BR" iifname != "BR" ct status dnat accept}: traffic from
     * elsewhere into the bridge is let through only for published ports
     * (Docker's "only published ports are reachable" rule).
     */
    public static Rule acceptPublishedInto(ChainRef forward, String bridge) {
        return Rule.of(forward, oifname(bridge), iifname(bridge).negate(), ctStatus("dnat"), accept());
    }

    /**
     * {@code oifname "BR" iifname != "BR" drop}: everything else entering the
     * bridge from another interface, which also isolates networks from each
     * other without any rule naming the other networks.
     */
    public static Rule dropInto(ChainRef forward, String bridge) {
        return Rule.of(forward, oifname(bridge), iifname(bridge).negate(), drop());
    }

    /** {@code iifname "BR" oifname != "BR" drop}: an internal network never leaves its bridge. */
    public static Rule dropOutbound(ChainRef forward, String bridge) {
        return Rule.of(forward, iifname(bridge), oifname(bridge).negate(), drop());
    }

    /**
     * Hairpin NAT for a whole network: {@code oifname "BR" ip saddr SUBNET ct status dnat masquerade}.
     * A container that reaches a published port of its own network through a
     * host address gets the gateway as source, so the reply returns through the
     * host and is un-NATed (covers a container reaching itself, too).
     */
    public static Rule hairpinSubnet(ChainRef postrouting, String bridge, IpPrefix subnet) {
        return Rule.of(postrouting, oifname(bridge), saddr(subnet), ctStatus("dnat"), masquerade());
    }

    // ------------------------------------------------------------------ published ports as map elements (BridgeNat)

    private static List<Expr.Selector> protoPort() {
        return List.of(new Expr.Meta("l4proto"), new Expr.Payload("th", "dport"));
    }

    /**
     * {@code fib daddr type local dnat ip to meta l4proto . th dport map @ADDRS : meta l4proto . th dport map @PORTS}:
     * ports published on every local address of the host, looked up in two maps
     * keyed by protocol and port (no element: no match, the packet passes).
     */
    public static Rule publishMap(ChainRef natChain, boolean ipv6, String addrMap, String portMap) {
        return Rule.of(natChain, fibDaddrLocal(), new Expr.DnatMap(ipv6, protoPort(), addrMap, portMap));
    }

    /**
     * The same for the nat output chain: loopback destinations excluded
     * ({@code ip daddr != 127.0.0.0/8}), as Docker does; a port meant for
     * 127.0.0.1 is published on that address explicitly ({@link #publishOnAddressMap}).
     */
    public static Rule publishLocalMap(ChainRef natOutput, boolean ipv6, String addrMap, String portMap) {
        IpPrefix loopback = ipv6 ? IpPrefix.parse("::1/128") : IpPrefix.parse("127.0.0.0/8");
        return Rule.of(natOutput, daddr(loopback).negate(), fibDaddrLocal(), new Expr.DnatMap(ipv6, protoPort(), addrMap, portMap));
    }

    /**
     * {@code dnat ip to ip daddr . meta l4proto . th dport map @ADDRS : ... map @PORTS}:
     * ports published on one host address ({@code -p HOSTIP:PORT:PORT}), keyed by
     * address, protocol and port; for prerouting and for the nat output chain.
     */
    public static Rule publishOnAddressMap(ChainRef natChain, boolean ipv6, String addrMap, String portMap) {
        List<Expr.Selector> key = List.of(new Expr.Payload(ipv6 ? "ip6" : "ip", "daddr"), new Expr.Meta("l4proto"), new Expr.Payload("th", "dport"));
        return Rule.of(natChain, new Expr.DnatMap(ipv6, key, addrMap, portMap));
    }

    /**
     * {@code oifname "BR" ip saddr 127.0.0.0/8 masquerade}: a port published on
     * 127.0.0.1 reached from the host itself; the container cannot answer
     * 127.0.0.1, so the host speaks as the bridge's address (also needs
     * {@code route_localnet} on the bridge).
     */
    public static Rule masqueradeLoopbackInto(ChainRef postrouting, String bridge) {
        return Rule.of(postrouting, oifname(bridge), saddr(IpPrefix.parse("127.0.0.0/8")), masquerade());
    }
}
