package io.nslab.netlink.nft;

import io.nslab.netlink.route.IpPrefix;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The NAT and published-port recipe of a Docker-style bridge, as one
 * self-contained nftables table: masquerade of the subnet, published ports
 * as elements of four maps (DNAT in prerouting and in the nat output chain,
 * with {@code 127.0.0.1} publishing), hairpin masquerade, isolation of the
 * bridge. The rules depend only on the table, the subnet, the bridge and
 * {@code internal}; a published port is two map elements, so publishing or
 * withdrawing one is a small transaction whatever the number of ports.
 * {@code nslab net} builds every network's table with it; labs can use the
 * same recipe for their NAT.
 *
 * <pre>
 * table ip TABLE {
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
 * A port published on {@code 127.0.0.1} also needs {@code route_localnet} on
 * the bridge (a sysctl, not part of the table).
 *
 * @param table    the table (family {@code ip} for an IPv4 subnet, {@code ip6} for IPv6)
 * @param subnet   the bridge's subnet
 * @param bridge   the bridge's name
 * @param internal no masquerade, nothing leaves the bridge, no published ports
 */
public record BridgeNat(TableRef table, IpPrefix subnet, String bridge, boolean internal) {
    public static final String PREROUTING = "prerouting", OUTPUT = "output", POSTROUTING = "postrouting", FORWARD = "forward";
    public static final String PUB_ADDR = "pub-addr", PUB_PORT = "pub-port", PUBIP_ADDR = "pubip-addr", PUBIP_PORT = "pubip-port";

    public BridgeNat {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(subnet, "subnet");
        Objects.requireNonNull(bridge, "bridge");
    }

    boolean ipv6() {
        return !subnet.isIpv4();
    }

    /**
     * The transaction that makes the table exactly this recipe with
     * {@code ports} published: add + flush of the table (deleting base chains
     * would unregister their hooks, an RCU grace period each; flushing keeps
     * them and still swaps every rule in the same atomic batch).
     */
    public Transaction replace(List<PortMapping> ports) {
        TableRef t = table;
        boolean v6 = ipv6();
        String addrType = v6 ? "ipv6_addr" : "ipv4_addr";
        ChainRef pre = t.chain(PREROUTING), out = t.chain(OUTPUT), post = t.chain(POSTROUTING), fwd = t.chain(FORWARD);
        Transaction.Builder b = Transaction.builder().addTable(t).flushTable(t)
                .addChain(pre, BaseChain.natPrerouting())
                .addChain(out, BaseChain.natOutput())
                .addChain(post, BaseChain.natPostrouting())
                .addChain(fwd, BaseChain.filterForward(Policy.ACCEPT));
        List<String> anyKey = List.of("inet_proto", "inet_service"), ipKey = List.of(addrType, "inet_proto", "inet_service");
        b.addMap(t.set(PUB_ADDR), anyKey, addrType).addMap(t.set(PUB_PORT), anyKey, "inet_service")
                .addMap(t.set(PUBIP_ADDR), ipKey, addrType).addMap(t.set(PUBIP_PORT), ipKey, "inet_service");
        for (String m : List.of(PUB_ADDR, PUB_PORT, PUBIP_ADDR, PUBIP_PORT)) b.flushMap(t.set(m));
        addElements(b, ports);

        b.addRule(Recipes.publishOnAddressMap(pre, v6, PUBIP_ADDR, PUBIP_PORT));
        b.addRule(Recipes.publishMap(pre, v6, PUB_ADDR, PUB_PORT));
        b.addRule(Recipes.publishOnAddressMap(out, v6, PUBIP_ADDR, PUBIP_PORT));
        b.addRule(Recipes.publishLocalMap(out, v6, PUB_ADDR, PUB_PORT));

        if (!internal) b.addRule(Recipes.masqueradeSubnet(post, subnet, bridge));
        b.addRule(Recipes.hairpinSubnet(post, bridge, subnet));
        if (!v6) b.addRule(Recipes.masqueradeLoopbackInto(post, bridge));
        b.addRule(Recipes.acceptReturning(fwd, bridge));
        b.addRule(Recipes.acceptPublishedInto(fwd, bridge));
        b.addRule(Recipes.dropInto(fwd, bridge));
        if (internal) b.addRule(Recipes.dropOutbound(fwd, bridge));
        return b.build();
    }

    /** Publishes {@code ports}: their map elements added in one transaction (empty for none). */
    public Transaction publish(List<PortMapping> ports) {
        Transaction.Builder b = Transaction.builder();
        addElements(b, ports);
        return b.build();
    }

    /** Withdraws {@code ports}: their map elements deleted in one transaction (empty for none). */
    public Transaction unpublish(List<PortMapping> ports) {
        List<List<Expr.Value>> any = new ArrayList<>(), ip = new ArrayList<>();
        for (PortMapping p : ports) (p.hostIp().isPresent() ? ip : any).add(key(p));
        return Transaction.builder()
                .deleteElements(table.set(PUBIP_ADDR), ip).deleteElements(table.set(PUBIP_PORT), ip)
                .deleteElements(table.set(PUB_ADDR), any).deleteElements(table.set(PUB_PORT), any)
                .build();
    }

    /** Deletes the table if it exists. */
    public Transaction remove() {
        return Transaction.builder().deleteTableIfExists(table).build();
    }

    private void addElements(Transaction.Builder b, List<PortMapping> ports) {
        List<MapElement> anyAddr = new ArrayList<>(), anyPort = new ArrayList<>(), ipAddr = new ArrayList<>(), ipPort = new ArrayList<>();
        for (PortMapping p : ports) {
            List<Expr.Value> k = key(p);
            boolean onIp = p.hostIp().isPresent();
            (onIp ? ipAddr : anyAddr).add(new MapElement(k, new Expr.Address(IpPrefix.host(p.target()))));
            (onIp ? ipPort : anyPort).add(new MapElement(k, new Expr.Num(p.targetPort())));
        }
        b.addElements(table.set(PUBIP_ADDR), ipAddr).addElements(table.set(PUBIP_PORT), ipPort)
                .addElements(table.set(PUB_ADDR), anyAddr).addElements(table.set(PUB_PORT), anyPort);
    }

    /** {@code [HOSTIP .] PROTO . HOSTPORT}. */
    private static List<Expr.Value> key(PortMapping p) {
        List<Expr.Value> k = new ArrayList<>();
        p.hostIp().ifPresent(a -> k.add(new Expr.Address(IpPrefix.host(a))));
        k.add(new Expr.Str(p.proto().nft()));
        k.add(new Expr.Num(p.hostPort()));
        return k;
    }
}
