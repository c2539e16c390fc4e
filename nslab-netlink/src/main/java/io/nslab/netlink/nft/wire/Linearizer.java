package io.nslab.netlink.nft.wire;

import io.nslab.netlink.nft.Expr;
import io.nslab.netlink.nft.Family;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.nft.Rule;
import io.nslab.netlink.nft.expr.Bitwise;
import io.nslab.netlink.nft.expr.Cmp;
import io.nslab.netlink.nft.expr.CounterStmt;
import io.nslab.netlink.nft.expr.CtLoad;
import io.nslab.netlink.nft.expr.Data;
import io.nslab.netlink.nft.expr.FibLoad;
import io.nslab.netlink.nft.expr.Immediate;
import io.nslab.netlink.nft.expr.Lookup;
import io.nslab.netlink.nft.expr.Masq;
import io.nslab.netlink.nft.expr.MetaLoad;
import io.nslab.netlink.nft.expr.NatStmt;
import io.nslab.netlink.nft.expr.NfExpr;
import io.nslab.netlink.nft.expr.PayloadLoad;
import io.nslab.netlink.nft.expr.Verdict;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static io.nslab.netlink.nft.wire.NftConst.*;

/**
 * nslab's rule model to the kernel's register program, the way nft 1.0.6
 * linearizes the same rule (so the bytes match {@code nft -f}'s):
 * <ul>
 * <li>every match loads into register 1 and compares there;</li>
 * <li>a transport port match is preceded by its dependency {@code meta l4proto P};
 *     an ip/ip6 field in an inet table by {@code meta nfproto ipv4|ipv6};</li>
 * <li>a prefix that ends on a byte boundary loads only its bytes; any other is masked by a bitwise;</li>
 * <li>{@code ct state}/{@code ct status} sets are a bitwise mask compared {@code != 0};</li>
 * <li>NAT constants go to registers 1 (address) and 2 (port); map keys are
 *     concatenated in 32-bit registers after the key's first register.</li>
 * </ul>
 * Pure; refuses what it cannot express with an {@link IllegalArgumentException}.
 */
public final class Linearizer {
    private final Family family;
    private final List<NfExpr> out = new ArrayList<>();
    /** Dependencies already in the rule, so each is emitted once. */
    private OptionalInt l4 = OptionalInt.empty();
    private OptionalInt l3 = OptionalInt.empty();

    private Linearizer(Family family) {
        this.family = family;
    }

    public static List<NfExpr> rule(Rule r) {
        Linearizer l = new Linearizer(r.chain().table().family());
        for (Expr e : r.exprs()) l.expr(e);
        return List.copyOf(l.out);
    }

    private void expr(Expr e) {
        switch (e) {
            case Expr.Match m -> match(m);
            case Expr.Counter c -> out.add(new CounterStmt(c.packets(), c.bytes()));
            case Expr.Masquerade _ -> out.add(new Masq(0));
            case Expr.Snat s -> nat(NatStmt.SNAT, s.address(), s.port());
            case Expr.Dnat d -> nat(NatStmt.DNAT, d.address(), d.port());
            case Expr.DnatMap d -> dnatMap(d);
            case Expr.Accept _ -> verdict(Verdict.of(NF_ACCEPT));
            case Expr.Drop _ -> verdict(Verdict.of(NF_DROP));
            case Expr.Return _ -> verdict(Verdict.of(NFT_RETURN));
            case Expr.Jump j -> verdict(new Verdict(NFT_JUMP, Optional.of(j.chain())));
            case Expr.Goto g -> verdict(new Verdict(NFT_GOTO, Optional.of(g.chain())));
            case Expr.Raw r -> out.addAll(r.exprs());
        }
    }

    private void verdict(Verdict v) {
        out.add(new Immediate(NFT_REG_VERDICT, v));
    }

    // ------------------------------------------------------------------ matches

    private void match(Expr.Match m) {
        switch (m.left()) {
            case Expr.Payload p -> payloadMatch(p, m.op(), m.right());
            case Expr.Meta meta -> metaMatch(meta.key(), m.op(), m.right());
            case Expr.Ct ct -> ctMatch(ct.key(), m.op(), m.right());
            case Expr.Fib fib -> fibMatch(fib, m.op(), m.right());
        }
    }

