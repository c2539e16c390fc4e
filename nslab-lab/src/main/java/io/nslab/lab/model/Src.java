package io.nslab.lab.model;

import java.util.Map;

/**
 * Where a model element came from: the element itself ({@link #at}) and each of its fields (the place of the
 * field's value), so a validator can point at {@code mtu} rather than at the whole interface.
 */
public record Src(Loc at, Map<String, Loc> fields) {
    public Src {
        fields = Map.copyOf(fields);
    }

    public static Src of(Loc at) {
        return new Src(at, Map.of());
    }

    public static Src none() {
        return new Src(Loc.NONE, Map.of());
    }

    /** The place of field {@code name}'s value, or of the element when the field was not written. */
    public Loc field(String name) {
        return fields.getOrDefault(name, at);
    }

    public boolean has(String name) {
        return fields.containsKey(name);
    }
}
