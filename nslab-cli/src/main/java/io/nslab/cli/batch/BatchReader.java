package io.nslab.cli.batch;

import io.nslab.cli.CliException;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads iproute2 batch files: one command per line, {@code #} starts a
 * comment, a trailing backslash continues the line, words split on blanks
 * with single/double quotes and backslash escapes (ip's makeargs). Beyond
 * iproute2, a line may begin with {@code -n NS} (or {@code -netns NS}) to
 * run in another namespace.
 */
public final class BatchReader {
    private BatchReader() {}

    public static List<BatchLine> read(String source, BufferedReader in) throws IOException, CliException {
        List<BatchLine> out = new ArrayList<>();
        String raw;
        int lineNo = 0;
        StringBuilder pending = null;
        int startLine = 0;
        while ((raw = in.readLine()) != null) {
            lineNo++;
            if (pending == null) {
                pending = new StringBuilder();
                startLine = lineNo;
            }
            if (raw.endsWith("\\") && !raw.endsWith("\\\\")) {
                pending.append(raw, 0, raw.length() - 1).append(' ');
                continue;
            }
            pending.append(raw);
            BatchLine l = parseLine(source, startLine, pending.toString());
            pending = null;
            if (l != null) out.add(l);
        }
        if (pending != null) {
            BatchLine l = parseLine(source, startLine, pending.toString());
            if (l != null) out.add(l);
        }
        return out;
    }

    /** One logical line; null when it holds nothing but blanks or a comment. */
    static BatchLine parseLine(String source, int lineNo, String text) throws CliException {
        List<String> words;
        try {
            words = split(text);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(source + ":" + lineNo + ": " + e.getMessage());
        }
        if (words.isEmpty()) return null;
        Optional<String> ns = Optional.empty();
        if (words.get(0).equals("-n") || words.get(0).equals("-netns")) {
            if (words.size() < 2) throw CliException.usage(source + ":" + lineNo + ": \"-n\" needs a namespace name");
            ns = Optional.of(words.get(1));
            words = words.subList(2, words.size());
            if (words.isEmpty()) throw CliException.usage(source + ":" + lineNo + ": nothing to run after \"-n " + ns.get() + "\"");
        }
        return new BatchLine(source, lineNo, ns, List.copyOf(words));
    }

    /** ip's makeargs: blanks separate words, quotes group, backslash escapes, '#' outside quotes ends the line. */
    public static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else if (c == '\\' && quote == '"' && i + 1 < text.length()) w.append(text.charAt(++i));
                else w.append(c);
                continue;
            }
            if (c == '#') break;
            if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < text.length()) {
                w.append(text.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (quote != 0) throw new IllegalArgumentException("unterminated " + quote + " quote");
        if (inWord) words.add(w.toString());
        return words;
    }
}
