package io.nslab.netlink.nft.wire;

import io.nslab.netlink.nft.Expr;
import io.nslab.netlink.nft.Family;
import io.nslab.netlink.route.IpPrefix;
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
import io.nslab.netlink.nft.expr.UnknownExpr;
import io.nslab.netlink.nft.expr.Verdict;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static io.nslab.netlink.nft.wire.NftConst.*;

/**
 * The kernel's register program back to nslab's model, the way nft lists it:
 * a load, an optional mask and a cmp become one match; dependencies nft adds
 * by itself ({@code meta l4proto} before a port, {@code meta nfproto} before
 * an address in an inet table) disappear into the match that needed them;
 * immediates and lookups feeding a nat become its address, port or maps.
 * Whatever does not lift is kept as {@link Expr.Raw}, expression for expression.
 */
public final class Delinearizer {
    private final Family family;
    private final List<NfExpr> in;
    private final List<Expr> out = new ArrayList<>();
    /** Index in {@link #in} where the expressions not yet turned into model expressions begin. */
    private int chunk;
    /** The load each register holds, in load order (a concatenated key spans several). */
    private final Map<Integer, Load> regs = new LinkedHashMap<>();
    private final Map<Integer, Data> immediates = new HashMap<>();
    private final Map<Integer, MapLookup> lookups = new HashMap<>();
    /** A dependency match just emitted, that the next match may absorb: its index in {@link #out}. */
    private int l4Dep = -1, l3Dep = -1;
    private int l4Proto, l3Proto;

    private record Load(NfExpr load, Optional<Bitwise> mask) {}

    private record MapLookup(String set, List<Expr.Selector> key) {}

    private Delinearizer(Family family, List<NfExpr> in) {
        this.family = family;
        this.in = in;
    }

    public static List<Expr> rule(Family family, List<NfExpr> exprs) {
        Delinearizer d = new Delinearizer(family, exprs);
        for (int i = 0; i < exprs.size(); i++) {
            if (!d.step(exprs.get(i), i)) d.giveUp(i);
        }
        if (d.chunk < exprs.size()) d.out.add(new Expr.Raw(exprs.subList(d.chunk, exprs.size())));
        return List.copyOf(d.out);
    }

    /** Keeps expressions {@code chunk..i} verbatim and starts afresh after them. */
    private void giveUp(int i) {
        out.add(new Expr.Raw(in.subList(chunk, i + 1)));
        chunk = i + 1;
        regs.clear();
        immediates.clear();
        lookups.clear();
        l4Dep = l3Dep = -1;
    }

    private void emit(Expr e, int i) {
        out.add(e);
        chunk = i + 1;
        regs.clear();
        immediates.clear();
        lookups.clear();
    }

    private boolean step(NfExpr e, int i) {
        return switch (e) {
            case PayloadLoad p -> load(p.dreg(), p);
            case MetaLoad m -> load(m.dreg(), m);
            case CtLoad c -> load(c.dreg(), c);
            case FibLoad f -> load(f.dreg(), f);
            case Bitwise b -> mask(b);
            case Cmp c -> cmp(c, i);
            case Lookup l -> lookup(l);
            case Immediate im -> immediate(im, i);
            case NatStmt n -> nat(n, i);
            case Masq m -> m.flags() == 0 && regs.isEmpty() && emitted(new Expr.Masquerade(), i);
            case CounterStmt c -> regs.isEmpty() && emitted(new Expr.Counter(c.packets(), c.bytes()), i);
            case UnknownExpr _ -> false;
        };
    }

    private boolean emitted(Expr e, int i) {
        emit(e, i);
        l4Dep = l3Dep = -1;
        return true;
    }

    private boolean load(int reg, NfExpr load) {
        regs.put(reg, new Load(load, Optional.empty()));
        return true;
    }

