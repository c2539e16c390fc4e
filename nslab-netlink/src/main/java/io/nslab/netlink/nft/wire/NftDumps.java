package io.nslab.netlink.nft.wire;

import io.nslab.netlink.nft.BaseChain;
import io.nslab.netlink.nft.ChainRef;
import io.nslab.netlink.nft.ChainType;
import io.nslab.netlink.nft.Expr;
import io.nslab.netlink.nft.Family;
import io.nslab.netlink.nft.Hook;
import io.nslab.netlink.nft.ListedRule;
import io.nslab.netlink.nft.MapElement;
import io.nslab.netlink.nft.Policy;
import io.nslab.netlink.nft.Rule;
import io.nslab.netlink.nft.SetRef;
import io.nslab.netlink.nft.TableRef;
import io.nslab.netlink.nft.expr.Be;
import io.nslab.netlink.nft.expr.Data;
import io.nslab.netlink.nft.expr.NfData;
import io.nslab.netlink.nft.expr.NfExpr;
import io.nslab.netlink.nft.expr.NfExprs;
import io.nslab.netlink.wire.Attr;
import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.NlMessage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.nslab.netlink.nft.wire.NftConst.*;

/**
 * The kernel's NFT_MSG_NEW* messages (dump replies, echoes) decoded. Pure.
 * Objects of a family nslab does not model come back empty.
 */
public final class NftDumps {
    private NftDumps() {}

    public record ListedTable(TableRef ref, long handle) {}

    public record ListedChain(ChainRef ref, long handle, Optional<BaseChain> base) {}

    public record ListedSet(SetRef ref, long handle, int flags, int keyType, int dataType) {
        public Optional<NftMessages.SetDecl> decl() {
            Optional<List<SetTypes.Type>> k = SetTypes.ofId(keyType);
            if (k.isEmpty()) return Optional.empty();
            if ((flags & NFT_SET_MAP) == 0) return Optional.of(new NftMessages.SetDecl(k.get(), Optional.empty()));
            Optional<List<SetTypes.Type>> d = SetTypes.ofId(dataType);
            return d.map(x -> new NftMessages.SetDecl(k.get(), Optional.of(x)));
        }
    }

    /** A rule with its kernel expressions, before lifting. */
    public record KernelRule(ChainRef chain, long handle, List<NfExpr> exprs, Optional<String> comment) {
        public ListedRule lift() {
            List<Expr> e = Delinearizer.rule(chain.table().family(), exprs);
            return new ListedRule(handle, new Rule(chain, e, comment));
        }
    }

    private static Optional<Family> family(NlMessage m) {
        byte[] p = m.payload();
        return p.length < 4 ? Optional.empty() : NftMessages.family(p[0] & 0xff);
    }

    private static Attrs attrs(NlMessage m) {
        return m.attrs(4);
    }

    public static Optional<ListedTable> table(NlMessage m) {
        Optional<Family> f = family(m);
        Attrs a = attrs(m);
        Optional<String> name = a.string(NFTA_TABLE_NAME);
        if (f.isEmpty() || name.isEmpty()) return Optional.empty();
        return Optional.of(new ListedTable(new TableRef(f.get(), name.get()), Be.u64(a, NFTA_TABLE_HANDLE).orElse(0)));
    }

    public static Optional<ListedChain> chain(NlMessage m) {
        Optional<Family> f = family(m);
        Attrs a = attrs(m);
        Optional<String> table = a.string(NFTA_CHAIN_TABLE), name = a.string(NFTA_CHAIN_NAME);
        if (f.isEmpty() || table.isEmpty() || name.isEmpty()) return Optional.empty();
        ChainRef ref = new TableRef(f.get(), table.get()).chain(name.get());
        return Optional.of(new ListedChain(ref, Be.u64(a, NFTA_CHAIN_HANDLE).orElse(0), base(a)));
    }

