package io.nslab.netlink.nft.expr;

import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.NlWriter;

import java.util.Objects;

/**
 * {@code [ bitwise reg 1 = ( reg 1 & 0x00000006 ) ^ 0x00000000 ]}: masks a
 * register (prefixes that end inside a byte, ct state and status bits).
 *
 * <pre>
 * NFTA_BITWISE_SREG  1  be32    source register
 * NFTA_BITWISE_DREG  2  be32    destination register
 * NFTA_BITWISE_LEN   3  be32    bytes
 * NFTA_BITWISE_MASK  4  nested  NFTA_DATA_VALUE, LEN bytes
 * NFTA_BITWISE_XOR   5  nested  NFTA_DATA_VALUE, LEN bytes
 * NFTA_BITWISE_OP    6  be32    0 mask-and-xor (what this record is); shifts decode as {@link UnknownExpr}
 * </pre>
 */
public record Bitwise(int sreg, int dreg, int len, Data mask, Data xor) implements NfExpr {
    public static final String NAME = "bitwise";
    static final int SREG = 1, DREG = 2, LEN = 3, MASK = 4, XOR = 5, OP = 6;

    public Bitwise {
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(xor, "xor");
        if (mask.length() != len || xor.length() != len) throw new IllegalArgumentException("bitwise mask/xor length differs from " + len);
    }

    @Override public String name() { return NAME; }

    @Override
    public void encodeData(NlWriter w) {
        Be.u32(w, SREG, sreg);
        Be.u32(w, DREG, dreg);
        Be.u32(w, LEN, len);
        NfData.write(w, MASK, mask);
        NfData.write(w, XOR, xor);
    }

    static Bitwise decode(Attrs a) {
        if (Be.u32(a, OP).orElse(0) != 0) return null;
        int s = Be.req(a, SREG), d = Be.req(a, DREG), l = Be.req(a, LEN);
        var m = NfData.value(a, MASK);
        var x = NfData.value(a, XOR);
        if (s < 0 || d < 0 || l < 0 || m.isEmpty() || x.isEmpty() || m.get().length() != l || x.get().length() != l) return null;
        return new Bitwise(s, d, l, m.get(), x.get());
    }

    @Override
    public String toString() {
        return "[ bitwise reg " + dreg + " = ( reg " + sreg + " & " + mask + " ) ^ " + xor + " ]";
    }
}
