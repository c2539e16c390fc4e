package io.nslab.netlink.nft.expr;

import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.NlWriter;

/**
 * {@code [ fib daddr type => reg 1 ]}: a routing lookup's answer into a register.
 *
 * <pre>
 * NFTA_FIB_FLAGS   3  be32  bits: 1 saddr, 2 daddr, 4 mark, 8 iif, 16 oif, 32 present   (nft's order)
 * NFTA_FIB_RESULT  2  be32  1 oif, 2 oifname, 3 address type (RTN_*)
 * NFTA_FIB_DREG    1  be32  destination register
 * </pre>
 */
public record FibLoad(int dreg, int result, int flags) implements NfExpr {
    public static final String NAME = "fib";
    static final int DREG = 1, RESULT = 2, FLAGS = 3;
    public static final int RESULT_OIF = 1, RESULT_OIFNAME = 2, RESULT_ADDRTYPE = 3;
    public static final int F_SADDR = 1, F_DADDR = 2, F_MARK = 4, F_IIF = 8, F_OIF = 16, F_PRESENT = 32;

    @Override public String name() { return NAME; }

    @Override
    public void encodeData(NlWriter w) {
        Be.u32(w, FLAGS, flags);
        Be.u32(w, RESULT, result);
        Be.u32(w, DREG, dreg);
    }

    static FibLoad decode(Attrs a) {
        int d = Be.req(a, DREG), r = Be.req(a, RESULT), f = Be.req(a, FLAGS);
        return d < 0 || r < 0 || f < 0 ? null : new FibLoad(d, r, f);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("[ fib");
        String[] names = {"saddr", "daddr", "mark", "iif", "oif", "present"};
        for (int i = 0; i < names.length; i++) if ((flags & (1 << i)) != 0) s.append(' ').append(names[i]);
        s.append(' ').append(result == RESULT_ADDRTYPE ? "type" : result == RESULT_OIF ? "oif" : "oifname");
        return s.append(" => reg ").append(dreg).append(" ]").toString();
    }
}
