package io.nslab.netlink.nft;

import java.util.Objects;

/** A table, by family and name: the unit nslab owns, lists and removes. */
public record TableRef(Family family, String name) {
    public TableRef {
        Objects.requireNonNull(family, "family");
        Names.object("table", name);
    }

    public static TableRef ip(String name) { return new TableRef(Family.IP, name); }
    public static TableRef ip6(String name) { return new TableRef(Family.IP6, name); }
    public static TableRef inet(String name) { return new TableRef(Family.INET, name); }

    /** A chain of this table. */
    public ChainRef chain(String chain) {
        return new ChainRef(this, chain);
    }

    /** A named set or map of this table. */
    public SetRef set(String set) {
        return new SetRef(this, set);
    }

    @Override
    public String toString() {
        return family.nft() + " " + name;
    }
}
