package io.nslab.netlink.nft.expr;

import io.nslab.netlink.wire.Attr;
import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.NlWriter;

import java.util.Optional;

import static io.nslab.netlink.nft.wire.NftConst.*;

/**
 * The nested {@code nft_data} attribute (enum nft_data_attributes) that cmp,
 * bitwise, immediate and set elements carry: a value or a verdict.
 */
public final class NfData {
    private NfData() {}

    public static void write(NlWriter w, int type, Immediate.Value v) {
        int n = w.beginNest(type, true);
        switch (v) {
            case Data d -> w.attr(NFTA_DATA_VALUE, d.bytes());
            case Verdict vd -> {
                int m = w.beginNest(NFTA_DATA_VERDICT, true);
                Be.u32(w, NFTA_VERDICT_CODE, vd.code());
                vd.chain().ifPresent(c -> w.attrString(NFTA_VERDICT_CHAIN, c));
                w.endNest(m);
            }
        }
        w.endNest(n);
    }

    /** The value or verdict inside attribute {@code type} of {@code a}; empty when absent or malformed. */
    public static Optional<Immediate.Value> read(Attrs a, int type) {
        Optional<Attr> x = a.get(type);
        if (x.isEmpty()) return Optional.empty();
        Attrs inner = x.get().nested();
        Optional<Attr> value = inner.get(NFTA_DATA_VALUE);
        if (value.isPresent()) {
            byte[] b = value.get().bytes();
            return b.length == 0 || b.length > Data.MAX ? Optional.empty() : Optional.of(new Data(b));
        }
        Attrs vd = inner.nested(NFTA_DATA_VERDICT);
        var code = Be.u32(vd, NFTA_VERDICT_CODE);
        if (code.isEmpty()) return Optional.empty();
        Optional<String> chain = vd.string(NFTA_VERDICT_CHAIN);
        int c = code.getAsInt();
        if ((c == NFT_JUMP || c == NFT_GOTO) != chain.isPresent()) return Optional.empty();
        return Optional.of(new Verdict(c, chain));
    }

    public static Optional<Data> value(Attrs a, int type) {
        return read(a, type).filter(v -> v instanceof Data).map(v -> (Data) v);
    }

}