    private static Optional<BaseChain> base(Attrs a) {
        Attrs hook = a.nested(NFTA_CHAIN_HOOK);
        var num = Be.u32(hook, NFTA_HOOK_HOOKNUM);
        var prio = Be.u32(hook, NFTA_HOOK_PRIORITY);
        Optional<String> type = a.string(NFTA_CHAIN_TYPE);
        if (num.isEmpty() || prio.isEmpty() || type.isEmpty() || hook.has(NFTA_HOOK_DEV)) return Optional.empty();
        Hook h = null;
        for (Hook x : Hook.values()) if (NftMessages.hookNum(x) == num.getAsInt()) h = x;
        int policy = Be.u32(a, NFTA_CHAIN_POLICY).orElse(NF_ACCEPT);
        try {
            return h == null ? Optional.empty() : Optional.of(new BaseChain(ChainType.parse(type.get()), h, prio.getAsInt(),
                    policy == NF_DROP ? Policy.DROP : Policy.ACCEPT));
        } catch (IllegalArgumentException e) {
            return Optional.empty();   // a chain type or hook this model does not type
        }
    }

    public static Optional<KernelRule> rule(NlMessage m) {
        Optional<Family> f = family(m);
        Attrs a = attrs(m);
        Optional<String> table = a.string(NFTA_RULE_TABLE), chain = a.string(NFTA_RULE_CHAIN);
        if (f.isEmpty() || table.isEmpty() || chain.isEmpty()) return Optional.empty();
        ChainRef ref = new TableRef(f.get(), table.get()).chain(chain.get());
        List<NfExpr> exprs = a.get(NFTA_RULE_EXPRESSIONS).map(NfExprs::read).orElse(List.of());
        return Optional.of(new KernelRule(ref, Be.u64(a, NFTA_RULE_HANDLE).orElse(0), exprs,
                a.bytes(NFTA_RULE_USERDATA).flatMap(NftDumps::comment)));
    }

    /** The comment in nft's rule userdata TLVs, if any. */
    static Optional<String> comment(byte[] u) {
        int p = 0;
        while (p + 2 <= u.length) {
            int type = u[p] & 0xff, len = u[p + 1] & 0xff;
            if (p + 2 + len > u.length) return Optional.empty();
            if (type == NFTNL_UDATA_RULE_COMMENT) {
                int n = len;
                while (n > 0 && u[p + 2 + n - 1] == 0) n--;
                return Optional.of(new String(u, p + 2, n, StandardCharsets.UTF_8));
            }
            p += 2 + len;
        }
        return Optional.empty();
    }

    public static Optional<ListedSet> set(NlMessage m) {
        Optional<Family> f = family(m);
        Attrs a = attrs(m);
        Optional<String> table = a.string(NFTA_SET_TABLE), name = a.string(NFTA_SET_NAME);
        if (f.isEmpty() || table.isEmpty() || name.isEmpty()) return Optional.empty();
        int flags = Be.u32(a, NFTA_SET_FLAGS).orElse(0);
        if ((flags & NFT_SET_ANONYMOUS) != 0) return Optional.empty();
        return Optional.of(new ListedSet(new TableRef(f.get(), table.get()).set(name.get()), Be.u64(a, NFTA_SET_HANDLE).orElse(0),
                flags, Be.u32(a, NFTA_SET_KEY_TYPE).orElse(0), Be.u32(a, NFTA_SET_DATA_TYPE).orElse(0)));
    }

    /** The elements of a NEWSETELEM message as values of {@code decl}'s types; undecodable ones are skipped. */
    public static List<MapElement> elements(NlMessage m, NftMessages.SetDecl decl) {
        List<MapElement> out = new ArrayList<>();
        if (decl.data().isEmpty()) return out;
        for (Attr el : attrs(m).nested(NFTA_SET_ELEM_LIST_ELEMENTS).list()) {
            Attrs e = el.nested();
            Optional<Data> k = NfData.value(e, NFTA_SET_ELEM_KEY), d = NfData.value(e, NFTA_SET_ELEM_DATA);
            if (k.isEmpty() || d.isEmpty()) continue;
            var key = SetTypes.decode(decl.key(), k.get());
            var data = SetTypes.decode(decl.data().get(), d.get());
            if (key.isPresent() && data.isPresent() && data.get().size() == 1) out.add(new MapElement(key.get(), data.get().getFirst()));
        }
        return out;
    }
}
