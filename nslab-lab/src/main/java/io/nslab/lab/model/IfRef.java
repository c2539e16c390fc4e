package io.nslab.lab.model;

/** A reference to an interface of a node: written {@code node:ifname} (or just {@code ifname} within the same node). */
public record IfRef(String node, String name) {
    @Override
    public String toString() {
        return node + ":" + name;
    }
}
