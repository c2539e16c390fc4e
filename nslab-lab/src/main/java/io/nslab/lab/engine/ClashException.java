package io.nslab.lab.engine;

import java.util.List;

/** {@code up} found objects in its way that the lab did not create; nothing was changed. */
public final class ClashException extends Exception {
    private final List<String> clashes;

    public ClashException(String lab, List<String> clashes) {
        super("up " + lab + ": refused, nothing changed: " + String.join("; ", clashes));
        this.clashes = List.copyOf(clashes);
    }

    public List<String> clashes() { return clashes; }
}
