package io.nslab.netlink.nft;

import java.util.Objects;

/** A named set or map of a table ({@code @name} in rules). */
public record SetRef(TableRef table, String name) {
    public SetRef {
        Objects.requireNonNull(table, "table");
        Names.object("set", name);
    }

    @Override
    public String toString() {
        return table + " " + name;
    }
}
