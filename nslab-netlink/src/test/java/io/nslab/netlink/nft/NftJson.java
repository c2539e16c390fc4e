package io.nslab.netlink.nft;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.nslab.netlink.route.IpPrefix;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The independent observer's side: {@code nft -j list ...} output
 * (libnftables-json(5), schema version 1) read into nslab's model, so kernel
 * tests can compare what nslab lists with what nft lists.
 */
final class NftJson {
    private NftJson() {}

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** ObjectReader is immutable and thread-safe. */
    private static final ObjectReader READER = new ObjectMapper().reader();

    // ================================================================== decoding

    /** Parses libnftables' JSON output; empty output is an empty object. */
    public static JsonNode parse(String json) {
        if (json == null || json.isBlank()) return F.objectNode();
        try {
            return READER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("libnftables printed invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Decodes a listing ({@code list ruleset}, {@code list table}, ...). Tables
     * appear in kernel order; objects whose table was not listed get a
     * placeholder table with handle 0. Unknown object kinds are kept per table.
     */
    public static Ruleset ruleset(JsonNode root) {
        Map<TableRef, TableAcc> tables = new LinkedHashMap<>();
        JsonNode items = root.path("nftables");
        for (JsonNode item : items) {
            if (!item.isObject() || item.size() != 1) continue;
            String kind = item.fieldNames().next();
            JsonNode o = item.get(kind);
            switch (kind) {
                case "metainfo" -> { }
                case "table" -> {
                    TableRef ref = new TableRef(Family.parse(o.path("family").asText()), o.path("name").asText());
                    tables.computeIfAbsent(ref, TableAcc::new).handle = o.path("handle").asLong();
                }
                case "chain" -> {
                    TableRef tref = tableOf(o);
                    ChainRef cref = tref.chain(o.path("name").asText());
                    ChainAcc c = tables.computeIfAbsent(tref, TableAcc::new).chain(cref);
                    c.handle = o.path("handle").asLong();
                    c.base = baseChain(o);
                }
                case "rule" -> {
                    TableRef tref = tableOf(o);
                    ChainRef cref = tref.chain(o.path("chain").asText());
                    ChainAcc c = tables.computeIfAbsent(tref, TableAcc::new).chain(cref);
                    c.rules.add(new ListedRule(o.path("handle").asLong(), decodeRule(cref, o)));
                }
                case "map", "set" -> tables.computeIfAbsent(tableOf(o), TableAcc::new).sets.add(set(o));
                default -> throw new IllegalArgumentException("the observer does not read " + kind + " objects");
            }
        }
        return new Ruleset(tables.values().stream().map(TableAcc::build).toList());
    }

    private static TableRef tableOf(JsonNode o) {
        return new TableRef(Family.parse(o.path("family").asText()), o.path("table").asText());
    }

    private static final class TableAcc {
        final TableRef ref;
        long handle;
        final Map<ChainRef, ChainAcc> chains = new LinkedHashMap<>();
        final List<NamedSet> sets = new ArrayList<>();

        TableAcc(TableRef ref) { this.ref = ref; }

        ChainAcc chain(ChainRef c) { return chains.computeIfAbsent(c, ChainAcc::new); }

        Table build() {
            return new Table(ref, handle, sets, chains.values().stream().map(ChainAcc::build).toList());
        }
    }

    private static final class ChainAcc {
        final ChainRef ref;
        long handle;
        Optional<BaseChain> base = Optional.empty();
        final List<ListedRule> rules = new ArrayList<>();

        ChainAcc(ChainRef ref) { this.ref = ref; }

        Chain build() { return new Chain(ref, handle, base, rules); }
    }

    private static NamedSet set(JsonNode o) {
        List<String> type = new ArrayList<>();
        if (o.path("type").isArray()) o.get("type").forEach(x -> type.add(x.asText()));
        else type.add(o.path("type").asText());
        Optional<String> data = o.has("map") ? Optional.of(o.get("map").asText()) : Optional.empty();
        List<MapElement> elements = new ArrayList<>();
        for (JsonNode e : o.path("elem")) {
            List<Expr.Value> key = new ArrayList<>();
            JsonNode k = e.get(0);
            if (k.has("concat")) k.get("concat").forEach(x -> key.add(elementValue(x)));
            else key.add(elementValue(k));
            elements.add(new MapElement(key, elementValue(e.get(1))));
        }
        return new NamedSet(new TableRef(Family.parse(o.path("family").asText()), o.path("table").asText()).set(o.path("name").asText()),
                o.path("handle").asLong(), type, data, elements);
    }

    private static Expr.Value elementValue(JsonNode v) {
        if (v.isIntegralNumber()) return new Expr.Num(v.asLong());
        try {
            return new Expr.Address(IpPrefix.host(IpPrefix.parseAddress(v.asText())));
        } catch (IllegalArgumentException e) {
            return new Expr.Str(v.asText());
        }
    }

    private static Optional<BaseChain> baseChain(JsonNode o) {
        if (!o.has("hook") || !o.has("type") || o.has("dev")) return Optional.empty();
        try {
            JsonNode prio = o.path("prio");
            if (!prio.canConvertToInt()) return Optional.empty();
            Policy policy = o.has("policy") ? Policy.parse(o.get("policy").asText()) : Policy.ACCEPT;
            return Optional.of(new BaseChain(ChainType.parse(o.get("type").asText()), Hook.parse(o.get("hook").asText()),
                    prio.asInt(), policy));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a hook or type this model does not type (ingress, netdev, ...)
        }
    }

    /** A listed {@code rule} object's content. */
    public static Rule decodeRule(ChainRef chain, JsonNode o) {
        List<Expr> exprs = new ArrayList<>();
        for (JsonNode e : o.path("expr")) exprs.add(decodeExpr(e));
        Optional<String> comment = o.hasNonNull("comment") ? Optional.of(o.get("comment").asText()) : Optional.empty();
        return new Rule(chain, exprs, comment);
    }

    /** One element of an {@code expr} array: typed when this model knows its exact shape, else {@link Expr.Raw}. */
    public static Expr decodeExpr(JsonNode e) {
        if (!e.isObject() || e.size() != 1) throw new IllegalArgumentException("an expression is a one-key object: " + e);
        String kind = e.fieldNames().next();
        JsonNode b = e.get(kind);
        Expr typed = switch (kind) {
            case "match" -> match(b);
            case "counter" -> counter(b);
            case "masquerade" -> b.isNull() ? new Expr.Masquerade() : null;
            case "snat", "dnat" -> nat(kind, b);
            case "accept" -> b.isNull() ? new Expr.Accept() : null;
            case "drop" -> b.isNull() ? new Expr.Drop() : null;
            case "return" -> b.isNull() ? new Expr.Return() : null;
            case "jump", "goto" -> {
                if (!onlyKeys(b, Set.of("target")) || !b.path("target").isTextual()) yield null;
                String t = b.get("target").asText();
                yield kind.equals("jump") ? new Expr.Jump(t) : new Expr.Goto(t);
            }
            default -> null;
        };
        if (typed == null) throw new IllegalArgumentException("the observer does not type " + e);
        return typed;
    }

    private static Expr match(JsonNode b) {
        if (!onlyKeys(b, Set.of("op", "left", "right"))) return null;
        Expr.Selector left = decodeSelector(b.path("left"));
        if (left == null) return null;
        Expr.Op op;
        try {
            op = Expr.Op.parse(b.path("op").asText());
        } catch (IllegalArgumentException ex) {
            return null;
        }
        return new Expr.Match(left, op, decodeValue(left, b.path("right")));
    }

    private static Expr counter(JsonNode b) {
        if (b.isNull()) return new Expr.Counter(0, 0);
        if (b.isObject() && onlyKeys(b, Set.of("packets", "bytes")) && b.path("packets").canConvertToLong()
                && b.path("bytes").canConvertToLong()) {
            return new Expr.Counter(b.get("packets").asLong(), b.get("bytes").asLong());
        }
        return null; // a named counter reference, etc.
    }

    private static Expr nat(String kind, JsonNode b) {
        if (!b.isObject() || !onlyKeys(b, Set.of("family", "addr", "port")) || !b.path("addr").isTextual()) return null;
        InetAddress a;
        try {
            a = IpPrefix.parseAddress(b.get("addr").asText());
        } catch (IllegalArgumentException ex) {
            return null;
        }
        OptionalInt port = OptionalInt.empty();
        if (b.has("port")) {
            if (!b.get("port").canConvertToInt()) return null;
            port = OptionalInt.of(b.get("port").asInt());
        }
        return kind.equals("dnat") ? new Expr.Dnat(a, port) : new Expr.Snat(a, port);
    }

    static Expr.Selector decodeSelector(JsonNode n) {
        if (!n.isObject() || n.size() != 1) return null;
        String kind = n.fieldNames().next();
        JsonNode b = n.get(kind);
        return switch (kind) {
            case "payload" -> onlyKeys(b, Set.of("protocol", "field")) && b.path("protocol").isTextual()
                    && b.path("field").isTextual() ? new Expr.Payload(b.get("protocol").asText(), b.get("field").asText()) : null;
            case "meta" -> onlyKeys(b, Set.of("key")) && b.path("key").isTextual() ? new Expr.Meta(b.get("key").asText()) : null;
            case "ct" -> onlyKeys(b, Set.of("key")) && b.path("key").isTextual() ? new Expr.Ct(b.get("key").asText()) : null;
            case "fib" -> {
                if (!onlyKeys(b, Set.of("result", "flags")) || !b.path("result").isTextual()) yield null;
                List<String> flags = new ArrayList<>();
                JsonNode fl = b.path("flags");
                if (fl.isTextual()) flags.add(fl.asText());
                else if (fl.isArray()) for (JsonNode f : fl) flags.add(f.asText());
                else yield null;
                yield new Expr.Fib(flags, b.get("result").asText());
            }
            default -> null;
        };
    }

    static Expr.Value decodeValue(Expr.Selector left, JsonNode v) {
        boolean address = left instanceof Expr.Payload p && p.isAddress();
        if (v.isTextual()) {
            if (address) {
                try {
                    return new Expr.Address(IpPrefix.host(IpPrefix.parseAddress(v.asText())));
                } catch (IllegalArgumentException ignored) {
                    // a symbolic value: keep as a string
                }
            }
            return new Expr.Str(v.asText());
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) return new Expr.Num(v.asLong());
        if (v.isObject() && v.size() == 1 && v.has("prefix")) {
            JsonNode p = v.get("prefix");
            if (onlyKeys(p, Set.of("addr", "len")) && p.path("addr").isTextual() && p.path("len").canConvertToInt()) {
                try {
                    return new Expr.Address(new IpPrefix(IpPrefix.parseAddress(p.get("addr").asText()), p.get("len").asInt()));
                } catch (IllegalArgumentException ignored) {
                    // fall through to raw
                }
            }
        }
        if (v.isArray() && !v.isEmpty()) {
            List<String> s = new ArrayList<>();
            boolean allText = true;
            for (JsonNode x : v) {
                if (!x.isTextual()) { allText = false; break; }
                s.add(x.asText());
            }
            if (allText) return new Expr.Symbols(s);
        }
        throw new IllegalArgumentException("the observer does not type the value " + v);
    }

    private static boolean onlyKeys(JsonNode o, Set<String> allowed) {
        if (!o.isObject()) return false;
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) if (!allowed.contains(it.next())) return false;
        return true;
    }
}
