package io.nslab.netlink.nft;

import io.nslab.netlink.nft.expr.Data;
import io.nslab.netlink.nft.expr.NfExpr;

import io.nslab.netlink.route.IpPrefix;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One element of a rule as nft prints it: a match or a statement, with the
 * same vocabulary as nft's JSON schema. The typed records
 * cover what nslab writes; {@link io.nslab.netlink.nft.wire.Linearizer} turns
 * them into the kernel's register program and
 * {@link io.nslab.netlink.nft.wire.Delinearizer} lifts a listed rule back.
 * Kernel expressions that do not lift are kept verbatim as {@link Raw}, so a
 * rule survives a decode/encode round trip.
 *
 * <p>Static factories give the tutorial vocabulary, e.g.
 * {@code saddr(IpPrefix.parse("172.17.0.0/16"))}, {@code oifname("docker0").negate()},
 * {@code ctState(ESTABLISHED, RELATED)}, {@code dport(TCP, 8080)},
 * {@code dnat(addr, 80)}, {@code masquerade()}, {@code accept()}.
 */
public sealed interface Expr {

    // ------------------------------------------------------------------ left-hand sides

    /** The left side of a match. */
    sealed interface Selector permits Payload, Meta, Ct, Fib {}

    /** {@code {"payload":{"protocol":"ip","field":"saddr"}}} = {@code ip saddr}. */
    record Payload(String protocol, String field) implements Selector {
        public Payload {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(field, "field");
        }

        /** True for ip/ip6 saddr/daddr, whose values are addresses. */
        public boolean isAddress() {
            return (protocol.equals("ip") || protocol.equals("ip6")) && (field.equals("saddr") || field.equals("daddr"));
        }

        /** True for tcp/udp/sctp sport/dport. */
        public boolean isPort() {
            return (protocol.equals("tcp") || protocol.equals("udp") || protocol.equals("sctp"))
                    && (field.equals("sport") || field.equals("dport"));
        }
    }

    /** {@code {"meta":{"key":"oifname"}}} = {@code oifname}. */
    record Meta(String key) implements Selector {
        public Meta {
            Objects.requireNonNull(key, "key");
        }
    }

    /** {@code {"ct":{"key":"state"}}} = {@code ct state}. */
    record Ct(String key) implements Selector {
        public Ct {
            Objects.requireNonNull(key, "key");
        }
    }

    /** {@code {"fib":{"result":"type","flags":["daddr"]}}} = {@code fib daddr type}. */
    record Fib(List<String> flags, String result) implements Selector {
        public Fib {
            flags = List.copyOf(flags);
            Objects.requireNonNull(result, "result");
        }
    }

    // ------------------------------------------------------------------ right-hand sides

    /** The right side of a match. */
    sealed interface Value permits Str, Num, Address, Symbols, RawValue {}

    /** A string: an interface name, or a symbol such as {@code local} or {@code tcp}. */
    record Str(String value) implements Value {
        public Str {
            Objects.requireNonNull(value, "value");
        }
    }

    /** A number, e.g. a port. */
    record Num(long value) implements Value {}

    /**
     * An address or prefix; a host prefix is written as a bare address, as nft lists it.
     * Host bits are cleared, so {@code 172.17.0.1/16} and {@code 172.17.0.0/16} are the
     * same value (that is also what nft does with them).
     */
    record Address(IpPrefix prefix) implements Value {
        public Address {
            prefix = Objects.requireNonNull(prefix, "prefix").network();
        }
    }

    /** A list of symbols, e.g. the states of {@code ct state established,related}. */
    record Symbols(List<String> values) implements Value {
        public Symbols {
            values = List.copyOf(values);
            if (values.isEmpty()) throw new IllegalArgumentException("empty symbol list");
        }
    }

    /** A compared constant that has no better type, as the register holds it. */
    record RawValue(Data data) implements Value {
        public RawValue {
            Objects.requireNonNull(data, "data");
        }
    }

