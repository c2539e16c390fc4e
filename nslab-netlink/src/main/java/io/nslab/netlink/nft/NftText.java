package io.nslab.netlink.nft;

import io.nslab.netlink.route.IpPrefix;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * A listed table in nft's own syntax, laid out as {@code nft list table}
 * prints it (tabs, blank line between objects, elements wrapped one per
 * line), so that what {@code nslab net inspect} shows can be diffed with nft.
 * Kernel expressions that do not lift to the model are shown in
 * {@code nft --debug=netlink}'s notation.
 */
public final class NftText {
    private NftText() {}

    public static String table(Table t) {
        StringBuilder s = new StringBuilder("table ").append(t.ref().family().nft()).append(' ').append(t.ref().name()).append(" {\n");
        boolean first = true;
        for (NamedSet set : t.sets()) {
            if (!first) s.append('\n');
            first = false;
            s.append('\t').append(set.isMap() ? "map " : "set ").append(set.ref().name()).append(" {\n");
            s.append("\t\ttype ").append(String.join(" . ", set.keyType()));
            set.dataType().ifPresent(d -> s.append(" : ").append(d));
            s.append('\n');
            if (!set.elements().isEmpty()) {
                String sep = ",\n\t\t\t     ";
                s.append("\t\telements = { ").append(set.elements().stream().map(NftText::element).collect(Collectors.joining(sep))).append(" }\n");
            }
            s.append("\t}\n");
        }
        for (Chain c : t.chains()) {
            if (!first) s.append('\n');
            first = false;
            s.append("\tchain ").append(c.ref().name()).append(" {\n");
            c.base().ifPresent(b -> s.append("\t\ttype ").append(b.type().nft()).append(" hook ").append(b.hook().nft())
                    .append(" priority ").append(priority(b)).append("; policy ").append(b.policy().nft()).append(";\n"));
            for (ListedRule r : c.rules()) s.append("\t\t").append(rule(r.rule())).append('\n');
            s.append("\t}\n");
        }
        return s.append("}\n").toString();
    }

    /** nft's names for the standard priorities, where nft allows them for the hook. */
    static String priority(BaseChain b) {
        int p = b.priority();
        if (p == BaseChain.PRIO_DSTNAT && b.hook() == Hook.PREROUTING) return "dstnat";
        if (p == BaseChain.PRIO_SRCNAT && b.hook() == Hook.POSTROUTING) return "srcnat";
        return switch (p) {
            case BaseChain.PRIO_FILTER -> "filter";
            case BaseChain.PRIO_RAW -> "raw";
            case BaseChain.PRIO_MANGLE -> "mangle";
            case BaseChain.PRIO_SECURITY -> "security";
            default -> Integer.toString(p);
        };
    }

    /** {@code tcp . 8080 : 172.17.0.2}. */
    public static String element(MapElement e) {
        return e.key().stream().map(NftText::value).collect(Collectors.joining(" . ")) + " : " + value(e.data());
    }

    public static String rule(Rule r) {
        String body = r.exprs().stream().map(e -> expr(e, r.chain().table().family())).collect(Collectors.joining(" "));
        return r.comment().map(c -> body + " comment \"" + c + "\"").orElse(body);
    }

    static String expr(Expr e, Family f) {
        return switch (e) {
            case Expr.Match m -> selector(m.left()) + " " + (m.op() == Expr.Op.EQ || m.op() == Expr.Op.IN ? "" : m.op().nft() + " ")
                    + (isIfname(m.left()) ? "\"" + value(m.right()) + "\"" : value(m.right()));
            case Expr.Counter c -> "counter packets " + c.packets() + " bytes " + c.bytes();
            case Expr.Masquerade _ -> "masquerade";
            case Expr.Snat s -> "snat" + natFamily(f, s.address()) + " to " + natTarget(s.address(), s.port());
            case Expr.Dnat d -> "dnat" + natFamily(f, d.address()) + " to " + natTarget(d.address(), d.port());
            case Expr.DnatMap d -> {
                String key = d.key().stream().map(NftText::selector).collect(Collectors.joining(" . "));
                yield "dnat" + (f == Family.INET ? (d.ipv6() ? " ip6" : " ip") : "") + " to " + key + " map @" + d.addrMap() + ":" + key + " map @" + d.portMap();
            }
            case Expr.Accept _ -> "accept";
            case Expr.Drop _ -> "drop";
            case Expr.Return _ -> "return";
            case Expr.Jump j -> "jump " + j.chain();
            case Expr.Goto g -> "goto " + g.chain();
            case Expr.Raw r -> r.exprs().stream().map(Object::toString).collect(Collectors.joining(" "));
        };
    }

    private static String natFamily(Family f, InetAddress a) {
        return f == Family.INET ? (a instanceof Inet6Address ? " ip6" : " ip") : "";
    }

    private static String natTarget(InetAddress a, OptionalInt port) {
        String addr = IpPrefix.text(a);
        if (port.isEmpty()) return addr;
        return (a instanceof Inet6Address ? "[" + addr + "]" : addr) + ":" + port.getAsInt();
    }

    static String selector(Expr.Selector s) {
        return switch (s) {
            case Expr.Payload p -> p.protocol() + " " + p.field();
            case Expr.Meta m -> m.key().equals("iifname") || m.key().equals("oifname") ? m.key() : "meta " + m.key();
            case Expr.Ct c -> "ct " + c.key();
            case Expr.Fib fib -> "fib " + String.join(" . ", fib.flags()) + " " + fib.result();
        };
    }

    static String value(Expr.Value v) {
        return switch (v) {
            case Expr.Str s -> s.value();
            case Expr.Num n -> Long.toString(n.value());
            case Expr.Address a -> IpPrefix.text(a.prefix().address()) + (a.prefix().isHost() ? "" : "/" + a.prefix().length());
            case Expr.Symbols s -> String.join(",", s.values());
            case Expr.RawValue r -> r.data().toString();
        };
    }

    /** Interface names are quoted by nft; symbols (tcp, local, established) are not. */
    private static boolean isIfname(Expr.Selector s) {
        return s instanceof Expr.Meta m && (m.key().equals("iifname") || m.key().equals("oifname"));
    }
}
