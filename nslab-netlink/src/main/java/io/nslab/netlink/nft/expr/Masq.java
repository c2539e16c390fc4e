package io.nslab.netlink.nft.expr;

import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.NlWriter;

/**
 * {@code [ masq ]}: source NAT to the address of the outgoing interface.
 *
 * <pre>
 * NFTA_MASQ_FLAGS          1  be32  NF_NAT_RANGE_* (0: none sent)
 * NFTA_MASQ_REG_PROTO_MIN  2  be32  (port ranges: decode as {@link UnknownExpr})
 * NFTA_MASQ_REG_PROTO_MAX  3  be32
 * </pre>
 */
public record Masq(int flags) implements NfExpr {
    public static final String NAME = "masq";
    static final int FLAGS = 1, REG_PROTO_MIN = 2, REG_PROTO_MAX = 3;

    @Override public String name() { return NAME; }

    @Override
    public void encodeData(NlWriter w) {
        if (flags != 0) Be.u32(w, FLAGS, flags);
    }

    static Masq decode(Attrs a) {
        if (a.has(REG_PROTO_MIN) || a.has(REG_PROTO_MAX)) return null;
        return new Masq(Be.u32(a, FLAGS).orElse(0));
    }

    @Override
    public String toString() {
        return flags == 0 ? "[ masq ]" : "[ masq flags 0x" + Integer.toHexString(flags) + " ]";
    }
}
