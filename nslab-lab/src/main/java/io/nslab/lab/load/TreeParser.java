package io.nslab.lab.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.nslab.lab.model.Loc;
import io.nslab.lab.model.Problem;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Streams a YAML or JSON text into a {@link Tree}, recording each token's line and column. Duplicate keys are
 * reported (YAML parsers usually keep the last silently) and the first of them is kept.
 */
final class TreeParser {
    private final String file;
    private final List<Problem> problems;

    TreeParser(String file, List<Problem> problems) {
        this.file = file;
        this.problems = problems;
    }

    /** JSON when the text starts with '{' (YAML would parse most JSON too, but JSON's errors read better). */
    Optional<Tree> parse(String text) {
        boolean json = text.stripLeading().startsWith("{");
        JsonFactory f = json ? new JsonFactory() : new YAMLFactory();
        try (JsonParser p = f.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                problems.add(new Problem(new Loc(file, 1, 1), "the file is empty",
                        "start with 'name: my-lab' and a 'nodes:' map, see docs/topology.md"));
                return Optional.empty();
            }
            Tree root = value(p, t);
            if (p.nextToken() != null)
                problems.add(new Problem(loc(p.currentTokenLocation()), "a second document in the file",
                        "one lab per file: remove the '---' and what follows, or split it into two files"));
            return Optional.of(root);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            Loc at = l == null ? new Loc(file, 1, 1) : new Loc(file, Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
            problems.add(new Problem(at, "not valid " + (json ? "JSON" : "YAML") + ": " + firstLine(e.getOriginalMessage()),
                    "fix the syntax at this place (indentation, a missing ':' or quote)"));
            return Optional.empty();
        } catch (IOException e) {
            problems.add(new Problem(new Loc(file, 1, 1), "cannot read: " + e.getMessage(), ""));
            return Optional.empty();
        }
    }

    /**
     * SnakeYAML's messages are several lines: "while parsing X", its place, a code excerpt with a caret, then
     * "expected Y, but got Z" and its place. Keep the sentences and the line where the construct was opened.
     */
    static String firstLine(String s) {
        if (s == null) return "syntax error";
        List<String> sentences = new ArrayList<>();
        String opened = "";
        for (String line : s.split("\n")) {
            if (line.isBlank() || Character.isWhitespace(line.charAt(0))) {
                Matcher m = Pattern.compile("^ in '[^']*', line (\\d+), column (\\d+):").matcher(line);
                if (m.find() && sentences.size() == 1 && sentences.get(0).startsWith("while ") && opened.isEmpty())
                    opened = " (opened at line " + m.group(1) + ", column " + m.group(2) + ")";
                continue;
            }
            String t = line.strip().replaceAll(",? but got\\s*:?$", "").replaceAll("\\s*:$", "");
            sentences.add(t);
        }
        if (sentences.isEmpty()) return s.strip();
        if (sentences.size() == 1) return sentences.get(0);
        return sentences.get(sentences.size() - 1) + ", " + sentences.get(0) + opened;
    }

    private Loc loc(JsonLocation l) {
        return new Loc(file, l.getLineNr(), l.getColumnNr());
    }

    private Tree value(JsonParser p, JsonToken t) throws IOException {
        Loc at = loc(p.currentTokenLocation());
        return switch (t) {
            case START_OBJECT -> {
                Map<String, Tree.Entry> m = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String key = p.currentName();
                    Loc keyLoc = loc(p.currentTokenLocation());
                    Tree v = value(p, p.nextToken());
                    if (m.containsKey(key)) {
                        Loc first = m.get(key).keyLoc();
                        problems.add(new Problem(keyLoc, "duplicate key '" + key + "' (first at line " + first.line() + ")",
                                "remove one of them or rename it; names must be unique"));
                    } else {
                        m.put(key, new Tree.Entry(key, keyLoc, v));
                    }
                }
                yield new Tree.MapNode(m, at);
            }
            case START_ARRAY -> {
                List<Tree> items = new ArrayList<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_ARRAY; k = p.nextToken()) items.add(value(p, k));
                yield new Tree.ListNode(items, at);
            }
            case VALUE_STRING -> new Tree.Scalar(p.getText(), Tree.ScalarType.STRING, at);
            case VALUE_NUMBER_INT -> new Tree.Scalar(p.getText(), Tree.ScalarType.INT, at);
            case VALUE_NUMBER_FLOAT -> new Tree.Scalar(p.getText(), Tree.ScalarType.FLOAT, at);
            case VALUE_TRUE, VALUE_FALSE -> new Tree.Scalar(p.getText(), Tree.ScalarType.BOOL, at);
            case VALUE_NULL -> new Tree.Scalar("", Tree.ScalarType.NULL, at);
            case VALUE_EMBEDDED_OBJECT -> {
                // YAML's !!binary (and other tags Jackson turns into objects): nothing in a lab is binary
                problems.add(new Problem(at, "a binary value (!!binary) where a lab has only text, numbers and booleans",
                        "write the value as plain text"));
                yield new Tree.Scalar("", Tree.ScalarType.NULL, at);
            }
            default -> throw new IllegalStateException("unexpected token " + t + " at " + at);
        };
    }
}
