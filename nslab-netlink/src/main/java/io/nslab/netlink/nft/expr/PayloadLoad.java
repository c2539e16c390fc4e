package io.nslab.netlink.nft.expr;

import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.NlWriter;

/**
 * {@code [ payload load 4b @ network header + 16 => reg 1 ]}: copies packet
 * bytes into a register.
 *
 * <pre>
 * NFTA_PAYLOAD_DREG    1  be32  destination register
 * NFTA_PAYLOAD_BASE    2  be32  0 link layer, 1 network, 2 transport, 3 inner
 * NFTA_PAYLOAD_OFFSET  3  be32  bytes from the start of that header
 * NFTA_PAYLOAD_LEN     4  be32  bytes copied
 * </pre>
 * A payload write (NFTA_PAYLOAD_SREG) is a different statement and decodes as {@link UnknownExpr}.
 */
public record PayloadLoad(int dreg, int base, int offset, int len) implements NfExpr {
    public static final String NAME = "payload";
    static final int DREG = 1, BASE = 2, OFFSET = 3, LEN = 4, SREG = 5;
    public static final int LL = 0, NETWORK = 1, TRANSPORT = 2, INNER = 3;

    @Override public String name() { return NAME; }

    @Override
    public void encodeData(NlWriter w) {
        Be.u32(w, DREG, dreg);
        Be.u32(w, BASE, base);
        Be.u32(w, OFFSET, offset);
        Be.u32(w, LEN, len);
    }

    static PayloadLoad decode(Attrs a) {
        if (a.has(SREG)) return null;
        int d = Be.req(a, DREG), b = Be.req(a, BASE), o = Be.req(a, OFFSET), l = Be.req(a, LEN);
        return d < 0 || b < 0 || o < 0 || l < 0 ? null : new PayloadLoad(d, b, o, l);
    }

    @Override
    public String toString() {
        String h = switch (base) {
            case LL -> "link";
            case NETWORK -> "network";
            case TRANSPORT -> "transport";
            default -> "inner";
        };
        return "[ payload load " + len + "b @ " + h + " header + " + offset + " => reg " + dreg + " ]";
    }
}
