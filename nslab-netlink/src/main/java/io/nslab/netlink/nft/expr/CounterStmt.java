package io.nslab.netlink.nft.expr;

import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.NlWriter;

/**
 * {@code [ counter pkts 0 bytes 0 ]}: counts the packets that reach it.
 *
 * <pre>
 * NFTA_COUNTER_BYTES    1  be64
 * NFTA_COUNTER_PACKETS  2  be64
 * </pre>
 */
public record CounterStmt(long packets, long bytes) implements NfExpr {
    public static final String NAME = "counter";
    static final int BYTES = 1, PACKETS = 2;

    @Override public String name() { return NAME; }

    @Override
    /** A new counter starts at zero: nft sends no attribute then, and neither does this. */
    public void encodeData(NlWriter w) {
        if (bytes == 0 && packets == 0) return;
        Be.u64(w, BYTES, bytes);
        Be.u64(w, PACKETS, packets);
    }

    static CounterStmt decode(Attrs a) {
        return new CounterStmt(Be.u64(a, PACKETS).orElse(0), Be.u64(a, BYTES).orElse(0));
    }

    @Override
    public String toString() {
        return "[ counter pkts " + packets + " bytes " + bytes + " ]";
    }
}
