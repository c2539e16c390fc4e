package io.nslab.cli.out;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;

/**
 * Prints views like ip: the human layout of iproute2 6.x, or with {@code -j}
 * a JSON array with {@code ip -j}'s keys (one line; indented with {@code -p}).
 */
public final class Printer {
    /** Jackson is loaded only when JSON is printed: it costs the batch path's JVM start ~100 ms otherwise. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
    private static final class F {
        static ArrayNode arrayNode() { return JsonNodeFactory.instance.arrayNode(); }
        static ObjectNode objectNode() { return JsonNodeFactory.instance.objectNode(); }
    }
    private static final long FOREVER = 0xffffffffL;

    private final PrintStream out;
    private final boolean json;
    private final boolean pretty;
    private final boolean details;
    /** ip's -s (1), -s -s (2); -brief; -oneline. */
    private final int stats;
    private final boolean brief;
    private final boolean oneline;

    public Printer(PrintStream out, boolean json, boolean pretty, boolean details) {
        this(out, json, pretty, details, 0, false, false);
    }

    public Printer(PrintStream out, boolean json, boolean pretty, boolean details, int stats, boolean brief, boolean oneline) {
        this.out = out;
        this.json = json;
        this.pretty = pretty;
        this.details = details;
        this.stats = stats;
        this.brief = brief;
        this.oneline = oneline;
    }

    /** Whether link and address listings need the counters (-s without -brief, which ip prints without them). */
    public boolean wantsStats() { return stats > 0 && !brief; }

    public boolean json() { return json; }

    // ------------------------------------------------------------------ links and addresses

    public void links(List<LinkView> links) {
        links(links, Set.of());
    }

    /**
     * {@code withheld}: the ifindexes of links a userspace filter of ip's (up) leaves out. ip opens each
     * link's JSON object before that filter rejects it, so -j lists them as empty objects; text omits them.
     */
    public void links(List<LinkView> links, Set<Integer> withheld) {
        if (json) {
            ArrayNode a = F.arrayNode();
            for (LinkView l : links) {
                if (withheld.contains(l.ifindex())) {
                    a.addObject();
                    continue;
                }
                if (brief) {
                    ObjectNode o = briefJson(l);
                    l.address().ifPresent(v -> o.put("address", v));
                    ArrayNode f = o.putArray("flags");
                    l.flags().forEach(f::add);
                    a.add(o);
                    continue;
                }
                ObjectNode o = linkJson(l, true);
                if (stats > 0 && l.stats().isPresent()) StatsText.json(o, l.stats().get(), stats);
                a.add(o);
            }
            emit(a);
            return;
        }
        for (LinkView l : links) {
            if (withheld.contains(l.ifindex())) continue;
            if (brief) {
                out.print(briefText(l) + l.address().map(v -> v + " ").orElse("") + "<" + String.join(",", l.flags()) + "> \n");
                continue;
            }
            String t = linkText(l, true, false);
            if (stats > 0 && l.stats().isPresent()) t += StatsText.text(l.stats().get(), stats);
            out.print(oneline ? oneLine(t) : t);
        }
    }

    /** ip -oneline: the lines of one object joined by a backslash (ip's _SL_), one line an object. */
    private static String oneLine(String text) {
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        return body.replace("\n", "\\") + "\n";
    }

