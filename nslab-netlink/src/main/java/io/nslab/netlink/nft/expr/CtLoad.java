package io.nslab.netlink.nft.expr;

import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.NlWriter;

/**
 * {@code [ ct load state => reg 1 ]}: a conntrack field into a register.
 *
 * <pre>
 * NFTA_CT_KEY   2  be32  enum nft_ct_keys: 0 state, 2 status, ...   (sent first, as nft does)
 * NFTA_CT_DREG  1  be32  destination register
 * </pre>
 * A direction (NFTA_CT_DIRECTION) or a ct write (NFTA_CT_SREG) decodes as {@link UnknownExpr}.
 */
public record CtLoad(int dreg, int key) implements NfExpr {
    public static final String NAME = "ct";
    static final int DREG = 1, KEY = 2, DIRECTION = 3, SREG = 4;
    public static final int STATE = 0, STATUS = 2;

    @Override public String name() { return NAME; }

    @Override
    public void encodeData(NlWriter w) {
        Be.u32(w, KEY, key);
        Be.u32(w, DREG, dreg);
    }

    static CtLoad decode(Attrs a) {
        if (a.has(SREG) || a.has(DIRECTION)) return null;
        int d = Be.req(a, DREG), k = Be.req(a, KEY);
        return d < 0 || k < 0 ? null : new CtLoad(d, k);
    }

    @Override
    public String toString() {
        return "[ ct load " + (key == STATE ? "state" : key == STATUS ? "status" : "key " + key) + " => reg " + dreg + " ]";
    }
}
