package io.nslab.netlink.nft;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A named set or map as listed: its key type (several types: a concatenation),
 * its data type if it is a map, and its elements (maps of the types nslab
 * knows; other sets are listed without elements).
 */
public record NamedSet(SetRef ref, long handle, List<String> keyType, Optional<String> dataType, List<MapElement> elements) {
    public NamedSet {
        Objects.requireNonNull(ref, "ref");
        keyType = List.copyOf(keyType);
        Objects.requireNonNull(dataType, "dataType");
        elements = List.copyOf(elements);
    }

    public boolean isMap() {
        return dataType.isPresent();
    }
}
