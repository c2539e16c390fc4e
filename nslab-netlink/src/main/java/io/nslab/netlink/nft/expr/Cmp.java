package io.nslab.netlink.nft.expr;

import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.NlWriter;

import java.util.Objects;

/**
 * {@code [ cmp eq reg 1 0x0000901f ]}: compares a register with a constant;
 * the rule stops here when it does not hold.
 *
 * <pre>
 * NFTA_CMP_SREG  1  be32    source register
 * NFTA_CMP_OP    2  be32    0 eq, 1 neq, 2 lt, 3 lte, 4 gt, 5 gte
 * NFTA_CMP_DATA  3  nested  NFTA_DATA_VALUE: the constant, as long as the compared field
 * </pre>
 */
public record Cmp(int sreg, int op, Data data) implements NfExpr {
    public static final String NAME = "cmp";
    static final int SREG = 1, OP = 2, DATA = 3;
    public static final int EQ = 0, NEQ = 1, LT = 2, LTE = 3, GT = 4, GTE = 5;
    private static final String[] OPS = {"eq", "neq", "lt", "lte", "gt", "gte"};

    public Cmp {
        Objects.requireNonNull(data, "data");
        if (op < EQ || op > GTE) throw new IllegalArgumentException("cmp op " + op);
    }

    @Override public String name() { return NAME; }

    @Override
    public void encodeData(NlWriter w) {
        Be.u32(w, SREG, sreg);
        Be.u32(w, OP, op);
        NfData.write(w, DATA, data);
    }

    static Cmp decode(Attrs a) {
        int s = Be.req(a, SREG), o = Be.req(a, OP);
        var d = NfData.value(a, DATA);
        return s < 0 || o < EQ || o > GTE || d.isEmpty() ? null : new Cmp(s, o, d.get());
    }

    @Override
    public String toString() {
        return "[ cmp " + OPS[op] + " reg " + sreg + " " + data + " ]";
    }
}
