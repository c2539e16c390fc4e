package io.nslab.net;

import io.nslab.netlink.nft.BaseChain;
import io.nslab.netlink.nft.ChainRef;
import io.nslab.netlink.nft.CtState;
import io.nslab.netlink.nft.Expr;
import io.nslab.netlink.nft.MapElement;
import io.nslab.netlink.nft.Policy;
import io.nslab.netlink.nft.PortMapping;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.nft.Recipes;
import io.nslab.netlink.nft.Rule;
import io.nslab.netlink.nft.SetRef;
import io.nslab.netlink.nft.TableRef;
import io.nslab.netlink.nft.Transaction;

import java.util.ArrayList;
import java.util.List;

/**
 * The nftables table of a network. Its rules never change after
 * {@code create}; published ports are elements of four maps, so a
 * {@code connect} or {@code disconnect} is one atomic transaction that adds or
 * deletes a few map elements, whatever the number of endpoints (constant
 * kernel work per change, where rewriting the table grew with the network).
 * {@link #replace} is still the whole table as a pure function of the stored
 * state: used by {@code create}, for rollback, and as the fallback when an
 * element change is refused (a table the store and the kernel disagree on is
 * rewritten, not patched).
 *
 * <pre>
 * table ip nslab-net-NAME {
 *   map pub-addr   { type inet_proto . inet_service : ipv4_addr;    elements = { tcp . 8080 : 172.17.0.2 } }
 *   map pub-port   { type inet_proto . inet_service : inet_service; elements = { tcp . 8080 : 80 } }
 *   map pubip-addr { type ipv4_addr . inet_proto . inet_service : ipv4_addr }    # -p HOSTIP:PORT:PORT
 *   map pubip-port { type ipv4_addr . inet_proto . inet_service : inet_service }
 *   chain prerouting  { type nat hook prerouting priority dstnat; policy accept;
 *                       dnat ip to ip daddr . meta l4proto . th dport map @pubip-addr : ... map @pubip-port
 *                       fib daddr type local dnat ip to meta l4proto . th dport map @pub-addr : ... map @pub-port }
 *   chain output      { type nat hook output priority dstnat; policy accept;
 *                       dnat ip to ip daddr . meta l4proto . th dport map @pubip-addr : ... map @pubip-port
 *                       ip daddr != 127.0.0.0/8 fib daddr type local dnat ip to ... map @pub-addr : ... map @pub-port }
 *   chain postrouting { type nat hook postrouting priority srcnat; policy accept;
 *                       ip saddr 172.17.0.0/16 oifname != "docker0" masquerade        # not when internal
 *                       oifname "docker0" ip saddr 172.17.0.0/16 ct status dnat masquerade   # hairpin
 *                       oifname "docker0" ip saddr 127.0.0.0/8 masquerade }           # IPv4: ports on 127.0.0.1
 *   chain forward     { type filter hook forward priority filter; policy accept;
 *                       oifname "docker0" ct state established,related accept
 *                       oifname "docker0" iifname != "docker0" ct status dnat accept   # published ports
 *                       oifname "docker0" iifname != "docker0" drop                    # isolation
 *                       iifname "docker0" oifname != "docker0" drop }                  # only when internal
 * }
 * </pre>
 * Two maps (address, port) per lookup, each with a plain data type, so that
 * every nft version lists them back. A key with no element makes the dnat
 * statement not match, so unpublished ports fall through untouched.
 * Policies stay {@code accept}: a drop policy in nslab's own chain would drop
 * traffic that has nothing to do with nslab (every base chain on a hook sees
 * every packet). Isolation between networks needs no rule naming the other
 * networks: each one refuses what enters its bridge unless it is a reply or a
 * published port.
 */
public final class NetTables {
    private NetTables() {}

    public static final String PREROUTING = "prerouting", OUTPUT = "output", POSTROUTING = "postrouting", FORWARD = "forward";
    public static final String PUB_ADDR = "pub-addr", PUB_PORT = "pub-port", PUBIP_ADDR = "pubip-addr", PUBIP_PORT = "pubip-port";