    private void payloadMatch(Expr.Payload p, Expr.Op op, Expr.Value v) {
        Field f = Field.of(p);
        if (f.l3() != 0) l3Dependency(f.l3(), p);
        if (f.isPort()) {
            if (p.protocol().equals("th")) throw new IllegalArgumentException("th " + p.field() + " is only allowed in map keys");
            l4Dependency(Symbols.l4proto(p.protocol()).getAsInt());
            long port = switch (v) {
                case Expr.Num n -> n.value();
                default -> throw new IllegalArgumentException(p.protocol() + " " + p.field() + " takes a port number, not " + v);
            };
            out.add(new PayloadLoad(NFT_REG_1, f.base(), f.offset(), 2));
            out.add(new Cmp(NFT_REG_1, cmpOp(op), Data.be(port, 2)));
            return;
        }
        IpPrefix prefix = switch (v) {
            case Expr.Address a -> a.prefix();
            default -> throw new IllegalArgumentException(p.protocol() + " " + p.field() + " takes an address or prefix, not " + v);
        };
        if (prefix.isIpv4() != (f.len() == 4)) throw new IllegalArgumentException(p.protocol() + " " + p.field() + " cannot match " + prefix.address().getHostAddress() + "/" + prefix.length());
        if (prefix.length() == 0) throw new IllegalArgumentException("a /0 prefix matches everything: leave the match out");
        byte[] addr = prefix.address().getAddress();
        if (prefix.length() % 8 == 0) {
            int n = prefix.length() / 8;
            out.add(new PayloadLoad(NFT_REG_1, f.base(), f.offset(), n));
            out.add(new Cmp(NFT_REG_1, cmpOp(op), new Data(Arrays.copyOf(addr, n))));
        } else {
            out.add(new PayloadLoad(NFT_REG_1, f.base(), f.offset(), f.len()));
            out.add(new Bitwise(NFT_REG_1, NFT_REG_1, f.len(), new Data(mask(f.len(), prefix.length())), new Data(new byte[f.len()])));
            out.add(new Cmp(NFT_REG_1, cmpOp(op), new Data(addr)));
        }
    }

    private static byte[] mask(int len, int bits) {
        byte[] m = new byte[len];
        for (int i = 0; i < bits; i++) m[i / 8] |= (byte) (0x80 >>> (i % 8));
        return m;
    }

    private void l3Dependency(int nfproto, Expr.Payload p) {
        switch (family) {
            case IP -> { if (nfproto != NFPROTO_IPV4) throw new IllegalArgumentException(p.protocol() + " " + p.field() + " in an ip table"); }
            case IP6 -> { if (nfproto != NFPROTO_IPV6) throw new IllegalArgumentException(p.protocol() + " " + p.field() + " in an ip6 table"); }
            case INET -> {
                if (l3.isPresent() && l3.getAsInt() == nfproto) return;
                out.add(new MetaLoad(NFT_REG_1, MetaLoad.NFPROTO));
                out.add(new Cmp(NFT_REG_1, Cmp.EQ, Data.of(nfproto)));
                l3 = OptionalInt.of(nfproto);
            }
            default -> throw new IllegalArgumentException(p.protocol() + " " + p.field() + " in a " + family + " table is not supported");
        }
    }

    private void l4Dependency(int proto) {
        if (l4.isPresent() && l4.getAsInt() == proto) return;
        out.add(new MetaLoad(NFT_REG_1, MetaLoad.L4PROTO));
        out.add(new Cmp(NFT_REG_1, Cmp.EQ, Data.of(proto)));
        l4 = OptionalInt.of(proto);
    }