    /** ip -brief's start of a line: "NAME[@LINK]" in 16 columns and the operational state in 14. */
    private static String briefText(LinkView l) {
        String name = l.ifname() + l.link().map(p -> "@" + p).orElse("");
        return pad(name, 16) + ' ' + pad(l.operstate(), 14) + ' ';
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** ip -brief -j: "link" (or "link_index" for a peer in another namespace) before the name, then the state. */
    private static ObjectNode briefJson(LinkView l) {
        ObjectNode o = F.objectNode();
        if (l.linkNetnsid().isPresent() && l.link().map(v -> v.startsWith("if")).orElse(false)) {
            o.put("link_index", Integer.parseInt(l.link().get().substring(2)));
        } else {
            l.link().ifPresent(v -> o.put("link", v));
        }
        o.put("ifname", l.ifname());
        o.put("operstate", l.operstate());
        return o;
    }

    /** {@code ip addr}: each link followed by its addresses. */
    public void addresses(List<LinkView> links, Map<Integer, List<AddrView>> addrs) {
        addresses(links, addrs, false);
    }

    /** {@code familyOnly} (-4/-6 given): as ip, without each link's link-layer line (link/ether ..., link-netns). */
    public void addresses(List<LinkView> links, Map<Integer, List<AddrView>> addrs, boolean familyOnly) {
        addresses(links, addrs, familyOnly, Set.of());
    }

    /** {@code withheld}: as for {@link #links(List, Set)}; ip -o -j gives such a link an empty addr_info. */
    public void addresses(List<LinkView> links, Map<Integer, List<AddrView>> addrs, boolean familyOnly, Set<Integer> withheld) {
        if (json) {
            ArrayNode a = F.arrayNode();
            for (LinkView l : links) {
                if (withheld.contains(l.ifindex())) {
                    ObjectNode o = a.addObject();
                    if (oneline && !brief) o.putArray("addr_info");
                    continue;
                }
                List<AddrView> mine = addrs.getOrDefault(l.ifindex(), List.of());
                if (brief) {
                    ObjectNode o = briefJson(l);
                    ArrayNode ai = o.putArray("addr_info");
                    for (AddrView v : mine) {
                        ObjectNode x = ai.addObject().put("local", v.local());
                        v.address().ifPresent(p -> x.put("address", p));
                        x.put("prefixlen", v.prefixlen());
                    }
                    a.add(o);
                    continue;
                }
                if (oneline) {
                    // ip -o -j: no link object, each address with its "index" and "dev"
                    ArrayNode ai = a.addObject().putArray("addr_info");
                    for (AddrView v : mine) ai.add(F.objectNode().put("index", l.ifindex()).put("dev", l.ifname()).setAll(addrJson(v)));
                    continue;
                }
                ObjectNode o = linkJson(l, false);
                // -d keeps the link-layer fields, as ip does (ipaddress.c: "|| show_details")
                if (familyOnly && !details) o.remove(List.of("link_type", "address", "broadcast", "link_netnsid", "permaddr"));
                ArrayNode ai = o.putArray("addr_info");
                for (AddrView v : mine) ai.add(addrJson(v));
                if (stats > 0 && l.stats().isPresent()) StatsText.json(o, l.stats().get(), stats);
                a.add(o);
            }
            emit(a);
            return;
        }
        for (LinkView l : links) {
            if (withheld.contains(l.ifindex())) continue;
            List<AddrView> mine = addrs.getOrDefault(l.ifindex(), List.of());
            if (brief) {
                StringBuilder b = new StringBuilder(briefText(l));
                for (AddrView v : mine) {
                    b.append(v.local()).append(v.address().map(p -> " peer " + p).orElse("")).append('/').append(v.prefixlen()).append(' ');
                }
                out.print(b.append('\n'));
                continue;
            }
            if (oneline) {
                // ip -o: no link lines, each address on one line after "INDEX: NAME"
                for (AddrView v : mine) out.print(oneLine(l.ifindex() + ": " + l.ifname() + addrText(v, l.ifname())));
                continue;
            }
            String t = linkText(l, false, false);
            if (familyOnly && !details) t = t.replaceFirst("\n    link/[^\n]*", "");
            out.print(t);
            for (AddrView v : mine) out.print(addrText(v, l.ifname()));
            if (stats > 0 && l.stats().isPresent()) out.print(StatsText.text(l.stats().get(), stats));
        }
    }

    private ObjectNode linkJson(LinkView l, boolean linkMode) {
        ObjectNode o = F.objectNode();
        o.put("ifindex", l.ifindex());
        // ip -j: a peer in another namespace is "link_index" (a number), with "link_netnsid" after the addresses
        if (l.linkNetnsid().isPresent() && l.link().map(v -> v.startsWith("if")).orElse(false)) {
            o.put("link_index", Integer.parseInt(l.link().get().substring(2)));
        } else {
            l.link().ifPresent(v -> o.put("link", v));
        }
        o.put("ifname", l.ifname());
        ArrayNode f = o.putArray("flags");
        l.flags().forEach(f::add);
        o.put("mtu", l.mtu());
        l.qdisc().ifPresent(v -> o.put("qdisc", v));
        l.master().ifPresent(v -> o.put("master", v));
        o.put("operstate", l.operstate());
        if (linkMode) o.put("linkmode", "DEFAULT");
        l.group().ifPresent(v -> o.put("group", v));
        // ipaddress.c print_queuelen: a queue length of 0 is not printed
        l.txqlen().stream().filter(q -> q != 0).forEach(v -> o.put("txqlen", v));
        o.put("link_type", l.linkType());
        l.address().ifPresent(v -> o.put("address", v));
        l.broadcast().ifPresent(v -> o.put("broadcast", v));
        l.linkNetnsid().ifPresent(v -> o.put("link_netnsid", v));
        if (details && l.details().isPresent()) {
            LinkDetails d = l.details().get();
            put(o, d.head());
            if (d.kind().isPresent() || d.slave().isPresent()) {
                ObjectNode li = o.putObject("linkinfo");
                d.kind().ifPresent(k -> {
                    li.put("info_kind", k.name());
                    k.data().ifPresent(fs -> put(li.putObject("info_data"), fs));
                });
                d.slave().ifPresent(k -> {
                    li.put("info_slave_kind", k.name());
                    k.data().ifPresent(fs -> put(li.putObject("info_slave_data"), fs));
                });
            }
            // ipaddress.c prints the IPv6 address generation mode when listing links only
            if (linkMode) put(o, d.addrGenMode());
            put(o, d.tail());
        }
        // as ip: the alias with link show (or -d), not in addr show or monitor
        if (linkMode || details) l.alias().ifPresent(v -> o.put("ifalias", v));
        return o;
    }

    /** The JSON side of ip -d's fields, in their order. */
    private static void put(ObjectNode o, List<Detail> fields) {
        for (Detail d : fields) {
            if (d.key() == null) continue;
            o.set(d.key(), jsonValue(d.json()));
        }
    }

    private static JsonNode jsonValue(Object v) {
        return switch (v) {
            case String s -> JsonNodeFactory.instance.textNode(s);
            case Boolean b -> JsonNodeFactory.instance.booleanNode(b);
            // numbers keep ip's spelling (u64 values, timers as "0.00")
            case Detail.Num n -> JsonNodeFactory.instance.rawValueNode(new RawValue(n.text()));
            case Detail.Obj obj -> {
                ObjectNode o = F.objectNode();
                put(o, obj.fields());
                yield o;
            }
            case List<?> list -> {
                ArrayNode a = F.arrayNode();
                for (Object e : list) a.add(jsonValue(e));
                yield a;
            }
            default -> throw new IllegalArgumentException("not a JSON value of ip -d: " + v);
        };
    }

    /** The text side of ip -d's fields. */
    private static void text(StringBuilder sb, List<Detail> fields) {
        for (Detail d : fields) sb.append(d.text());
    }

    /**
     * A link as {@code ip monitor} prints it (two lines, no final newline): ip
     * shows the queue length only when listing, so its monitor lines end the
     * first line with "group default " and no qlen.
     */
    public String linkEventText(LinkView l) {
        return linkText(l, false, true).stripTrailing();
    }

    private String linkText(LinkView l, boolean linkMode, boolean monitor) {
        StringBuilder sb = new StringBuilder();
        sb.append(l.ifindex()).append(": ").append(l.ifname());
        l.link().ifPresent(p -> sb.append('@').append(p));
        sb.append(": <").append(String.join(",", l.flags())).append("> mtu ").append(l.mtu());
        l.qdisc().ifPresent(q -> sb.append(" qdisc ").append(q));
        l.master().ifPresent(m -> sb.append(" master ").append(m));
        sb.append(" state ").append(l.operstate());
        if (linkMode) sb.append(" mode DEFAULT");
        l.group().ifPresent(g -> sb.append(" group ").append(g));
        // ip ends each field with a space and prints no qlen when it is 0 (print_queuelen), nor in monitor lines
        int qlen = monitor ? 0 : l.txqlen().orElse(0);
        sb.append(qlen == 0 ? " " : " qlen " + qlen);
        // ip prints "link/TYPE " and the address right after the space: "link/none " when there is none
        sb.append("\n    link/").append(l.linkType()).append(' ');
        l.address().ifPresent(sb::append);
        l.broadcast().ifPresent(b -> sb.append(" brd ").append(b));
        if (l.linkNetns().isPresent()) sb.append(" link-netns ").append(l.linkNetns().get());
        else l.linkNetnsid().ifPresent(n -> sb.append(" link-netnsid ").append(n));
        if (details && l.details().isPresent()) {
            LinkDetails d = l.details().get();
            text(sb, d.head());
            d.kind().ifPresent(k -> {
                sb.append("\n    ").append(k.name()).append(' ');
                k.data().ifPresent(f -> text(sb, f));
            });
            d.slave().ifPresent(k -> {
                sb.append("\n    ").append(k.name()).append("_slave ");
                k.data().ifPresent(f -> text(sb, f));
            });
            if (linkMode) text(sb, d.addrGenMode());
            text(sb, d.tail());
        }
        sb.append('\n');
        if (linkMode || details) l.alias().ifPresent(a -> sb.append("    alias ").append(a).append('\n'));
        return sb.toString();
    }

    private ObjectNode addrJson(AddrView v) {
        ObjectNode o = F.objectNode();
        o.put("family", v.family());
        o.put("local", v.local());
        v.address().ifPresent(a -> o.put("address", a));
        o.put("prefixlen", v.prefixlen());
        v.broadcast().ifPresent(b -> o.put("broadcast", b));
        o.put("scope", v.scope());
        for (String f : v.flags()) o.put(f, true);
        v.label().ifPresent(l -> o.put("label", l));
        o.put("valid_life_time", v.validLft());
        o.put("preferred_life_time", v.preferredLft());
        return o;
    }

    /** One address in ip's human layout (two lines). */
    public String addrText(AddrView v, String ifname) {
        StringBuilder sb = new StringBuilder("    ").append(v.family()).append(' ').append(v.local());
        if (v.address().isPresent()) sb.append(" peer ").append(v.address().get());
        sb.append('/').append(v.prefixlen());
        v.broadcast().ifPresent(b -> sb.append(" brd ").append(b));
        sb.append(" scope ").append(v.scope());
        for (String f : v.flags()) sb.append(' ').append(f);
        if (v.family().equals("inet")) sb.append(' ').append(v.label().orElse(ifname));
        else sb.append(' ');
        sb.append("\n       valid_lft ").append(lft(v.validLft())).append(" preferred_lft ").append(lft(v.preferredLft())).append('\n');
        return sb.toString();
    }

    private static String lft(long s) { return s == FOREVER ? "forever" : s + "sec"; }

    // ------------------------------------------------------------------ routes

    public void routes(List<RouteView> routes) {
        if (json) {
            ArrayNode a = F.arrayNode();
            for (RouteView r : routes) a.add(routeJson(r));
            emit(a);
            return;
        }
        for (RouteView r : routes) out.print(routeText(r) + "\n");
    }

    /** {@code ip route get}: the resolved route; an IPv4 answer ends with ip's "cache" line. */
    public void routeGet(RouteView r) {
        if (json) {
            ArrayNode a = F.arrayNode();
            a.add(routeJson(r));
            emit(a);
            return;
        }
        out.print(routeText(r) + "\n");
    }

    private ObjectNode routeJson(RouteView r) {
        ObjectNode o = F.objectNode();
        r.type().ifPresent(t -> o.put("type", t));
        o.put("dst", r.dst());
        r.from().ifPresent(f -> o.put("from", f));
        r.gateway().ifPresent(g -> o.put("gateway", g));
        r.dev().ifPresent(d -> o.put("dev", d));
        r.table().ifPresent(t -> o.put("table", t));
        r.protocol().ifPresent(p -> o.put("protocol", p));
        r.scope().ifPresent(s -> o.put("scope", s));
        r.prefsrc().ifPresent(s -> o.put("prefsrc", s));
        r.metric().ifPresent(m -> o.put("metric", m));
        ArrayNode f = o.putArray("flags");
        r.flags().forEach(f::add);
        r.uid().ifPresent(u -> o.put("uid", u));
        r.cache().ifPresent(c -> c.forEach(o.putArray("cache")::add));
        r.mtu().ifPresent(m -> o.putArray("metrics").addObject().put("mtu", m)); // ip -j: a list of one-key objects
        r.pref().ifPresent(p -> o.put("pref", p));
        return o;
    }

    /** One route in ip's human layout (no newline). */
    public String routeText(RouteView r) {
        StringBuilder sb = new StringBuilder();
        r.type().ifPresent(t -> sb.append(t).append(' '));
        sb.append(r.dst());
        r.from().ifPresent(f -> sb.append(" from ").append(f));
        r.gateway().ifPresent(g -> sb.append(" via ").append(g));
        r.dev().ifPresent(d -> sb.append(" dev ").append(d));
        r.table().ifPresent(t -> sb.append(" table ").append(t));
        r.protocol().ifPresent(p -> sb.append(" proto ").append(p));
        r.scope().ifPresent(s -> sb.append(" scope ").append(s));
        r.prefsrc().ifPresent(s -> sb.append(" src ").append(s));
        r.metric().ifPresent(m -> sb.append(" metric ").append(m));
        for (String f : r.flags()) sb.append(' ').append(f);
        r.uid().ifPresent(u -> sb.append(" uid ").append(u));
        r.cache().ifPresent(c -> {
            sb.append(" \n    cache");
            if (!c.isEmpty()) sb.append(" <").append(String.join(",", c)).append('>');
        });
        r.mtu().ifPresent(m -> sb.append(" mtu ").append(m));
        // ip ends every field with a space except "pref", which IPv6 routes end with
        if (r.pref().isPresent()) sb.append(" pref ").append(r.pref().get());
        else sb.append(' ');
        return sb.toString();
    }

    // ------------------------------------------------------------------ neighbours, rules

    public void neighbours(List<NeighView> ns) {
        if (json) {
            ArrayNode a = F.arrayNode();
            for (NeighView n : ns) {
                ObjectNode o = a.addObject();
                o.put("dst", n.dst());
                n.dev().ifPresent(d -> o.put("dev", d));
                n.lladdr().ifPresent(l -> o.put("lladdr", l));
                if (n.router()) o.put("router", true);
                if (n.proxy()) o.putNull("proxy");
                ArrayNode s = o.putArray("state");
                n.state().forEach(s::add);
            }
            emit(a);
            return;
        }
        for (NeighView n : ns) out.print(neighText(n) + " \n");
    }

    /** One neighbour entry in ip's human layout (no newline). */
    public String neighText(NeighView n) {
        StringBuilder sb = new StringBuilder(n.dst());
        n.dev().ifPresent(d -> sb.append(" dev ").append(d));
        n.lladdr().ifPresent(l -> sb.append(" lladdr ").append(l));
        if (n.router()) sb.append(" router");
        if (n.proxy()) sb.append(" proxy");
        for (String s : n.state()) sb.append(' ').append(s);
        return sb.toString();
    }

    public void rules(List<RuleView> rules) {
        if (json) {
            ArrayNode a = F.arrayNode();
            for (RuleView r : rules) {
                ObjectNode o = a.addObject();
                o.put("priority", r.priority());
                if (r.not()) o.putNull("not");
                o.put("src", r.src().orElse("all"));
                r.srclen().ifPresent(l -> o.put("srclen", l));
                r.dst().ifPresent(d -> o.put("dst", d));
                r.dstlen().ifPresent(l -> o.put("dstlen", l));
                r.tos().ifPresent(t -> o.put("tos", t));
                r.iif().ifPresent(d -> o.put("iif", d));
                r.oif().ifPresent(d -> o.put("oif", d));
                r.fwmark().ifPresent(m -> o.put("fwmark", m));
                r.table().ifPresent(t -> o.put("table", t));
                r.action().ifPresent(t -> o.put("action", t));
            }
            emit(a);
            return;
        }
        for (RuleView r : rules) out.print(ruleText(r) + "\n");
    }

    /** One rule in ip's layout, {@code PRIORITY:<tab>[not ]from ...} (no newline). */
    public String ruleText(RuleView r) {
        StringBuilder sb = new StringBuilder().append(r.priority()).append(":\t");
        if (r.not()) sb.append("not ");
        sb.append("from ").append(r.src().map(s -> s + r.srclen().stream().mapToObj(l -> "/" + l).findFirst().orElse("")).orElse("all"));
        r.dst().ifPresent(d -> sb.append(" to ").append(d).append(r.dstlen().stream().mapToObj(l -> "/" + l).findFirst().orElse("")));
        r.tos().ifPresent(t -> sb.append(" tos ").append(t));
        r.iif().ifPresent(d -> sb.append(" iif ").append(d));
        r.oif().ifPresent(d -> sb.append(" oif ").append(d));
        r.fwmark().ifPresent(m -> sb.append(" fwmark ").append(m));
        r.table().ifPresent(t -> sb.append(" lookup ").append(t));
        r.action().ifPresent(t -> sb.append(' ').append(t));
        return sb.toString();
    }

    // ------------------------------------------------------------------ tuntap

    /** if_tun.h's flags, in the order iptuntap.c prints them. */
    private static final int IFF_TUN = 0x1, IFF_TAP = 0x2, IFF_NO_PI = 0x1000, IFF_ONE_QUEUE = 0x2000, IFF_MULTI_QUEUE = 0x100,
            IFF_VNET_HDR = 0x4000, IFF_PERSIST = 0x800, IFF_NOFILTER = 0x1000;

    /** {@code tuntap show}: "NAME: tap persist ... [user N] [group N]", or ip -j's {@code ifname}, {@code flags}, {@code user}, {@code group}. */
    public void tuntaps(List<TunView> tuns) {
        ArrayNode a = F.arrayNode();
        for (TunView t : tuns) {
            List<String> words = new ArrayList<>();
            long f = t.flags();
            if ((f & IFF_TUN) != 0) words.add("tun");
            if ((f & IFF_TAP) != 0) words.add("tap");
            if ((f & IFF_NO_PI) == 0) words.add("pi");
            if ((f & IFF_ONE_QUEUE) != 0) words.add("one_queue");
            if ((f & IFF_MULTI_QUEUE) != 0) words.add("multi_queue");
            if ((f & IFF_VNET_HDR) != 0) words.add("vnet_hdr");
            if ((f & IFF_PERSIST) != 0) words.add("persist");
            // IFF_NOFILTER shares IFF_NO_PI's bit: ip says "filter" exactly when it says "pi"
            if ((f & IFF_NOFILTER) == 0) words.add("filter");
            long rest = f & ~(IFF_TUN | IFF_TAP | IFF_NO_PI | IFF_ONE_QUEUE | IFF_MULTI_QUEUE | IFF_VNET_HDR | IFF_PERSIST | IFF_NOFILTER);
            if (rest != 0) words.add("0x" + Long.toHexString(rest));
            if (json) {
                ObjectNode o = a.addObject().put("ifname", t.ifname());
                ArrayNode fl = o.putArray("flags");
                words.forEach(fl::add);
                if (t.owner() != -1) o.put("user", t.owner());
                if (t.group() != -1) o.put("group", t.group());
                continue;
            }
            StringBuilder b = new StringBuilder(t.ifname()).append(':');
            for (String w : words) b.append(' ').append(w);
            if (t.owner() != -1) b.append(" user ").append(t.owner());
            if (t.group() != -1) b.append(" group ").append(t.group());
            out.print(b.append('\n'));
        }
        if (json) emit(a);
    }

    // ------------------------------------------------------------------ plain lists

    /** {@code netns list}: names (with "(id: N)" when known); JSON {@code [{"name":..,"id":..}]}. */
    public void netnsList(List<Map.Entry<String, Optional<Integer>>> names) {
        if (json) {
            ArrayNode a = F.arrayNode();
            for (var e : names) {
                ObjectNode o = a.addObject();
                o.put("name", e.getKey());
                e.getValue().ifPresent(id -> o.put("id", id));
            }
            emit(a);
            return;
        }
        for (var e : names) out.println(e.getKey() + e.getValue().map(id -> " (id: " + id + ")").orElse(""));
    }

    /** {@code netns list-id}: "nsid N (iproute2 netns name: NAME)", as ip prints it; -j {@code [{"nsid":N,"name":NAME}]}. */
    public void netnsIds(List<Map.Entry<Integer, Optional<String>>> ids) {
        if (json) {
            ArrayNode a = F.arrayNode();
            for (var e : ids) {
                ObjectNode o = a.addObject();
                o.put("nsid", e.getKey());
                e.getValue().ifPresent(n -> o.put("name", n));
            }
            emit(a);
            return;
        }
        for (var e : ids) out.println("nsid " + e.getKey() + " " + e.getValue().map(n -> "(iproute2 netns name: " + n + ")").orElse(""));
    }

    /** Lines of plain text (pids, identify). */
    public void lines(List<String> lines) {
        for (String l : lines) out.println(l);
    }

    public void emit(ArrayNode a) {
        try {
            out.println(pretty ? Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(a) : Json.MAPPER.writeValueAsString(a));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
