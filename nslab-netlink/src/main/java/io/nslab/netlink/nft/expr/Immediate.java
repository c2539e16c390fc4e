package io.nslab.netlink.nft.expr;

import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.NlWriter;

import java.util.Objects;

/**
 * {@code [ immediate reg 1 0x020011ac ]} or {@code [ immediate reg 0 accept ]}:
 * a constant into a register; a verdict into register 0 is how a rule
 * accepts, drops, jumps or returns.
 *
 * <pre>
 * NFTA_IMMEDIATE_DREG  1  be32    destination register (0 = verdict)
 * NFTA_IMMEDIATE_DATA  2  nested  NFTA_DATA_VALUE or NFTA_DATA_VERDICT
 * </pre>
 */
public record Immediate(int dreg, Value data) implements NfExpr {
    public static final String NAME = "immediate";
    static final int DREG = 1, DATA = 2;

    /** What an immediate loads: bytes, or a verdict. */
    public sealed interface Value permits Data, Verdict {}

    public Immediate {
        Objects.requireNonNull(data, "data");
    }

    @Override public String name() { return NAME; }

    @Override
    public void encodeData(NlWriter w) {
        Be.u32(w, DREG, dreg);
        NfData.write(w, DATA, data);
    }

    static Immediate decode(Attrs a) {
        int d = Be.req(a, DREG);
        var v = NfData.read(a, DATA);
        return d < 0 || v.isEmpty() ? null : new Immediate(d, v.get());
    }

    @Override
    public String toString() {
        return "[ immediate reg " + dreg + " " + data + " ]";
    }
}
