package io.nslab.lab.model;

/**
 * An {@code impair:} of the file, on one interface: written on a link (both ends get it), on one end of a
 * link, or on a node's interface. {@code src} is the place of the {@code impair:} map.
 */
public record Impairment(IfRef at, Impair impair, Src src) {
    @Override public String toString() { return at + " " + impair; }
}
