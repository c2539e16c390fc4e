package io.nslab.cli.ip;

import io.nslab.cli.CliException;

import java.util.List;
import java.util.OptionalInt;

/** A cursor over the words of one command, with ip's keyword matching and error wording. */
final class Args {
    private final List<String> words;
    private final String text;
    private int pos;

    Args(List<String> words, String text) {
        this.words = words;
        this.text = text;
    }

    String text() { return text; }
    boolean hasNext() { return pos < words.size(); }
    String peek() { return words.get(pos); }
    String next() { return words.get(pos++); }
    List<String> rest() {
        List<String> r = words.subList(pos, words.size());
        pos = words.size();
        return List.copyOf(r);
    }

    /** The value after keyword {@code kw}; an error naming the keyword when missing. */
    String value(String kw) throws CliException {
        if (!hasNext()) throw error("\"" + kw + "\" needs an argument");
        return next();
    }

    int intValue(String kw, long min, long max) throws CliException {
        String v = value(kw);
        return parseInt(kw, v, min, max);
    }

    int parseInt(String kw, String v, long min, long max) throws CliException {
        try {
            long n = v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
            if (n < min || n > max) throw error("invalid " + kw + " \"" + v + "\" (must be " + min + ".." + max + ")");
            return (int) n;
        } catch (NumberFormatException e) {
            throw error("invalid " + kw + " \"" + v + "\"");
        }
    }

    OptionalInt optInt(String kw, long min, long max) throws CliException {
        return OptionalInt.of(intValue(kw, min, max));
    }

    /** ip's {@code matches()}: the word typed is a non-empty prefix of the keyword. */
    static boolean matches(String typed, String keyword) {
        return !typed.isEmpty() && keyword.startsWith(typed);
    }

    CliException error(String problem) {
        return CliException.usage(text + ": " + problem);
    }

    CliException unknown(String word) {
        return error("unknown keyword \"" + word + "\"");
    }
}