    private boolean mask(Bitwise b) {
        Load l = regs.get(b.sreg());
        if (l == null || b.sreg() != b.dreg() || l.mask().isPresent() || !b.xor().isZero()) return false;
        regs.put(b.dreg(), new Load(l.load(), Optional.of(b)));
        return true;
    }

    // ------------------------------------------------------------------ matches

    private boolean cmp(Cmp c, int i) {
        Load l = regs.get(c.sreg());
        if (l == null || regs.size() != 1) return false;
        Expr.Op op = op(c.op());
        Expr match = switch (l.load()) {
            case PayloadLoad p -> payload(p, l.mask(), op, c.data());
            case MetaLoad m -> meta(m, l.mask(), op, c.data());
            case CtLoad ct -> ct(ct, l.mask(), c);
            case FibLoad f -> fib(f, l.mask(), op, c.data());
            default -> null;
        };
        if (match == null) return false;
        if (match instanceof Expr.Match m && m.left() instanceof Expr.Meta meta && (meta.key().equals("l4proto") || meta.key().equals("nfproto"))) {
            // maybe a dependency: kept unless the next match absorbs it
            emit(match, i);
            if (m.op() == Expr.Op.EQ) {
                if (meta.key().equals("l4proto")) { l4Dep = out.size() - 1; l4Proto = c.data().bytes()[0] & 0xff; }
                else { l3Dep = out.size() - 1; l3Proto = c.data().bytes()[0] & 0xff; }
            }
            return true;
        }
        emit(match, i);
        l4Dep = l3Dep = -1;
        return true;
    }

    private static Expr.Op op(int cmp) {
        return switch (cmp) {
            case Cmp.EQ -> Expr.Op.EQ;
            case Cmp.NEQ -> Expr.Op.NE;
            case Cmp.LT -> Expr.Op.LT;
            case Cmp.LTE -> Expr.Op.LE;
            case Cmp.GT -> Expr.Op.GT;
            default -> Expr.Op.GE;
        };
    }

