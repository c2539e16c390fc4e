package io.nslab.lab.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A network namespace a step works in: a named one under /run/netns, or the
 * namespace nslab itself runs in ({@link #HOST}, written {@code ""}).
 */
public record NsRef(String name) {
    public static final NsRef HOST = new NsRef("");

    @JsonCreator public NsRef {
        if (name.contains("/")) throw new IllegalArgumentException("bad namespace name: " + name);
    }

    public static NsRef of(String name) { return new NsRef(name); }

    public boolean isHost() { return name.isEmpty(); }

    @JsonValue public String name() { return name; }

    @Override public String toString() { return isHost() ? "host" : name; }
}
