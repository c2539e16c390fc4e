package io.nslab.net.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reading the plugin's JSON strictly: a key nslab does not know is refused
 * with {@link CniError#UNSUPPORTED_FIELD} naming it (and the known key it is
 * probably a typo of), never ignored; a value of the wrong type names its
 * field path ({@code ipam.ranges[0][1].subnet}).
 */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    static void onlyKeys(JsonNode o, String path, Set<String> known) throws CniError {
        for (String k : iterable(o)) {
            if (known.contains(k)) continue;
            String near = nearest(k, known);
            throw new CniError(CniError.UNSUPPORTED_FIELD, "unsupported field " + join(path, k) + " (value " + o.get(k) + ")"
                    + (near == null ? "" : "; did you mean " + join(path, near) + "?"));
        }
    }

    static List<String> iterable(JsonNode o) {
        List<String> out = new ArrayList<>();
        o.fieldNames().forEachRemaining(out::add);
        return out;
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static JsonNode object(JsonNode parent, String path, String key) throws CniError {
        JsonNode v = parent.get(key);
        if (v == null || v.isNull()) return null;
        if (!v.isObject()) throw invalid(join(path, key), "must be an object, not " + v);
        return v;
    }

    static JsonNode array(JsonNode parent, String path, String key) throws CniError {
        JsonNode v = parent.get(key);
        if (v == null || v.isNull()) return null;
        if (!v.isArray()) throw invalid(join(path, key), "must be an array, not " + v);
        return v;
    }

    static String string(JsonNode parent, String path, String key, String dflt) throws CniError {
        JsonNode v = parent.get(key);
        if (v == null || v.isNull()) return dflt;
        if (!v.isTextual()) throw invalid(join(path, key), "must be a string, not " + v);
        return v.asText();
    }

    static boolean bool(JsonNode parent, String path, String key, boolean dflt) throws CniError {
        JsonNode v = parent.get(key);
        if (v == null || v.isNull()) return dflt;
        if (!v.isBoolean()) throw invalid(join(path, key), "must be true or false, not " + v);
        return v.asBoolean();
    }

    static int integer(JsonNode parent, String path, String key, int dflt, int min, int max) throws CniError {
        JsonNode v = parent.get(key);
        if (v == null || v.isNull()) return dflt;
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max)
            throw invalid(join(path, key), "must be a whole number in " + min + ".." + max + ", not " + v);
        return v.asInt();
    }

    static CniError invalid(String field, String problem) {
        return new CniError(CniError.INVALID_CONFIG, field + ": " + problem);
    }

    /** The known key within edit distance 2 of {@code k}, if any. */
    private static String nearest(String k, Set<String> known) {
        String best = null;
        int bestD = 3;
        for (String c : known) {
            int d = distance(k.toLowerCase(), c.toLowerCase());
            if (d < bestD) { bestD = d; best = c; }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++)
                cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }
}