    private Expr payload(PayloadLoad p, Optional<Bitwise> mask, Expr.Op op, Data data) {
        if (p.base() == PayloadLoad.TRANSPORT) {
            if (mask.isPresent() || p.len() != 2 || data.length() != 2 || (p.offset() != 0 && p.offset() != 2)) return null;
            String proto = "th";
            if (l4Dep >= 0 && l4Dep == out.size() - 1) {
                Optional<String> name = Symbols.l4protoName(l4Proto);
                if (name.isPresent() && (name.get().equals("tcp") || name.get().equals("udp") || name.get().equals("sctp"))) {
                    proto = name.get();
                    out.remove(l4Dep);
                }
            }
            if (proto.equals("th")) return null;   // nft never writes a bare th match; keep it raw
            l4Dep = -1;
            return new Expr.Match(new Expr.Payload(proto, p.offset() == 0 ? "sport" : "dport"), op, new Expr.Num(data.be()));
        }
        if (p.base() != PayloadLoad.NETWORK) return null;
        boolean v6;
        switch (family) {
            case IP -> v6 = false;
            case IP6 -> v6 = true;
            case INET -> {
                if (l3Dep < 0 || l3Dep != out.size() - 1) return null;
                v6 = l3Proto == NFPROTO_IPV6;
            }
            default -> { return null; }
        }
        int full = v6 ? 16 : 4;
        String field;
        if (!v6 && p.offset() == 12) field = "saddr";
        else if (!v6 && p.offset() == 16) field = "daddr";
        else if (v6 && p.offset() == 8) field = "saddr";
        else if (v6 && p.offset() == 24) field = "daddr";
        else return null;
        if (p.len() > full || data.length() != p.len()) return null;
        int bits;
        if (mask.isPresent()) {
            bits = prefixBits(mask.get().mask().bytes());
            if (bits < 0 || p.len() != full) return null;
        } else {
            bits = p.len() * 8;
        }
        InetAddress a;
        try {
            a = InetAddress.getByAddress(Arrays.copyOf(data.bytes(), full));
        } catch (UnknownHostException e) {
            return null;
        }
        IpPrefix prefix;
        try {
            prefix = new IpPrefix(a, bits);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (!Arrays.equals(prefix.network().address().getAddress(), a.getAddress())) return null;   // bits outside the mask: not a prefix match
        if (family == Family.INET) {
            out.remove(l3Dep);
            l3Dep = -1;
        }
        return new Expr.Match(new Expr.Payload(v6 ? "ip6" : "ip", field), op, new Expr.Address(prefix));
    }

    /** The length of a contiguous netmask, or -1. */
    private static int prefixBits(byte[] mask) {
        int bits = 0;
        boolean ended = false;
        for (byte b : mask) {
            for (int k = 7; k >= 0; k--) {
                boolean set = (b & (1 << k)) != 0;
                if (set && ended) return -1;
                if (set) bits++;
                else ended = true;
            }
        }
        return bits;
    }

    private Expr meta(MetaLoad m, Optional<Bitwise> mask, Expr.Op op, Data data) {
        if (mask.isPresent()) return null;
        byte[] b = data.bytes();
        return switch (m.key()) {
            case MetaLoad.IIFNAME, MetaLoad.OIFNAME -> {
                int nul = 0;
                while (nul < b.length && b[nul] != 0) nul++;
                boolean exact = nul < b.length;
                if (exact) for (int k = nul; k < b.length; k++) if (b[k] != 0) yield null;
                String name = new String(b, 0, nul, StandardCharsets.UTF_8) + (exact ? "" : "*");
                yield new Expr.Match(new Expr.Meta(MetaLoad.keyName(m.key())), op, new Expr.Str(name));
            }
            case MetaLoad.L4PROTO -> {
                if (b.length != 1) yield null;
                Optional<String> name = Symbols.l4protoName(b[0] & 0xff);
                yield new Expr.Match(new Expr.Meta("l4proto"), op, name.<Expr.Value>map(Expr.Str::new).orElse(new Expr.Num(b[0] & 0xff)));
            }
            case MetaLoad.NFPROTO -> {
                if (b.length != 1) yield null;
                Optional<String> name = Symbols.nfprotoName(b[0] & 0xff);
                yield name.isEmpty() ? null : new Expr.Match(new Expr.Meta("nfproto"), op, new Expr.Str(name.get()));
            }
            default -> null;
        };
    }

    private Expr ct(CtLoad ct, Optional<Bitwise> mask, Cmp c) {
        if (mask.isEmpty() || c.op() != Cmp.NEQ || !c.data().isZero() || mask.get().len() != 4) return null;
        int bits = mask.get().mask().host32();
        Optional<List<String>> names = switch (ct.key()) {
            case CtLoad.STATE -> Symbols.bitNames(Symbols.CT_STATE, bits);
            case CtLoad.STATUS -> Symbols.bitNames(Symbols.CT_STATUS, bits);
            default -> Optional.empty();
        };
        if (names.isEmpty()) return null;
        List<String> n = names.get();
        Expr.Value v = n.size() == 1 ? new Expr.Str(n.getFirst()) : new Expr.Symbols(n);
        return new Expr.Match(new Expr.Ct(ct.key() == CtLoad.STATE ? "state" : "status"), Expr.Op.IN, v);
    }

    private Expr fib(FibLoad f, Optional<Bitwise> mask, Expr.Op op, Data data) {
        if (mask.isPresent() || f.result() != FibLoad.RESULT_ADDRTYPE || data.length() != 4) return null;
        int t = data.host32();
        if (t < 0 || t >= Symbols.RTN.size()) return null;
        List<String> flags = new ArrayList<>();
        String[] names = {"saddr", "daddr", "mark", "iif", "oif"};
        for (int k = 0; k < names.length; k++) if ((f.flags() & (1 << k)) != 0) flags.add(names[k]);
        if ((f.flags() & ~0x1f) != 0 || flags.isEmpty()) return null;
        return new Expr.Match(new Expr.Fib(flags, "type"), op, new Expr.Str(Symbols.RTN.get(t)));
    }

    // ------------------------------------------------------------------ statements

    private boolean lookup(Lookup l) {
        if (l.dreg().isEmpty() || l.flags() != 0 || regs.isEmpty()) return false;
        List<Expr.Selector> key = new ArrayList<>();
        for (Load ld : regs.values()) {
            if (ld.mask().isPresent()) return false;
            Expr.Selector s = switch (ld.load()) {
                case PayloadLoad p when p.base() == PayloadLoad.NETWORK && p.len() == 4 && (p.offset() == 12 || p.offset() == 16) ->
                        new Expr.Payload("ip", p.offset() == 12 ? "saddr" : "daddr");
                case PayloadLoad p when p.base() == PayloadLoad.NETWORK && p.len() == 16 && (p.offset() == 8 || p.offset() == 24) ->
                        new Expr.Payload("ip6", p.offset() == 8 ? "saddr" : "daddr");
                case PayloadLoad p when p.base() == PayloadLoad.TRANSPORT && p.len() == 2 && (p.offset() == 0 || p.offset() == 2) ->
                        new Expr.Payload("th", p.offset() == 0 ? "sport" : "dport");
                case MetaLoad m when m.key() == MetaLoad.L4PROTO -> new Expr.Meta("l4proto");
                default -> null;
            };
            if (s == null) return false;
            key.add(s);
        }
        regs.clear();
        lookups.put(l.dreg().getAsInt(), new MapLookup(l.set(), key));
        return true;
    }

    private boolean immediate(Immediate im, int i) {
        if (im.dreg() == NFT_REG_VERDICT) {
            if (!regs.isEmpty() || !(im.data() instanceof Verdict v)) return false;
            Expr e = switch (v.code()) {
                case NF_ACCEPT -> new Expr.Accept();
                case NF_DROP -> new Expr.Drop();
                case NFT_RETURN -> new Expr.Return();
                case NFT_JUMP -> new Expr.Jump(v.chain().orElseThrow());
                case NFT_GOTO -> new Expr.Goto(v.chain().orElseThrow());
                default -> null;
            };
            return e != null && emitted(e, i);
        }
        if (!(im.data() instanceof Data d)) return false;
        immediates.put(im.dreg(), d);
        return true;
    }

    private boolean nat(NatStmt n, int i) {
        if (!regs.isEmpty() || n.regAddr().isEmpty()) return false;
        boolean v6 = n.family() == NFPROTO_IPV6;
        if (!v6 && n.family() != NFPROTO_IPV4) return false;
        int ra = n.regAddr().getAsInt();
        OptionalInt rp = n.regProto();
        if (immediates.containsKey(ra)) {
            Data a = immediates.get(ra);
            if (a.length() != (v6 ? 16 : 4)) return false;
            InetAddress addr;
            try {
                addr = InetAddress.getByAddress(a.bytes());
            } catch (UnknownHostException e) {
                return false;
            }
            OptionalInt port = OptionalInt.empty();
            if (rp.isPresent()) {
                Data p = immediates.get(rp.getAsInt());
                if (p == null || p.length() != 2) return false;
                port = OptionalInt.of((int) p.be());
            }
            return emitted(n.type() == NatStmt.DNAT ? new Expr.Dnat(addr, port) : new Expr.Snat(addr, port), i);
        }
        MapLookup addrMap = lookups.get(ra);
        MapLookup portMap = rp.isPresent() ? lookups.get(rp.getAsInt()) : null;
        if (n.type() != NatStmt.DNAT || addrMap == null || portMap == null || !addrMap.key().equals(portMap.key())) return false;
        return emitted(new Expr.DnatMap(v6, addrMap.key(), addrMap.set(), portMap.set()), i);
    }
}
