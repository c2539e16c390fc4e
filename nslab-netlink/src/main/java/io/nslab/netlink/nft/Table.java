package io.nslab.netlink.nft;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A table as listed: its handle, its chains (with their rules) in kernel order,
 * and any other objects of the table (sets, maps, named counters, flowtables,
 * ...) as the JSON objects libnftables printed for them.
 */
public record Table(TableRef ref, long handle, List<Chain> chains, List<JsonNode> otherObjects) {
    public Table {
        Objects.requireNonNull(ref, "ref");
        chains = List.copyOf(chains);
        otherObjects = otherObjects.stream().<JsonNode>map(n -> n.deepCopy()).toList();
    }

    @Override
    public List<JsonNode> otherObjects() {
        return otherObjects.stream().<JsonNode>map(n -> n.deepCopy()).toList();
    }

    public Optional<Chain> chain(String name) {
        return chains.stream().filter(c -> c.ref().name().equals(name)).findFirst();
    }
}
