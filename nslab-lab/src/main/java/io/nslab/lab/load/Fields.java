package io.nslab.lab.load;

import io.nslab.lab.model.Loc;
import io.nslab.lab.model.Problem;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed access to the fields of one map of the file, for one element ("interface docker0 of node docker").
 * Unknown fields and values of the wrong type become problems at their place; the caller gets empty and goes
 * on, so one pass finds everything.
 */
final class Fields {
    private final Tree.MapNode map;
    private final String what;
    private final List<Problem> problems;

    Fields(Tree.MapNode map, String what, Set<String> known, List<Problem> problems) {
        this.map = map;
        this.what = what;
        this.problems = problems;
        for (Tree.Entry e : map.entries().values()) {
            if (!known.contains(e.key())) {
                String near = nearest(e.key(), known);
                problems.add(new Problem(e.keyLoc(), "unknown field '" + e.key() + "' in " + what,
                        (near.isEmpty() ? "" : "did you mean '" + near + "'? ") + "known fields: " + String.join(", ", new TreeSet<>(known))));
            }
        }
    }

    /** An empty map at {@code at}, for elements written as {@code name:} with nothing after. */
    static Tree.MapNode empty(Loc at) {
        return new Tree.MapNode(Map.of(), at);
    }

    String what() {
        return what;
    }

    Loc at() {
        return map.loc();
    }

    boolean has(String key) {
        Tree.Entry e = map.entries().get(key);
        return e != null && !(e.value() instanceof Tree.Scalar s && s.type() == Tree.ScalarType.NULL);
    }

    Optional<Tree> get(String key) {
        return has(key) ? Optional.of(map.entries().get(key).value()) : Optional.empty();
    }

    /** Where the value of {@code key} is, or the element when absent. */
    Loc loc(String key) {
        Tree.Entry e = map.entries().get(key);
        return e == null ? map.loc() : e.value().loc();
    }

    /** Locations of every field's value, for {@link io.nslab.lab.model.Src}. */
    Map<String, Loc> locations() {
        Map<String, Loc> m = new HashMap<>();
        for (Tree.Entry e : map.entries().values()) m.put(e.key(), e.value().loc());
        return m;
    }

    void problem(String key, String message, String fix) {
        problems.add(new Problem(loc(key), what + ": " + message, fix));
    }

    void missing(String key, String fix) {
        problems.add(new Problem(map.loc(), what + ": missing field '" + key + "'", fix));
    }

    /** A scalar as text; strings and numbers are accepted (a name may be {@code 1}), booleans are not. */
    Optional<String> text(String key) {
        Optional<Tree> v = get(key);
        if (v.isEmpty()) return Optional.empty();
        if (v.get() instanceof Tree.Scalar s && s.type() != Tree.ScalarType.BOOL) return Optional.of(s.text());
        wrongType(key, "text", v.get());
        return Optional.empty();
    }

    Optional<String> requiredText(String key, String fix) {
        if (!has(key)) {
            missing(key, fix);
            return Optional.empty();
        }
        return text(key);
    }

    Optional<Boolean> bool(String key) {
        Optional<Tree> v = get(key);
        if (v.isEmpty()) return Optional.empty();
        if (v.get() instanceof Tree.Scalar s && s.type() == Tree.ScalarType.BOOL)
            return Optional.of(truth(s.text()));
        wrongType(key, "true or false", v.get());
        return Optional.empty();
    }

    /** YAML 1.1 spellings too: the YAML parser types {@code on}/{@code yes} as booleans. */
    static boolean truth(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "y", "on" -> true;
            default -> false;
        };
    }

    boolean bool(String key, boolean dflt) {
        return bool(key).orElse(dflt);
    }

    /** An integer in {@code min..max}. */
    Optional<Integer> integer(String key, long min, long max, String meaning) {
        Optional<Tree> v = get(key);
        if (v.isEmpty()) return Optional.empty();
        return Values.integer(v.get(), min, max, what + ": field '" + key + "'", meaning, problems);
    }

    /** A list; a single scalar is taken as a list of one ({@code addresses: 10.0.0.1/24}). */
    List<Tree> list(String key) {
        Optional<Tree> v = get(key);
        if (v.isEmpty()) return List.of();
        return switch (v.get()) {
            case Tree.ListNode l -> l.items();
            case Tree.Scalar s -> List.of(s);
            case Tree.MapNode m -> {
                wrongType(key, "a list", m);
                yield List.of();
            }
        };
    }

    /** A map of named elements ({@code nodes:}, {@code interfaces:}). */
    Optional<Tree.MapNode> map(String key) {
        Optional<Tree> v = get(key);
        if (v.isEmpty()) return Optional.empty();
        if (v.get() instanceof Tree.MapNode m) return Optional.of(m);
        wrongType(key, "a map of name: settings", v.get());
        return Optional.empty();
    }

    void wrongType(String key, String expected, Tree got) {
        problems.add(new Problem(got.loc(), what + ": field '" + key + "' must be " + expected + ", not " + got.describe(),
                "write " + expected + " here, see docs/topology.md"));
    }

    /** The known name closest to {@code s} (edit distance at most 2), or empty. */
    static String nearest(String s, Set<String> known) {
        String best = "";
        int bestD = 3;
        for (String k : known) {
            int d = distance(s.toLowerCase(Locale.ROOT), k);
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++)
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    static List<String> names(List<Tree> items) {
        List<String> out = new ArrayList<>();
        for (Tree t : items) if (t instanceof Tree.Scalar s) out.add(s.text());
        return out;
    }
}