    private void metaMatch(String key, Expr.Op op, Expr.Value v) {
        switch (key) {
            case "iifname", "oifname" -> {
                String name = str(key, v);
                byte[] b = name.getBytes(StandardCharsets.UTF_8);
                // "eth*" compares the bytes before the star; an exact name is compared NUL-padded to IFNAMSIZ
                byte[] cmp = name.endsWith("*") ? Arrays.copyOf(b, b.length - 1) : Arrays.copyOf(b, 16);
                if (cmp.length == 0) throw new IllegalArgumentException(key + " \"*\" matches every interface: leave the match out");
                out.add(new MetaLoad(NFT_REG_1, key.equals("iifname") ? MetaLoad.IIFNAME : MetaLoad.OIFNAME));
                out.add(new Cmp(NFT_REG_1, cmpOp(op), new Data(cmp)));
            }
            case "l4proto" -> {
                String s = str(key, v);
                int n = Symbols.l4proto(s).orElseThrow(() -> new IllegalArgumentException("unknown protocol for meta l4proto: " + s));
                out.add(new MetaLoad(NFT_REG_1, MetaLoad.L4PROTO));
                out.add(new Cmp(NFT_REG_1, cmpOp(op), Data.of(n)));
                if (op == Expr.Op.EQ) l4 = OptionalInt.of(n);
            }
            case "nfproto" -> {
                String s = str(key, v);
                int n = Symbols.nfproto(s).orElseThrow(() -> new IllegalArgumentException("unknown value for meta nfproto: " + s));
                out.add(new MetaLoad(NFT_REG_1, MetaLoad.NFPROTO));
                out.add(new Cmp(NFT_REG_1, cmpOp(op), Data.of(n)));
                if (op == Expr.Op.EQ) l3 = OptionalInt.of(n);
            }
            default -> throw new IllegalArgumentException("meta " + key + " is not supported");
        }
    }

    private void ctMatch(String key, Expr.Op op, Expr.Value v) {
        List<String> names = switch (v) {
            case Expr.Str s -> List.of(s.value());
            case Expr.Symbols s -> s.values();
            default -> throw new IllegalArgumentException("ct " + key + " takes names, not " + v);
        };
        int bits = 0;
        for (String n : names) {
            OptionalInt b = switch (key) {
                case "state" -> Symbols.ctStateBit(n);
                case "status" -> Symbols.ctStatusBit(n);
                default -> throw new IllegalArgumentException("ct " + key + " is not supported");
            };
            bits |= b.orElseThrow(() -> new IllegalArgumentException("unknown ct " + key + ": " + n));
        }
        if (op != Expr.Op.IN && op != Expr.Op.EQ) throw new IllegalArgumentException("ct " + key + " supports membership only, not " + op.nft());
        out.add(new CtLoad(NFT_REG_1, key.equals("state") ? CtLoad.STATE : CtLoad.STATUS));
        out.add(new Bitwise(NFT_REG_1, NFT_REG_1, 4, Data.host32(bits), Data.host32(0)));
        out.add(new Cmp(NFT_REG_1, Cmp.NEQ, Data.host32(0)));
    }

    private void fibMatch(Expr.Fib fib, Expr.Op op, Expr.Value v) {
        if (!fib.result().equals("type")) throw new IllegalArgumentException("fib " + fib.result() + " is not supported (only type)");
        int flags = 0;
        for (String f : fib.flags()) {
            flags |= switch (f) {
                case "saddr" -> FibLoad.F_SADDR;
                case "daddr" -> FibLoad.F_DADDR;
                case "mark" -> FibLoad.F_MARK;
                case "iif" -> FibLoad.F_IIF;
                case "oif" -> FibLoad.F_OIF;
                default -> throw new IllegalArgumentException("unknown fib flag: " + f);
            };
        }
        String s = str("fib type", v);
        int type = Symbols.rtn(s).orElseThrow(() -> new IllegalArgumentException("unknown address type for fib: " + s));
        out.add(new FibLoad(NFT_REG_1, FibLoad.RESULT_ADDRTYPE, flags));
        out.add(new Cmp(NFT_REG_1, cmpOp(op), Data.host32(type)));
    }

    private static String str(String what, Expr.Value v) {
        if (v instanceof Expr.Str s) return s.value();
        throw new IllegalArgumentException(what + " takes a name, not " + v);
    }

    private static int cmpOp(Expr.Op op) {
        return switch (op) {
            case EQ -> Cmp.EQ;
            case NE -> Cmp.NEQ;
            case LT -> Cmp.LT;
            case LE -> Cmp.LTE;
            case GT -> Cmp.GT;
            case GE -> Cmp.GTE;
            case IN -> throw new IllegalArgumentException("'in' is for ct state/status");
        };
    }

    // ------------------------------------------------------------------ statements

