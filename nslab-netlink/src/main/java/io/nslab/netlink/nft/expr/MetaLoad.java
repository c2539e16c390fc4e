package io.nslab.netlink.nft.expr;

import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.NlWriter;

/**
 * {@code [ meta load oifname => reg 1 ]}: packet metadata into a register.
 *
 * <pre>
 * NFTA_META_KEY   2  be32  enum nft_meta_keys       (sent first, as nft does)
 * NFTA_META_DREG  1  be32  destination register
 * </pre>
 * A meta write (NFTA_META_SREG) decodes as {@link UnknownExpr}.
 */
public record MetaLoad(int dreg, int key) implements NfExpr {
    public static final String NAME = "meta";
    static final int DREG = 1, KEY = 2, SREG = 3;
    /** enum nft_meta_keys. */
    public static final int PROTOCOL = 1, IIFNAME = 6, OIFNAME = 7, NFPROTO = 15, L4PROTO = 16;

    @Override public String name() { return NAME; }

    @Override
    public void encodeData(NlWriter w) {
        Be.u32(w, KEY, key);
        Be.u32(w, DREG, dreg);
    }

    static MetaLoad decode(Attrs a) {
        if (a.has(SREG)) return null;
        int d = Be.req(a, DREG), k = Be.req(a, KEY);
        return d < 0 || k < 0 ? null : new MetaLoad(d, k);
    }

    public static String keyName(int key) {
        return switch (key) {
            case PROTOCOL -> "protocol";
            case IIFNAME -> "iifname";
            case OIFNAME -> "oifname";
            case NFPROTO -> "nfproto";
            case L4PROTO -> "l4proto";
            default -> "key " + key;
        };
    }

    @Override
    public String toString() {
        return "[ meta load " + keyName(key) + " => reg " + dreg + " ]";
    }
}
