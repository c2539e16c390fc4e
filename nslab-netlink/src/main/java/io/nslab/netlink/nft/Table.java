package io.nslab.netlink.nft;


import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A table as listed: its handle, its named sets and maps, and its chains (with
 * their rules), each in kernel order.
 */
public record Table(TableRef ref, long handle, List<NamedSet> sets, List<Chain> chains) {
    public Table {
        Objects.requireNonNull(ref, "ref");
        sets = List.copyOf(sets);
        chains = List.copyOf(chains);
    }

    public Optional<NamedSet> set(String name) {
        return sets.stream().filter(s -> s.ref().name().equals(name)).findFirst();
    }

    public Optional<Chain> chain(String name) {
        return chains.stream().filter(c -> c.ref().name().equals(name)).findFirst();
    }
}