    private void nat(int type, InetAddress a, OptionalInt port) {
        boolean v4 = a instanceof Inet4Address;
        checkNatFamily(v4);
        out.add(new Immediate(NFT_REG_1, new Data(a.getAddress())));
        if (port.isPresent()) out.add(new Immediate(NFT_REG_2, Data.be(port.getAsInt(), 2)));
        out.add(new NatStmt(type, v4 ? NFPROTO_IPV4 : NFPROTO_IPV6, OptionalInt.of(NFT_REG_1),
                port.isPresent() ? OptionalInt.of(NFT_REG_2) : OptionalInt.empty(),
                port.isPresent() ? NatStmt.RANGE_PROTO_SPECIFIED : 0));
    }

    private void checkNatFamily(boolean v4) {
        if ((family == Family.IP && !v4) || (family == Family.IP6 && v4))
            throw new IllegalArgumentException("NAT to an IPv" + (v4 ? 4 : 6) + " address in a " + family + " table");
    }

    private void dnatMap(Expr.DnatMap d) {
        checkNatFamily(!d.ipv6());
        concatKey(d.key(), NFT_REG_1, !d.ipv6());
        out.add(new Lookup(d.addrMap(), NFT_REG_1, OptionalInt.of(NFT_REG_1), OptionalInt.empty(), 0));
        concatKey(d.key(), NFT_REG_2, !d.ipv6());
        out.add(new Lookup(d.portMap(), NFT_REG_2, OptionalInt.of(NFT_REG_2), OptionalInt.empty(), 0));
        out.add(new NatStmt(NatStmt.DNAT, d.ipv6() ? NFPROTO_IPV6 : NFPROTO_IPV4, OptionalInt.of(NFT_REG_1),
                OptionalInt.of(NFT_REG_2), NatStmt.RANGE_PROTO_SPECIFIED));
    }

    /**
     * Loads a concatenated key starting at 128-bit register {@code reg}: the
     * first field there, each next one in the 32-bit register after the
     * previous field's words (fields are padded to 4 bytes).
     */
    private void concatKey(List<Expr.Selector> key, int reg, boolean v4) {
        int words = 0;
        for (Expr.Selector s : key) {
            // a field that starts on a 16-byte boundary is named by its 128-bit register, as nft and the kernel name it
            int x32 = (reg - 1) * 4 + words;
            int r = x32 % 4 == 0 ? x32 / 4 + 1 : NFT_REG32_00 + x32;
            int len = switch (s) {
                case Expr.Payload p -> {
                    Field f = Field.of(p);
                    if (f.l3() != 0 && (f.l3() == NFPROTO_IPV4) != v4) throw new IllegalArgumentException("map key " + p + " in the wrong family");
                    out.add(new PayloadLoad(r, f.base(), f.offset(), f.len()));
                    yield f.len();
                }
                case Expr.Meta m when m.key().equals("l4proto") -> {
                    out.add(new MetaLoad(r, MetaLoad.L4PROTO));
                    yield 1;
                }
                default -> throw new IllegalArgumentException("map key " + s + " is not supported");
            };
            words += (len + 3) / 4;
        }
    }

    /** Where a named header field is. {@code l3} is the NFPROTO it implies (0 for transport fields). */
    record Field(int base, int offset, int len, int l3) {
        boolean isPort() { return base == PayloadLoad.TRANSPORT; }

        static Field of(Expr.Payload p) {
            return switch (p.protocol() + " " + p.field()) {
                case "ip saddr" -> new Field(PayloadLoad.NETWORK, 12, 4, NFPROTO_IPV4);
                case "ip daddr" -> new Field(PayloadLoad.NETWORK, 16, 4, NFPROTO_IPV4);
                case "ip6 saddr" -> new Field(PayloadLoad.NETWORK, 8, 16, NFPROTO_IPV6);
                case "ip6 daddr" -> new Field(PayloadLoad.NETWORK, 24, 16, NFPROTO_IPV6);
                case "tcp sport", "udp sport", "sctp sport", "th sport" -> new Field(PayloadLoad.TRANSPORT, 0, 2, 0);
                case "tcp dport", "udp dport", "sctp dport", "th dport" -> new Field(PayloadLoad.TRANSPORT, 2, 2, 0);
                default -> throw new IllegalArgumentException("payload field " + p.protocol() + " " + p.field() + " is not supported");
            };
        }
    }
}
