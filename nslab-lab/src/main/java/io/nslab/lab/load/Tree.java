package io.nslab.lab.load;

import io.nslab.lab.model.Loc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed YAML/JSON document that keeps the place of every value and every key. Jackson's JsonNode forgets
 * locations, and databind stops at the first unknown field; this tree lets the loader report every problem
 * of a file at once, each at its line and column.
 */
public sealed interface Tree {
    Loc loc();

    /** What the value is, in the words a problem message uses ("a map", "a list", "a number"...). */
    String describe();

    record Entry(String key, Loc keyLoc, Tree value) {}

    /** A mapping, keys in file order. */
    record MapNode(Map<String, Entry> entries, Loc loc) implements Tree {
        public MapNode {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }
        public String describe() { return "a map"; }
    }

    record ListNode(List<Tree> items, Loc loc) implements Tree {
        public ListNode { items = List.copyOf(items); }
        public String describe() { return "a list"; }
    }

    enum ScalarType { STRING, INT, FLOAT, BOOL, NULL }

    /** A scalar: its text as written (or as YAML resolved it) and the type YAML/JSON gave it. */
    record Scalar(String text, ScalarType type, Loc loc) implements Tree {
        public String describe() {
            return switch (type) {
                case STRING -> "the text '" + text + "'";
                case INT, FLOAT -> "the number " + text;
                case BOOL -> "the boolean " + text;
                case NULL -> "nothing (null)";
            };
        }
    }
}
