package io.nslab.netlink.nft;

import java.util.List;
import java.util.Objects;

/**
 * One element of a named map: {@code KEY : DATA}, where a key of several
 * values is a concatenation ({@code tcp . 8080 : 172.17.0.2}). Values are
 * protocol or type names ({@link Expr.Str}), numbers ({@link Expr.Num}) and
 * host addresses ({@link Expr.Address}).
 */
public record MapElement(List<Expr.Value> key, Expr.Value data) {
    public MapElement {
        key = List.copyOf(key);
        if (key.isEmpty()) throw new IllegalArgumentException("map element without a key");
        Objects.requireNonNull(data, "data");
    }
}
