package io.nslab.junit;

import io.nslab.netlink.nft.BaseChain;
import io.nslab.netlink.nft.ChainRef;
import io.nslab.netlink.nft.ChainType;
import io.nslab.netlink.nft.Expr;
import io.nslab.netlink.nft.Hook;
import io.nslab.netlink.nft.Policy;
import io.nslab.netlink.nft.Rule;
import io.nslab.netlink.nft.TableRef;
import io.nslab.netlink.nft.Transaction;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Which nodes cannot hear each other, as nftables tables (pure: no kernel). A partition between two nodes is
 * a drop, in each of them, of packets from and to every address the lab file gives the other: packets vanish as
 * on a cut cable (no reset, no ICMP), established connections included, and either side times out. Each node
 * with a partition gets one table, {@code inet nslab_partition}, rebuilt whole at every change.
 */
final class Partitions {
    static final TableRef TABLE = TableRef.inet("nslab_partition");
    static final ChainRef IN = TABLE.chain("in"), OUT = TABLE.chain("out");

    /** Unordered pairs, each as a sorted two-element set. */
    private final Set<Set<String>> cut = new LinkedHashSet<>();

    /** Cuts every node of {@code side} off every node of {@code other}; returns the nodes whose table changes. */
    Set<String> cut(Set<String> side, Set<String> other) {
        Set<String> touched = new TreeSet<>();
        for (String a : side)
            for (String b : other) {
                if (a.equals(b)) throw new IllegalArgumentException("node " + a + " is on both sides of the partition");
                if (cut.add(new TreeSet<>(List.of(a, b)))) {
                    touched.add(a);
                    touched.add(b);
                }
            }
        return touched;
    }

    /** Forgets every partition; returns the nodes that had a table. */
    Set<String> heal() {
        Set<String> had = new TreeSet<>();
        for (Set<String> p : cut) had.addAll(p);
        cut.clear();
        return had;
    }

    boolean isCut(String a, String b) {
        return cut.contains(new TreeSet<>(List.of(a, b)));
    }

    /** The peers {@code node} is cut off from. */
    Set<String> peers(String node) {
        Set<String> out = new TreeSet<>();
        for (Set<String> p : cut) if (p.contains(node)) for (String x : p) if (!x.equals(node)) out.add(x);
        return out;
    }

    /** The transaction that makes {@code node}'s table what the partitions say (removes it when none is left). */
    Transaction table(String node, Function<String, List<InetAddress>> addresses) {
        Transaction.Builder tx = Transaction.builder().deleteTableIfExists(TABLE);
        Set<String> peers = peers(node);
        if (peers.isEmpty()) return tx.build();
        tx.addTable(TABLE)
                .addChain(IN, new BaseChain(ChainType.FILTER, Hook.INPUT, BaseChain.PRIO_FILTER, Policy.ACCEPT))
                .addChain(OUT, new BaseChain(ChainType.FILTER, Hook.OUTPUT, BaseChain.PRIO_FILTER, Policy.ACCEPT));
        List<Rule> rules = new ArrayList<>();
        for (String p : peers)
            for (InetAddress a : addresses.apply(p)) {
                rules.add(Rule.of(IN, Expr.saddr(a), Expr.drop()).withComment("partition " + node + " | " + p));
                rules.add(Rule.of(OUT, Expr.daddr(a), Expr.drop()).withComment("partition " + node + " | " + p));
            }
        return tx.addRules(rules).build();
    }

    /** For messages: who is cut from whom. */
    Map<String, Set<String>> view() {
        Map<String, Set<String>> m = new TreeMap<>();
        for (Set<String> p : cut) for (String x : p) m.computeIfAbsent(x, k -> new TreeSet<>()).addAll(p.stream().filter(y -> !y.equals(x)).toList());
        return m;
    }
}