    /** Match operators. */
    enum Op {
        EQ("=="), NE("!="), LT("<"), GT(">"), LE("<="), GE(">="), IN("in");

        private final String nft;

        Op(String nft) { this.nft = nft; }

        public String nft() { return nft; }

        public static Op parse(String s) {
            for (Op o : values()) if (o.nft.equals(s)) return o;
            throw new IllegalArgumentException("unknown match operator: " + s);
        }
    }

    // ------------------------------------------------------------------ expressions

    /** {@code {"match":{"op":..,"left":..,"right":..}}}. */
    record Match(Selector left, Op op, Value right) implements Expr {
        public Match {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(right, "right");
        }

        /** {@code ==} becomes {@code !=} and back; e.g. {@code oifname != "docker0"}. */
        public Match negate() {
            return switch (op) {
                case EQ -> new Match(left, Op.NE, right);
                case NE -> new Match(left, Op.EQ, right);
                default -> throw new IllegalStateException("cannot negate operator " + op.nft());
            };
        }
    }

    /** {@code counter}; packets and bytes are what the kernel reports (0 for a new rule). */
    record Counter(long packets, long bytes) implements Expr {
        public Counter {
            if (packets < 0 || bytes < 0) throw new IllegalArgumentException("negative counter");
        }
    }

    /** Statements after which a rule cannot continue: NAT statements and verdicts. */
    sealed interface Terminal extends Expr permits Nat, Verdict {}

    /** NAT statements. */
    sealed interface Nat extends Terminal permits Masquerade, Snat, Dnat, DnatMap {}

    /** {@code masquerade}. */
    record Masquerade() implements Nat {}

    /** {@code snat ip to ADDR[:PORT]}. */
    record Snat(InetAddress address, OptionalInt port) implements Nat {
        public Snat {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(port, "port");
            port.ifPresent(p -> Names.port("snat port", p, 1));
        }
    }

    /** {@code dnat ip to ADDR[:PORT]}; the family (ip/ip6) follows the address. */
    record Dnat(InetAddress address, OptionalInt port) implements Nat {
        public Dnat {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(port, "port");
            port.ifPresent(p -> Names.port("dnat port", p, 1));
        }
    }

    /**
     * {@code dnat ip to KEY map @ADDRS : KEY map @PORTS}: address and port both
     * looked up in named maps by the same key (e.g. {@code meta l4proto . th dport}),
     * so publishing a port is one element added, not a rule. No element: no NAT,
     * the rule does not match.
     */
    record DnatMap(boolean ipv6, List<Selector> key, String addrMap, String portMap) implements Nat {
        public DnatMap {
            key = List.copyOf(key);
            if (key.isEmpty()) throw new IllegalArgumentException("dnat map without a key");
            Names.object("map", addrMap);
            Names.object("map", portMap);
        }
    }

    /** Verdicts. */
    sealed interface Verdict extends Terminal permits Accept, Drop, Return, Jump, Goto {}

    record Accept() implements Verdict {}

    record Drop() implements Verdict {}

    record Return() implements Verdict {}

    /** {@code jump CHAIN} (a chain of the same table). */
    record Jump(String chain) implements Verdict {
        public Jump {
            Names.object("chain", chain);
        }
    }

    /** {@code goto CHAIN} (a chain of the same table). */
    record Goto(String chain) implements Verdict {
        public Goto {
            Names.object("chain", chain);
        }
    }

    /** Kernel expressions this model does not type, kept verbatim and sent back as they are. */
    record Raw(List<NfExpr> exprs) implements Expr {
        public Raw {
            exprs = List.copyOf(exprs);
            if (exprs.isEmpty()) throw new IllegalArgumentException("empty raw expression");
        }
    }

    // ------------------------------------------------------------------ factories

    private static String ipProto(InetAddress a) {
        return a instanceof Inet4Address ? "ip" : "ip6";
    }

