package io.nslab.netlink.nft;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
 * The libnftables JSON schema (libnftables-json(5), schema version 1) both
 * ways: commands to a {@code {"nftables":[...]}} batch, and listings back to
 * {@link Ruleset}. Pure: no I/O, testable without a kernel.
 */
public final class NftJson {
    private NftJson() {}

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** ObjectReader is immutable and thread-safe. */
    private static final ObjectReader READER = new ObjectMapper().reader();

    // ================================================================== encoding

    /** {@code {"nftables":[cmd, ...]}}. */
    public static ObjectNode batch(List<Command> commands) {
        ObjectNode root = F.objectNode();
        ArrayNode arr = root.putArray("nftables");
        for (Command c : commands) arr.add(command(c));
        return root;
    }

    public static ObjectNode batch(Transaction tx) {
        return batch(tx.commands());
    }

    /** A single-command batch, e.g. {@code {"nftables":[{"list":{"table":{...}}}]}}. */
    static ObjectNode single(String verb, String kind, ObjectNode obj) {
        ObjectNode root = F.objectNode();
        root.putArray("nftables").add(wrap(verb, kind, obj));
        return root;
    }

    public static ObjectNode command(Command c) {
        return switch (c) {
            case Command.AddTable(TableRef t) -> wrap("add", "table", table(t));
            case Command.DeleteTable(TableRef t) -> wrap("delete", "table", table(t));
            case Command.FlushTable(TableRef t) -> wrap("flush", "table", table(t));
            case Command.AddChain(ChainRef ch, Optional<BaseChain> base) -> {
                ObjectNode o = chain(ch);
                base.ifPresent(b -> {
                    o.put("type", b.type().nft());
                    o.put("hook", b.hook().nft());
                    o.put("prio", b.priority());
                    o.put("policy", b.policy().nft());
                });
                yield wrap("add", "chain", o);
            }
            case Command.FlushChain(ChainRef ch) -> wrap("flush", "chain", chain(ch));
            case Command.DeleteChain(ChainRef ch) -> wrap("delete", "chain", chain(ch));
            case Command.AddRule(Rule r) -> wrap("add", "rule", rule(r));
            case Command.AddMap(SetRef m, List<String> keyType, String dataType) -> {
                ObjectNode o = set(m);
                if (keyType.size() == 1) o.put("type", keyType.getFirst());
                else keyType.forEach(o.putArray("type")::add);
                o.put("map", dataType);
                yield wrap("add", "map", o);
            }
            case Command.FlushMap(SetRef m) -> wrap("flush", "map", set(m));
            case Command.AddElements(SetRef m, List<MapElement> elements) -> {
                ObjectNode o = set(m);
                ArrayNode a = o.putArray("elem");
                for (MapElement e : elements) a.addArray().add(key(e.key())).add(value(e.data()));
                yield wrap("add", "element", o);
            }
            case Command.DeleteElements(SetRef m, List<List<Expr.Value>> keys) -> {
                ObjectNode o = set(m);
                ArrayNode a = o.putArray("elem");
                for (List<Expr.Value> k : keys) a.add(key(k));
                yield wrap("delete", "element", o);
            }
            case Command.DeleteRule(ChainRef ch, long handle) -> {
                ObjectNode o = ruleHead(ch);
                o.set("handle", num(handle));
                yield wrap("delete", "rule", o);
            }
        };
    }

    /**
     * An int node when the value fits, as Jackson's parser would produce, so
     * that encoded and parsed trees compare equal ({@code IntNode(7)} is not
     * {@code equals} to {@code LongNode(7)}).
     */
    private static JsonNode num(long n) {
        return n == (int) n ? F.numberNode((int) n) : F.numberNode(n);
    }

    private static ObjectNode wrap(String verb, String kind, ObjectNode obj) {
        ObjectNode inner = F.objectNode();
        inner.set(kind, obj);
        ObjectNode outer = F.objectNode();
        outer.set(verb, inner);
        return outer;
    }

    static ObjectNode table(TableRef t) {
        ObjectNode o = F.objectNode();
        o.put("family", t.family().nft());
        o.put("name", t.name());
        return o;
    }

    static ObjectNode chain(ChainRef c) {
        ObjectNode o = F.objectNode();
        o.put("family", c.table().family().nft());
        o.put("table", c.table().name());
        o.put("name", c.name());
        return o;
    }

    static ObjectNode set(SetRef s) {
        ObjectNode o = F.objectNode();
        o.put("family", s.table().family().nft());
        o.put("table", s.table().name());
        o.put("name", s.name());
        return o;
    }

    /** One value, or {@code {"concat":[...]}} for several. */
    private static JsonNode key(List<Expr.Value> k) {
        if (k.size() == 1) return value(k.getFirst());
        ObjectNode o = F.objectNode();
        ArrayNode a = o.putArray("concat");
        k.forEach(v -> a.add(value(v)));
        return o;
    }

    private static JsonNode selectorKey(List<Expr.Selector> k) {
        if (k.size() == 1) return selector(k.getFirst());
        ObjectNode o = F.objectNode();
        ArrayNode a = o.putArray("concat");
        k.forEach(v -> a.add(selector(v)));
        return o;
    }

