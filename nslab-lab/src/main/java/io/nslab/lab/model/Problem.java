package io.nslab.lab.model;

/**
 * One thing wrong with a topology file: where, what, and what to do about it.
 * Printed as {@code file:line:column: message (fix)}.
 */
public record Problem(Loc at, String message, String fix) implements Comparable<Problem> {
    @Override
    public String toString() {
        return at + ": " + message + (fix.isEmpty() ? "" : " (" + fix + ")");
    }

    @Override
    public int compareTo(Problem o) {
        int c = at.file().compareTo(o.at.file());
        if (c == 0) c = Integer.compare(at.line(), o.at.line());
        if (c == 0) c = Integer.compare(at.column(), o.at.column());
        if (c == 0) c = message.compareTo(o.message);
        return c;
    }
}