    /** {@code ip saddr P} or {@code ip6 saddr P}, by the prefix's family. */
    public static Match saddr(IpPrefix p) {
        return new Match(new Payload(ipProto(p.address()), "saddr"), Op.EQ, new Address(p));
    }

    /** {@code ip daddr P} or {@code ip6 daddr P}, by the prefix's family. */
    public static Match daddr(IpPrefix p) {
        return new Match(new Payload(ipProto(p.address()), "daddr"), Op.EQ, new Address(p));
    }

    public static Match saddr(InetAddress a) {
        return saddr(IpPrefix.host(a));
    }

    public static Match daddr(InetAddress a) {
        return daddr(IpPrefix.host(a));
    }

    /** {@code iifname "NAME"} (input interface, by name: works for interfaces created later). */
    public static Match iifname(String name) {
        return new Match(new Meta("iifname"), Op.EQ, new Str(Names.ifname(name)));
    }

    /** {@code oifname "NAME"}. */
    public static Match oifname(String name) {
        return new Match(new Meta("oifname"), Op.EQ, new Str(Names.ifname(name)));
    }

    /** {@code tcp dport N} / {@code udp dport N}. */
    public static Match dport(Proto proto, int port) {
        return new Match(new Payload(proto.nft(), "dport"), Op.EQ, new Num(Names.port("port", port, 0)));
    }

    /** {@code tcp sport N} / {@code udp sport N}. */
    public static Match sport(Proto proto, int port) {
        return new Match(new Payload(proto.nft(), "sport"), Op.EQ, new Num(Names.port("port", port, 0)));
    }

    /** {@code meta l4proto tcp}. */
    public static Match l4proto(Proto proto) {
        return new Match(new Meta("l4proto"), Op.EQ, new Str(proto.nft()));
    }

    /** {@code meta nfproto ipv4|ipv6}: restricts a rule of an inet table to one IP version. */
    public static Match nfproto(boolean ipv6) {
        return new Match(new Meta("nfproto"), Op.EQ, new Str(ipv6 ? "ipv6" : "ipv4"));
    }

    /** {@code ct state S1,S2,...} (listed by nft in bit order, which is the enum order). */
    public static Match ctState(CtState first, CtState... more) {
        EnumSet<CtState> set = EnumSet.of(first, more);
        List<String> names = set.stream().map(CtState::nft).toList();
        Value v = names.size() == 1 ? new Str(names.getFirst()) : new Symbols(names);
        return new Match(new Ct("state"), Op.IN, v);
    }

    /**
     * {@code ct status S}: e.g. {@code ct status dnat}, true for every packet of a
     * connection whose destination was rewritten (a published port).
     */
    public static Match ctStatus(String status) {
        return new Match(new Ct("status"), Op.IN, new Str(status));
    }

    /** {@code fib daddr type local}: "addressed to any address of this host" (iptables' addrtype LOCAL). */
    public static Match fibDaddrLocal() {
        return new Match(new Fib(List.of("daddr"), "type"), Op.EQ, new Str("local"));
    }

    public static Counter counter() {
        return new Counter(0, 0);
    }

    public static Masquerade masquerade() {
        return new Masquerade();
    }

    public static Dnat dnat(InetAddress to) {
        return new Dnat(to, OptionalInt.empty());
    }

    public static Dnat dnat(InetAddress to, int port) {
        return new Dnat(to, OptionalInt.of(port));
    }

    public static Snat snat(InetAddress to) {
        return new Snat(to, OptionalInt.empty());
    }

    public static Snat snat(InetAddress to, int port) {
        return new Snat(to, OptionalInt.of(port));
    }

    public static Accept accept() {
        return new Accept();
    }

    public static Drop drop() {
        return new Drop();
    }

    public static Return ret() {
        return new Return();
    }

    public static Jump jump(String chain) {
        return new Jump(chain);
    }

    public static Goto goTo(String chain) {
        return new Goto(chain);
    }

    /** Convenience for building expression lists. */
    public static List<Expr> list(Expr... exprs) {
        return List.copyOf(Arrays.asList(exprs));
    }
}
