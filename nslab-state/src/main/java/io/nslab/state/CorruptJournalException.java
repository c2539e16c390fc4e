package io.nslab.state;

/**
 * A journal record that is complete (it ends with its newline) but fails its
 * checksum or is not text: the journal was damaged or edited, so nslab will
 * not act on it. The message names the file and the line.
 */
public final class CorruptJournalException extends StateException {
    private final int line;

    public CorruptJournalException(String path, int line, String problem) {
        super(path + ":" + line, problem);
        this.line = line;
    }

    /** The 1-based line of the first bad record. */
    public int line() {
        return line;
    }
}
