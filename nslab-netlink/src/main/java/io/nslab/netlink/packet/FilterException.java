package io.nslab.netlink.packet;

/**
 * A capture filter that does not compile; {@link #word()} is the word (token)
 * at fault, or empty at the end of the expression.
 */
public final class FilterException extends Exception {
    private final String word;

    public FilterException(String word, String message) {
        super(message);
        this.word = word;
    }

    public String word() { return word; }
}
