package io.nslab.netlink.nft;

import java.util.Objects;

/** A chain, by table and name. */
public record ChainRef(TableRef table, String name) {
    public ChainRef {
        Objects.requireNonNull(table, "table");
        Names.object("chain", name);
    }

    @Override
    public String toString() {
        return table + " " + name;
    }
}
