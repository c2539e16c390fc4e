package io.nslab.netlink.nft.expr;

import io.nslab.netlink.wire.Attr;
import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.DecodeException;
import io.nslab.netlink.wire.NlWriter;

import java.util.ArrayList;
import java.util.List;

import static io.nslab.netlink.nft.wire.NftConst.*;

/** A rule's expression list (NFTA_RULE_EXPRESSIONS) both ways. */
public final class NfExprs {
    private NfExprs() {}

    /** Writes {@code exprs} as the nested list attribute {@code type}. */
    public static void write(NlWriter w, int type, List<NfExpr> exprs) {
        int list = w.beginNest(type, true);
        for (NfExpr e : exprs) {
            int elem = w.beginNest(NFTA_LIST_ELEM, true);
            w.attrString(NFTA_EXPR_NAME, e.name());
            int data = w.beginNest(NFTA_EXPR_DATA, true);
            e.encodeData(w);
            w.endNest(data);
            w.endNest(elem);
        }
        w.endNest(list);
    }

    /** Decodes the nested list attribute {@code list}. */
    public static List<NfExpr> read(Attr list) {
        List<NfExpr> out = new ArrayList<>();
        for (Attr elem : list.nested().list()) {
            if (elem.kind() != NFTA_LIST_ELEM) continue;
            Attrs e = elem.nested();
            String name = e.string(NFTA_EXPR_NAME).orElseThrow(() -> new DecodeException("expression without NFTA_EXPR_NAME", 0));
            out.add(NfExpr.decode(name, e.nested(NFTA_EXPR_DATA)));
        }
        return out;
    }
}
