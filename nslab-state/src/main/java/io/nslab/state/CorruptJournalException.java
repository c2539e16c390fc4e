package io.nslab.state;

/**
 * A journal record that is complete (it ends with its newline) but fails its
 * checksum or is not text: the journal was damaged or edited, so nslab will
 * not act on it. The message names the file and the line.
 */
public final class CorruptJournalException extends StateException {
    private final int line;

    /** {@code line} 0: the journal as a whole (what its records say together). */
    public CorruptJournalException(String path, int line, String problem) {
        super(line > 0 ? path + ":" + line : path, problem);
        this.line = line;
    }

    /** The 1-based line of the first bad record, 0 for the journal as a whole. */
    public int line() {
        return line;
    }
}
