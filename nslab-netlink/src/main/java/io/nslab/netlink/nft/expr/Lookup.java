package io.nslab.netlink.nft.expr;

import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.NlWriter;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * {@code [ lookup reg 1 set pub-addr dreg 1 ]}: looks the key in registers up
 * in a named set; a map also writes the element's data to {@code dreg}. No
 * element: the rule stops.
 *
 * <pre>   (in nft's order)
 * NFTA_LOOKUP_SREG    2  be32    first register of the key
 * NFTA_LOOKUP_DREG    3  be32    register for the data (maps only)
 * NFTA_LOOKUP_SET     1  string  set name
 * NFTA_LOOKUP_SET_ID  4  be32    the set's id when it is created in the same batch
 * NFTA_LOOKUP_FLAGS   5  be32    1 = inverted (not in set)
 * </pre>
 */
public record Lookup(String set, int sreg, OptionalInt dreg, OptionalInt setId, int flags) implements NfExpr {
    public static final String NAME = "lookup";
    static final int SET = 1, SREG = 2, DREG = 3, SET_ID = 4, FLAGS = 5;

    public Lookup {
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(dreg, "dreg");
        Objects.requireNonNull(setId, "setId");
    }

    @Override public String name() { return NAME; }

    @Override
    public void encodeData(NlWriter w) {
        Be.u32(w, SREG, sreg);
        dreg.ifPresent(d -> Be.u32(w, DREG, d));
        w.attrString(SET, set);
        setId.ifPresent(i -> Be.u32(w, SET_ID, i));
        if (flags != 0) Be.u32(w, FLAGS, flags);
    }

    static Lookup decode(Attrs a) {
        var name = a.string(SET);
        int s = Be.req(a, SREG);
        if (name.isEmpty() || s < 0) return null;
        return new Lookup(name.get(), s, Be.u32(a, DREG), Be.u32(a, SET_ID), Be.u32(a, FLAGS).orElse(0));
    }

    /** The same lookup without the batch-local set id (what a listing compares on). */
    public Lookup withoutSetId() {
        return new Lookup(set, sreg, dreg, OptionalInt.empty(), flags);
    }

    @Override
    public String toString() {
        return "[ lookup reg " + sreg + " set " + set + (dreg.isPresent() ? " dreg " + dreg.getAsInt() : "")
                + ((flags & 1) != 0 ? " 0x1" : "") + " ]";
    }
}
