package io.nslab.lab.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A small JSON Schema (2020-12 subset) checker, enough for docs/topology.schema.json: $ref to #/$defs, type,
 * properties, additionalProperties, required, propertyNames, min/maxProperties, items, min/maxItems, enum,
 * const, pattern, minimum, maximum, anyOf, oneOf, allOf, if/then. Test-only: no new dependency for it.
 */
final class SchemaCheck {
    private final JsonNode root;

    SchemaCheck(JsonNode root) {
        this.root = root;
    }

    List<String> check(JsonNode value) {
        List<String> errors = new ArrayList<>();
        check(root, value, "", errors);
        return errors;
    }

    private void check(JsonNode schema, JsonNode v, String path, List<String> errors) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            if (!ref.startsWith("#/$defs/")) throw new IllegalArgumentException("unsupported $ref " + ref);
            check(root.get("$defs").get(ref.substring(8)), v, path, errors);
        }
        if (schema.has("type") && !typeOk(schema.get("type").asText(), v)) {
            errors.add(path + ": expected " + schema.get("type").asText() + ", got " + v.getNodeType());
            return;
        }
        if (schema.has("enum")) {
            boolean any = false;
            for (JsonNode e : schema.get("enum")) any |= e.equals(v);
            if (!any) errors.add(path + ": " + v + " not in " + schema.get("enum"));
        }
        if (schema.has("const") && !schema.get("const").equals(v)) errors.add(path + ": not " + schema.get("const"));
        if (schema.has("pattern") && v.isTextual() && !Pattern.compile(schema.get("pattern").asText()).matcher(v.asText()).find())
            errors.add(path + ": '" + v.asText() + "' does not match " + schema.get("pattern").asText());
        if (schema.has("minimum") && v.isNumber() && v.asLong() < schema.get("minimum").asLong()) errors.add(path + ": below minimum");
        if (schema.has("maximum") && v.isNumber() && v.asLong() > schema.get("maximum").asLong()) errors.add(path + ": above maximum");
        if (v.isObject()) object(schema, v, path, errors);
        if (v.isArray()) {
            if (schema.has("minItems") && v.size() < schema.get("minItems").asInt()) errors.add(path + ": too few items");
            if (schema.has("maxItems") && v.size() > schema.get("maxItems").asInt()) errors.add(path + ": too many items");
            if (schema.has("items")) for (int i = 0; i < v.size(); i++) check(schema.get("items"), v.get(i), path + "/" + i, errors);
        }
        if (schema.has("allOf")) for (JsonNode s : schema.get("allOf")) check(s, v, path, errors);
        if (schema.has("anyOf")) {
            List<String> closest = null;
            boolean ok = false;
            for (JsonNode s : schema.get("anyOf")) {
                List<String> e = new ArrayList<>();
                check(s, v, path, e);
                if (e.isEmpty()) ok = true;
                // The branch of the right type explains the failure best.
                else if (closest == null || closest.stream().anyMatch(x -> x.startsWith(path + ": expected "))) closest = e;
            }
            if (!ok) {
                errors.add(path + ": matches none of anyOf");
                errors.addAll(closest);
            }
        }
        if (schema.has("oneOf")) {
            int ok = 0;
            for (JsonNode s : schema.get("oneOf")) if (quiet(s, v, path)) ok++;
            if (ok != 1) errors.add(path + ": matches " + ok + " of oneOf");
        }
        if (schema.has("if") && quiet(schema.get("if"), v, path) && schema.has("then")) check(schema.get("then"), v, path, errors);
    }

    private void object(JsonNode schema, JsonNode v, String path, List<String> errors) {
        if (schema.has("required"))
            for (JsonNode r : schema.get("required")) if (!v.has(r.asText())) errors.add(path + ": missing " + r.asText());
        if (schema.has("minProperties") && v.size() < schema.get("minProperties").asInt()) errors.add(path + ": too few properties");
        JsonNode props = schema.get("properties");
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String p = path + "/" + e.getKey();
            if (schema.has("propertyNames")) check(schema.get("propertyNames"), TextNode.valueOf(e.getKey()), p, errors);
            if (props != null && props.has(e.getKey())) {
                check(props.get(e.getKey()), e.getValue(), p, errors);
            } else if (schema.has("additionalProperties")) {
                JsonNode ap = schema.get("additionalProperties");
                if (ap.isBoolean()) {
                    if (!ap.asBoolean()) errors.add(p + ": unknown property");
                } else {
                    check(ap, e.getValue(), p, errors);
                }
            }
        }
    }

    private boolean quiet(JsonNode schema, JsonNode v, String path) {
        List<String> e = new ArrayList<>();
        check(schema, v, path, e);
        return e.isEmpty();
    }

    private static boolean typeOk(String type, JsonNode v) {
        return switch (type) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "null" -> v.isNull();
            default -> throw new IllegalArgumentException("unsupported type " + type);
        };
    }
}
