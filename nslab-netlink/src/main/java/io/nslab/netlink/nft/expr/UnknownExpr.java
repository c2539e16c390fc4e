package io.nslab.netlink.nft.expr;

import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.NlWriter;

import java.util.Objects;

/**
 * An expression this library does not type (or a typed one in a shape it does
 * not model), kept with its attributes verbatim so that it survives a
 * decode/encode round trip.
 */
public record UnknownExpr(String name, Attrs data) implements NfExpr {
    public UnknownExpr {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(data, "data");
    }

    @Override
    public void encodeData(NlWriter w) {
        data.write(w);
    }

    @Override
    public String toString() {
        return "[ " + name + " " + data + " ]";
    }
}
