package io.nslab.lab.net;

import io.nslab.netlink.nft.BaseChain;
import io.nslab.netlink.nft.ChainRef;
import io.nslab.netlink.nft.CtState;
import io.nslab.netlink.nft.Expr;
import io.nslab.netlink.nft.Policy;
import io.nslab.netlink.nft.PortMapping;
import io.nslab.netlink.nft.Recipes;
import io.nslab.netlink.nft.Rule;
import io.nslab.netlink.nft.TableRef;
import io.nslab.netlink.nft.Transaction;

/**
 * The nftables table of a network, as a pure function of its stored state.
 * Every change (create, connect, disconnect) rewrites the whole table in one
 * transaction ({@code add table; flush table; add chain...; add rule...}), so
 * the kernel always holds exactly what the store says, atomically, and a
 * rollback is the same function applied to the previous state.
 *
 * <pre>
 * table ip nslab-net-NAME {
 *   chain prerouting  { type nat hook prerouting priority dstnat; policy accept;
 *                       fib daddr type local tcp dport 8080 dnat to 172.17.0.2:80 }   # each published port
 *   chain output      { type nat hook output priority dstnat; policy accept;
 *                       ip daddr != 127.0.0.0/8 fib daddr type local tcp dport 8080 dnat to 172.17.0.2:80 }
 *   chain postrouting { type nat hook postrouting priority srcnat; policy accept;
 *                       ip saddr 172.17.0.0/16 oifname != "docker0" masquerade        # not when internal
 *                       oifname "docker0" ip saddr 172.17.0.0/16 ct status dnat masquerade }  # hairpin
 *   chain forward     { type filter hook forward priority filter; policy accept;
 *                       oifname "docker0" ct state established,related accept
 *                       oifname "docker0" iifname != "docker0" ct status dnat accept   # published ports
 *                       oifname "docker0" iifname != "docker0" drop                    # isolation
 *                       iifname "docker0" oifname != "docker0" drop }                  # only when internal
 * }
 * </pre>
 * Policies stay {@code accept}: a drop policy in nslab's own chain would drop
 * traffic that has nothing to do with nslab (every base chain on a hook sees
 * every packet). Isolation between networks needs no rule naming the other
 * networks: each one refuses what enters its bridge unless it is a reply or a
 * published port.
 */
public final class NetTables {
    private NetTables() {}

    public static final String PREROUTING = "prerouting", OUTPUT = "output", POSTROUTING = "postrouting", FORWARD = "forward";

    /** The transaction that makes the network's table exactly what {@code n} describes. */
    public static Transaction replace(Network n) {
        TableRef t = n.table();
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
        for (Endpoint e : n.endpoints()) {
            for (PublishedPort p : e.ports()) {
                PortMapping m = mapping(e, p);
                String label = e.ns() + " " + p;
                b.addRule(Recipes.publish(pre, m).withComment(label));
                b.addRule(Recipes.publishLocal(out, m).withComment(label));
            }
        }
        if (!n.internal()) b.addRule(Recipes.masqueradeSubnet(post, n.subnet(), br));
        b.addRule(Recipes.hairpinSubnet(post, br, n.subnet()));
        if (publishesOnLoopback(n)) // 127.0.0.1 cannot be the source on the bridge: the host speaks as the gateway
            b.addRule(Rule.of(post, Expr.oifname(br), Expr.saddr(io.nslab.netlink.nft.Prefix.parse("127.0.0.0/8")), Expr.masquerade()));
        b.addRule(Rule.of(fwd, Expr.oifname(br), Expr.ctState(CtState.ESTABLISHED, CtState.RELATED), Expr.accept()));
        b.addRule(Recipes.acceptPublishedInto(fwd, br));
        b.addRule(Recipes.dropInto(fwd, br));
        if (n.internal()) b.addRule(Recipes.dropOutbound(fwd, br));
        return b.build();
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