    private static ObjectNode ruleHead(ChainRef c) {
        ObjectNode o = F.objectNode();
        o.put("family", c.table().family().nft());
        o.put("table", c.table().name());
        o.put("chain", c.name());
        return o;
    }

    /** {@code {"family":..,"table":..,"chain":..,"expr":[..],"comment":..}}. */
    public static ObjectNode rule(Rule r) {
        ObjectNode o = ruleHead(r.chain());
        ArrayNode exprs = o.putArray("expr");
        for (Expr e : r.exprs()) exprs.add(expr(e));
        r.comment().ifPresent(c -> o.put("comment", c));
        return o;
    }

    public static JsonNode expr(Expr e) {
        ObjectNode o = F.objectNode();
        switch (e) {
            case Expr.Match m -> {
                ObjectNode b = o.putObject("match");
                b.put("op", m.op().nft());
                b.set("left", selector(m.left()));
                b.set("right", value(m.right()));
            }
            case Expr.Counter(long packets, long bytes) -> {
                if (packets == 0 && bytes == 0) {
                    o.putNull("counter");
                } else {
                    ObjectNode b = o.putObject("counter");
                    b.set("packets", num(packets));
                    b.set("bytes", num(bytes));
                }
            }
            case Expr.Masquerade _ -> o.putNull("masquerade");
            case Expr.Snat(InetAddress a, OptionalInt port) -> o.set("snat", nat(a, port));
            case Expr.Dnat(InetAddress a, OptionalInt port) -> o.set("dnat", nat(a, port));
            case Expr.DnatMap(boolean ipv6, List<Expr.Selector> key, String addrMap, String portMap) -> {
                ObjectNode b = o.putObject("dnat");
                b.put("family", ipv6 ? "ip6" : "ip");
                ObjectNode am = b.putObject("addr").putObject("map");
                am.set("key", selectorKey(key));
                am.put("data", "@" + addrMap);
                ObjectNode pm = b.putObject("port").putObject("map");
                pm.set("key", selectorKey(key));
                pm.put("data", "@" + portMap);
            }
            case Expr.Accept _ -> o.putNull("accept");
            case Expr.Drop _ -> o.putNull("drop");
            case Expr.Return _ -> o.putNull("return");
            case Expr.Jump(String chain) -> o.putObject("jump").put("target", chain);
            case Expr.Goto(String chain) -> o.putObject("goto").put("target", chain);
            case Expr.Raw r -> {
                return r.json();
            }
        }
        return o;
    }

    private static ObjectNode nat(InetAddress a, OptionalInt port) {
        ObjectNode b = F.objectNode();
        // "dnat ip to": the family is needed in inet tables and harmless in ip/ip6 ones.
        b.put("family", a instanceof java.net.Inet4Address ? "ip" : "ip6");
        b.put("addr", a.getHostAddress());
        port.ifPresent(p -> b.put("port", p));
        return b;
    }

    static JsonNode selector(Expr.Selector s) {
        ObjectNode o = F.objectNode();
        switch (s) {
            case Expr.Payload(String protocol, String field) -> {
                ObjectNode b = o.putObject("payload");
                b.put("protocol", protocol);
                b.put("field", field);
            }
            case Expr.Meta(String key) -> o.putObject("meta").put("key", key);
            case Expr.Ct(String key) -> o.putObject("ct").put("key", key);
            case Expr.Fib(List<String> flags, String result) -> {
                ObjectNode b = o.putObject("fib");
                b.put("result", result);
                ArrayNode fl = b.putArray("flags");
                flags.forEach(fl::add);
            }
        }
        return o;
    }

    static JsonNode value(Expr.Value v) {
        return switch (v) {
            case Expr.Str(String s) -> F.textNode(s);
            case Expr.Num(long n) -> num(n);
            case Expr.Address(Prefix p) -> {
                if (p.isHost()) yield F.textNode(p.address().getHostAddress());
                ObjectNode o = F.objectNode();
                ObjectNode b = o.putObject("prefix");
                b.put("addr", p.address().getHostAddress());
                b.put("len", p.length());
                yield o;
            }
            case Expr.Symbols(List<String> values) -> {
                ArrayNode a = F.arrayNode();
                values.forEach(a::add);
                yield a;
            }
            case Expr.RawValue r -> r.json();
        };
    }

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
                default -> {
                    if (o.has("family") && o.has("table")) {
                        tables.computeIfAbsent(tableOf(o), TableAcc::new).others.add(item);
                    }
                }
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
        final List<JsonNode> others = new ArrayList<>();

        TableAcc(TableRef ref) { this.ref = ref; }

        ChainAcc chain(ChainRef c) { return chains.computeIfAbsent(c, ChainAcc::new); }

        Table build() {
            return new Table(ref, handle, chains.values().stream().map(ChainAcc::build).toList(), others);
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
        return typed != null ? typed : new Expr.Raw(e);
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
            a = Prefix.literal(b.get("addr").asText());
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
                    return new Expr.Address(Prefix.host(Prefix.literal(v.asText())));
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
                    return new Expr.Address(new Prefix(Prefix.literal(p.get("addr").asText()), p.get("len").asInt()));
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
        return new Expr.RawValue(v);
    }

    private static boolean onlyKeys(JsonNode o, Set<String> allowed) {
        if (!o.isObject()) return false;
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) if (!allowed.contains(it.next())) return false;
        return true;
    }
}
