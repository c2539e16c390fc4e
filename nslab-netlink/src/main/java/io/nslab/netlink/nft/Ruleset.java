package io.nslab.netlink.nft;

import java.util.List;
import java.util.Optional;

/** A decoded {@code list ruleset} (or a part of it): tables in kernel order. */
public record Ruleset(List<Table> tables) {
    public Ruleset {
        tables = List.copyOf(tables);
    }

    public Optional<Table> table(TableRef ref) {
        return tables.stream().filter(t -> t.ref().equals(ref)).findFirst();
    }

    public List<TableRef> tableRefs() {
        return tables.stream().map(Table::ref).toList();
    }
}