    /** The transaction that makes the network's table exactly what {@code n} describes. */
    public static Transaction replace(Network n) {
        TableRef t = n.table();
        boolean v6 = !n.subnet().isIpv4();
        String addrType = v6 ? "ipv6_addr" : "ipv4_addr";
        ChainRef pre = t.chain(PREROUTING), out = t.chain(OUTPUT), post = t.chain(POSTROUTING), fwd = t.chain(FORWARD);
        String br = n.bridge();
        // add + flush, not delete + add: deleting base chains unregisters their
        // netfilter hooks (an RCU grace period each, tens of ms); flushing keeps
        // the hooks and still swaps every rule in the same atomic batch
        Transaction.Builder b = Transaction.builder().addTable(t).flushTable(t)
                .addChain(pre, BaseChain.natPrerouting())
                .addChain(out, BaseChain.natOutput())
                .addChain(post, BaseChain.natPostrouting())
                .addChain(fwd, BaseChain.filterForward(Policy.ACCEPT));
        List<String> anyKey = List.of("inet_proto", "inet_service"), ipKey = List.of(addrType, "inet_proto", "inet_service");
        b.addMap(t.set(PUB_ADDR), anyKey, addrType).addMap(t.set(PUB_PORT), anyKey, "inet_service")
                .addMap(t.set(PUBIP_ADDR), ipKey, addrType).addMap(t.set(PUBIP_PORT), ipKey, "inet_service");
        for (String m : List.of(PUB_ADDR, PUB_PORT, PUBIP_ADDR, PUBIP_PORT)) b.flushMap(t.set(m));
        List<Endpoint> all = n.endpoints();
        addElements(b, t, all);

        List<Expr.Selector> anyLookup = List.of(new Expr.Meta("l4proto"), new Expr.Payload("th", "dport"));
        List<Expr.Selector> ipLookup = List.of(new Expr.Payload(v6 ? "ip6" : "ip", "daddr"), new Expr.Meta("l4proto"), new Expr.Payload("th", "dport"));
        Expr dnatAny = new Expr.DnatMap(v6, anyLookup, PUB_ADDR, PUB_PORT);
        Expr dnatIp = new Expr.DnatMap(v6, ipLookup, PUBIP_ADDR, PUBIP_PORT);
        IpPrefix loopback = v6 ? IpPrefix.parse("::1/128") : IpPrefix.parse("127.0.0.0/8");
        b.addRule(Rule.of(pre, dnatIp));
        b.addRule(Rule.of(pre, Expr.fibDaddrLocal(), dnatAny));
        b.addRule(Rule.of(out, dnatIp));
        // loopback excluded for ports on every address, as Docker does: DNAT of a 127.0.0.1
        // source to a bridge address needs route_localnet, set only for ports published on it
        b.addRule(Rule.of(out, Expr.daddr(loopback).negate(), Expr.fibDaddrLocal(), dnatAny));

        if (!n.internal()) b.addRule(Recipes.masqueradeSubnet(post, n.subnet(), br));
        b.addRule(Recipes.hairpinSubnet(post, br, n.subnet()));
        // 127.0.0.1 cannot be the source on the bridge: the host speaks as the gateway
        // (only reachable with route_localnet, which connect sets for ports on 127.0.0.1)
        if (!v6) b.addRule(Rule.of(post, Expr.oifname(br), Expr.saddr(IpPrefix.parse("127.0.0.0/8")), Expr.masquerade()));
        b.addRule(Rule.of(fwd, Expr.oifname(br), Expr.ctState(CtState.ESTABLISHED, CtState.RELATED), Expr.accept()));
        b.addRule(Recipes.acceptPublishedInto(fwd, br));
        b.addRule(Recipes.dropInto(fwd, br));
        if (n.internal()) b.addRule(Recipes.dropOutbound(fwd, br));
        return b.build();
    }

    /** Publishes the endpoint's ports: map elements added in one transaction (empty when it has none). */
    public static Transaction connect(Network n, Endpoint e) {
        Transaction.Builder b = Transaction.builder();
        addElements(b, n.table(), List.of(e));
        return b.build();
    }

    /** Withdraws the endpoint's ports: map elements deleted in one transaction (empty when it has none). */
    public static Transaction disconnect(Network n, Endpoint e) {
        TableRef t = n.table();
        List<List<Expr.Value>> any = new ArrayList<>(), ip = new ArrayList<>();
        for (PublishedPort p : e.ports()) (p.hostIp().isPresent() ? ip : any).add(key(p));
        return Transaction.builder()
                .deleteElements(t.set(PUBIP_ADDR), ip).deleteElements(t.set(PUBIP_PORT), ip)
                .deleteElements(t.set(PUB_ADDR), any).deleteElements(t.set(PUB_PORT), any)
                .build();
    }

    private static void addElements(Transaction.Builder b, TableRef t, List<Endpoint> endpoints) {
        List<MapElement> anyAddr = new ArrayList<>(), anyPort = new ArrayList<>(), ipAddr = new ArrayList<>(), ipPort = new ArrayList<>();
        for (Endpoint e : endpoints) {
            for (PublishedPort p : e.ports()) {
                List<Expr.Value> k = key(p);
                boolean onIp = p.hostIp().isPresent();
                (onIp ? ipAddr : anyAddr).add(new MapElement(k, new Expr.Address(IpPrefix.host(e.address()))));
                (onIp ? ipPort : anyPort).add(new MapElement(k, new Expr.Num(p.port())));
            }
        }
        b.addElements(t.set(PUBIP_ADDR), ipAddr).addElements(t.set(PUBIP_PORT), ipPort)
                .addElements(t.set(PUB_ADDR), anyAddr).addElements(t.set(PUB_PORT), anyPort);
    }

    /** {@code [HOSTIP .] PROTO . HOSTPORT}. */
    private static List<Expr.Value> key(PublishedPort p) {
        List<Expr.Value> k = new ArrayList<>();
        p.hostIp().ifPresent(a -> k.add(new Expr.Address(IpPrefix.host(a))));
        k.add(new Expr.Str(p.proto().nft()));
        k.add(new Expr.Num(p.hostPort()));
        return k;
    }

    /** Removes the network's table if it exists. */
    public static Transaction remove(Network n) {
        return Transaction.builder().deleteTableIfExists(n.table()).build();
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
