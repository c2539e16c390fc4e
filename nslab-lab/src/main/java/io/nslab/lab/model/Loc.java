package io.nslab.lab.model;

/**
 * A place in a topology file: {@code file:line:column}, 1-based, as editors and compilers print it.
 * Models built in code (not loaded from a file) use {@link #NONE}.
 */
public record Loc(String file, int line, int column) {
    public static final Loc NONE = new Loc("<code>", 0, 0);

    public boolean known() {
        return line > 0;
    }

    @Override
    public String toString() {
        return known() ? file + ":" + line + ":" + column : file;
    }
}
