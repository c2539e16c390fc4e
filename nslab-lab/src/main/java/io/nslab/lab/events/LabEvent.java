package io.nslab.lab.events;

import io.nslab.netlink.monitor.Change;
import io.nslab.netlink.monitor.Event;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.LinkConst;
import io.nslab.netlink.route.RtConst;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One kernel change in one node of a lab, named in the lab's terms: the node and the interface name (the
 * kernel's index means nothing outside its namespace). {@link #fields} are the keys of {@code events -j}.
 */
public record LabEvent(Instant time, String node, String object, Change change, Optional<String> ifname, Map<String, Object> fields) {
    public LabEvent {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** Turns a monitor event of {@code node} into a lab event; {@code names} maps ifindex to name in that node. Empty for kinds not shown. */
    static Optional<LabEvent> of(String node, Event e, Map<Integer, String> names, Instant now) {
        Map<String, Object> f = new LinkedHashMap<>();
        return switch (e) {
            case Event.LinkEvent l -> {
                boolean up = (l.flags() & LinkConst.IFF_UP) != 0, lower = (l.flags() & LinkConst.IFF_LOWER_UP) != 0;
                f.put("state", l.change() == Change.DEL ? "deleted" : up ? (lower ? "up" : "no-carrier") : "down");
                yield Optional.of(new LabEvent(now, node, "link", l.change(), Optional.of(l.name()), f));
            }
            case Event.AddressEvent a -> {
                f.put("address", a.address().prefix().toString());
                yield Optional.of(new LabEvent(now, node, "address", a.change(), Optional.ofNullable(names.get(a.address().index())), f));
            }
            case Event.RouteEvent r -> {
                f.put("dst", r.route().isDefault() ? "default" : r.route().destination().toString());
                r.route().gateway().ifPresent(g -> f.put("via", IpPrefix.host(g).address().getHostAddress()));
                r.route().priority().ifPresent(m -> f.put("metric", m));
                if (r.route().table() != RtConst.RT_TABLE_MAIN) f.put("table", r.route().table() == RtConst.RT_TABLE_LOCAL ? "local" : r.route().table());
                Optional<String> dev = r.route().oif().isPresent() ? Optional.ofNullable(names.get(r.route().oif().getAsInt())) : Optional.empty();
                yield Optional.of(new LabEvent(now, node, "route", r.change(), dev, f));
            }
            case Event.NeighbourEvent n -> {
                n.neighbour().dst().map(InetAddress::getHostAddress).ifPresent(d -> f.put("dst", d));
                n.neighbour().lladdr().ifPresent(m -> f.put("lladdr", m));
                f.put("state", n.neighbour().stateNames());
                yield Optional.of(new LabEvent(now, node, "neigh", n.change(), Optional.ofNullable(names.get(n.neighbour().index())), f));
            }
            case Event.EventsLost _ -> Optional.of(new LabEvent(now, node, "lost", Change.NEW, Optional.empty(), Map.of("note", "events lost; the kernel's buffer overflowed")));
            case Event.RuleEvent _, Event.OtherEvent _ -> Optional.empty();
        };
    }

    /** {@code NODE  link eth0 down}, {@code NODE  address add 10.0.0.1/24 dev eth0}, ... */
    public String text() {
        if (object.equals("lab")) return "lab " + fields.get("lab") + " " + fields.get("state"); // the lab's last event
        StringBuilder sb = new StringBuilder(node).append("  ").append(object).append(' ');
        String verb = change == Change.DEL ? "del" : object.equals("link") ? "" : "add";
        switch (object) {
            case "link" -> sb.append(ifname.orElse("?")).append(' ').append(fields.get("state"));
            case "address" -> sb.append(verb).append(' ').append(fields.get("address")).append(" dev ").append(ifname.orElse("?"));
            case "route" -> {
                sb.append(verb).append(' ').append(fields.get("dst"));
                if (fields.containsKey("via")) sb.append(" via ").append(fields.get("via"));
                ifname.ifPresent(d -> sb.append(" dev ").append(d));
                if (fields.containsKey("metric")) sb.append(" metric ").append(fields.get("metric"));
                if (fields.containsKey("table")) sb.append(" table ").append(fields.get("table"));
            }
            case "neigh" -> {
                sb.append(verb).append(' ').append(fields.getOrDefault("dst", "?"));
                if (fields.containsKey("lladdr")) sb.append(" lladdr ").append(fields.get("lladdr"));
                ifname.ifPresent(d -> sb.append(" dev ").append(d));
                sb.append(' ').append(String.join(",", castList(fields.get("state"))));
            }
            default -> sb.append(fields.getOrDefault("note", ""));
        }
        return sb.toString().stripTrailing().replace("link  ", "link ");
    }

    /** The JSON object of {@code events -j}: time, node, object, change, ifname, then the object's own keys. */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", time.toString());
        if (!node.isEmpty()) m.put("node", node); // not on the lab's own event
        m.put("object", object);
        m.put("change", change == Change.DEL ? "del" : "new");
        ifname.ifPresent(i -> m.put("ifname", i));
        m.putAll(fields);
        return m;
    }

    @SuppressWarnings("unchecked")
    private static List<String> castList(Object o) {
        return o instanceof List<?> l ? (List<String>) l : List.of(String.valueOf(o));
    }
}
