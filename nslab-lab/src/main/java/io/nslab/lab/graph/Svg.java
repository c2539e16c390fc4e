package io.nslab.lab.graph;

import io.nslab.netlink.route.IpPrefix;
import io.nslab.lab.model.IfRef;
import io.nslab.lab.model.Iface;
import io.nslab.lab.model.IfaceKind;
import io.nslab.lab.model.Ip;
import io.nslab.lab.model.Lab;
import io.nslab.lab.model.Link;
import io.nslab.lab.model.Node;
import io.nslab.lab.model.Publish;
import io.nslab.lab.model.Route;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A hand-laid-out SVG of a lab. Each node is a box listing its interfaces (name, kind, addresses), bridge
 * ports indented under their bridge, then its routes, NAT and published ports. Veth pairs are lines between
 * interface rows; macvlan/ipvlan/vlan children are dashed lines to their parent; VXLAN peers dotted; published
 * ports orange arrows to their target node.
 *
 * <p>Layout: the node with the most connections sits in the middle column; its neighbours go to its right,
 * except the one its default route points to (the "outside"), which goes to its left; further nodes continue
 * outwards breadth-first. Within a column nodes are ordered by the height of what they connect to, so lines
 * rarely cross.
 */
final class Svg {
    static final double CHAR_W = 7.4; // 12px DejaVu Sans Mono is 7.22px wide; a little slack for other fonts
    static final int ROW = 18, HEAD = 42, PAD = 10, GAP_X = 150, GAP_Y = 34, MARGIN = 30;

    private Svg() {}

    /** A row of a node box: text, the interface it stands for (if any), its style. */
    private record Row(String text, Optional<IfRef> iface, String cls) {}

    private static final class Box {
        final Node node;
        final List<Row> rows = new ArrayList<>();
        int col, x, y, w, h;
        double order;

        Box(Node node) {
            this.node = node;
        }

        int rowY(int i) {
            return y + HEAD + i * ROW + ROW / 2 + 2;
        }
    }

    static String of(Lab lab) {
        Map<String, Box> boxes = new LinkedHashMap<>();
        for (Node n : lab.nodes()) boxes.put(n.name(), fill(lab, new Box(n)));
        Map<String, Set<String>> adj = adjacency(lab);
        columns(lab, boxes, adj);
        place(boxes, adj);

        // Room on the right for lines that loop out of the last column (a vlan on its own node's parent).
        int width = Math.max(boxes.values().stream().mapToInt(b -> b.x + b.w).max().orElse(0) + MARGIN + 70, 1000);
        int height = boxes.values().stream().mapToInt(b -> b.y + b.h).max().orElse(0) + MARGIN + 40;
        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\" font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" font-size=\"12\">\n");
        sb.append("<style>\n")
                .append(".box{fill:#ffffff;stroke:#4a5568;stroke-width:1.5}.head{fill:#2d3748}.title{fill:#ffffff;font-weight:bold;font-size:13px}")
                .append(".sub{fill:#cbd5e0;font-size:10px}.if{fill:#1a202c}.br{fill:#1a56db;font-weight:bold}.port{fill:#4a5568}")
                .append(".note{fill:#4a5568;font-size:11px}.nat{fill:#b45309;font-size:11px;font-weight:bold}.pub{fill:#c05621;font-size:11px;font-weight:bold}")
                .append(".link{stroke:#2b6cb0;stroke-width:2;fill:none}.child{stroke:#805ad5;stroke-width:1.5;fill:none;stroke-dasharray:6 4}")
                .append(".vx{stroke:#38a169;stroke-width:2;fill:none;stroke-dasharray:2 4}.pubarrow{stroke:#dd6b20;stroke-width:1.5;fill:none;stroke-dasharray:8 4}")
                .append(".brband{fill:#ebf4ff}.stand{fill:#fffaf0}.legend{fill:#4a5568;font-size:11px}\n</style>\n");
        sb.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">")
                .append("<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#dd6b20\"/></marker></defs>\n");
        sb.append("<text x=\"").append(MARGIN).append("\" y=\"20\" font-size=\"15\" font-weight=\"bold\" fill=\"#1a202c\">")
                .append(esc("lab " + lab.name() + lab.description().map(d -> " — " + d).orElse(""))).append("</text>\n");

        for (Box b : boxes.values()) box(sb, lab, b);
        edges(sb, lab, boxes);
        legend(sb, height);
        sb.append("</svg>\n");
        return sb.toString();
    }

    // ------------------------------------------------------------------ content

    private static Box fill(Lab lab, Box b) {
        Node n = b.node;
        Set<String> ports = new LinkedHashSet<>();
        for (Iface i : n.interfaces()) if (i.kind() instanceof IfaceKind.Bridge br) ports.addAll(br.ports());
        for (Iface i : n.interfaces()) {
            if (ports.contains(i.name())) continue;
            b.rows.add(ifaceRow(i, ""));
            if (i.kind() instanceof IfaceKind.Bridge br)
                for (String p : br.ports())
                    n.iface(p).ifPresent(pi -> b.rows.add(ifaceRow(pi, "  └ ")));
        }
        if (n.interfaces().isEmpty()) b.rows.add(new Row(n.loopback() ? "lo (up)" : "lo (down)", Optional.empty(), "note"));
        for (Route r : n.routes())
            b.rows.add(new Row("↪ " + (r.isDefault() ? "default" : r.dst().toString()) + r.via().map(v -> " via " + Ip.text(v)).orElse("")
                    + r.dev().map(d -> " dev " + d).orElse(""), Optional.empty(), "note"));
        if (n.forwarding().ipv4() || n.forwarding().ipv6())
            b.rows.add(new Row("⇄ forwarding " + (n.forwarding().ipv4() ? "ipv4 " : "") + (n.forwarding().ipv6() ? "ipv6" : ""), Optional.empty(), "note"));
        for (var m : n.nat())
            b.rows.add(new Row("NAT masquerade " + m.source() + m.out().map(o -> " -o " + o).orElse("") + m.notOut().map(o -> " ! -o " + o).orElse(""),
                    Optional.empty(), "nat"));
        for (Publish p : n.publish())
            b.rows.add(new Row("▶ publish " + p.proto().word() + " " + p.port() + " → " + p.to() + ":" + p.toPort()
                    + lab.publishTarget(n.name(), p).map(a -> " (" + Ip.text(a) + ")").orElse(""), Optional.empty(), "pub"));
        if (!n.serve().isEmpty())
            b.rows.add(new Row("● serves " + String.join(", ", n.serve().stream().map(s -> s.proto().word() + " " + s.port()).toList()),
                    Optional.empty(), "note"));
        String title = n.name(), sub = "netns " + lab.kernelNames().netns(n.name());
        int chars = Math.max(title.length() + 2, sub.length());
        for (Row r : b.rows) chars = Math.max(chars, r.text.length());
        b.w = (int) Math.ceil(chars * CHAR_W) + 2 * PAD;
        b.h = HEAD + b.rows.size() * ROW + PAD;
        return b;
    }

    private static Row ifaceRow(Iface i, String indent) {
        StringBuilder s = new StringBuilder(indent).append(i.name()).append("  ").append(Mermaid.kindText(i));
        for (IpPrefix c : i.addresses()) s.append("  ").append(c);
        if (i.ipv6() && i.addresses().stream().noneMatch(IpPrefix::isIpv6)) s.append("  +ipv6");
        String cls = i.kind() instanceof IfaceKind.Bridge ? "br" : indent.isEmpty() ? "if" : "port";
        return new Row(s.toString(), Optional.of(i.ref()), cls);
    }

    // ------------------------------------------------------------------ layout

    /** Nodes connected by a link, a parent/child relation, a VXLAN VNI or a published port. */
    private static Map<String, Set<String>> adjacency(Lab lab) {
        Map<String, Set<String>> adj = new LinkedHashMap<>();
        for (Node n : lab.nodes()) adj.put(n.name(), new LinkedHashSet<>());
        BiConsumer<String, String> join = (a, b) -> {
            if (a.equals(b) || !adj.containsKey(a) || !adj.containsKey(b)) return;
            adj.get(a).add(b);
            adj.get(b).add(a);
        };
        for (Link l : lab.links()) join.accept(l.a().node(), l.b().node());
        for (Iface i : lab.interfaces()) {
            switch (i.kind()) {
                case IfaceKind.Macvlan m -> join.accept(i.node(), m.parent().node());
                case IfaceKind.Ipvlan m -> join.accept(i.node(), m.parent().node());
                case IfaceKind.Vlan v -> join.accept(i.node(), v.parent().node());
                default -> { }
            }
        }
        return adj;
    }

    private static void columns(Lab lab, Map<String, Box> boxes, Map<String, Set<String>> adj) {
        Set<String> done = new LinkedHashSet<>();
        int nextComponentCol = 0;
        List<String> byDegree = new ArrayList<>(adj.keySet());
        byDegree.sort(Comparator.comparingInt((String s) -> -adj.get(s).size()));
        boolean first = true;
        for (String hub : byDegree) {
            if (done.contains(hub)) continue;
            // The neighbour this hub's default route points to is its "outside": put it on the left.
            Set<String> outside = new LinkedHashSet<>();
            Node h = lab.node(hub).orElseThrow();
            for (Route r : h.routes()) {
                if (!r.isDefault() || r.via().isEmpty()) continue;
                InetAddress via = r.via().get();
                for (String nb : adj.get(hub))
                    if (lab.addressesOf(nb).stream().anyMatch(c -> c.address().equals(via))) outside.add(nb);
            }
            Map<String, Integer> col = new HashMap<>();
            col.put(hub, 0);
            Deque<String> q = new ArrayDeque<>(List.of(hub));
            while (!q.isEmpty()) {
                String cur = q.poll();
                int c = col.get(cur);
                for (String nb : adj.get(cur)) {
                    if (col.containsKey(nb) || done.contains(nb)) continue;
                    int dir = c == 0 ? (outside.contains(nb) ? -1 : 1) : Integer.signum(c);
                    col.put(nb, c + dir);
                    q.add(nb);
                }
            }
            int min = col.values().stream().mapToInt(Integer::intValue).min().orElse(0);
            int max = col.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            int base = first ? -min : nextComponentCol - min;
            for (var e : col.entrySet()) boxes.get(e.getKey()).col = e.getValue() + base;
            nextComponentCol = Math.max(nextComponentCol, max + base + 1);
            first = false;
            done.addAll(col.keySet());
        }
        // Isolated nodes (no links at all) share one extra column at the right.
        // (They were each their own hub above; pack them into one column.)
        List<Box> lone = boxes.values().stream().filter(b -> adj.get(b.node.name()).isEmpty()).toList();
        if (lone.size() > 1) {
            int c = lone.getFirst().col;
            for (Box b : lone) b.col = c;
        }
    }

    private static void place(Map<String, Box> boxes, Map<String, Set<String>> adj) {
        int cols = boxes.values().stream().mapToInt(b -> b.col).max().orElse(0) + 1;
        List<List<Box>> byCol = new ArrayList<>();
        for (int c = 0; c < cols; c++) byCol.add(new ArrayList<>());
        for (Box b : boxes.values()) byCol.get(b.col).add(b);
        int x = MARGIN;
        for (List<Box> column : byCol) {
            int w = column.stream().mapToInt(b -> b.w).max().orElse(0);
            for (Box b : column) b.x = x + (w - b.w) / 2;
            x += w + GAP_X;
        }
        // Order each column by the mean position of its neighbours already placed (two sweeps).
        int idx = 0;
        for (Box b : boxes.values()) b.order = idx++;
        for (int sweep = 0; sweep < 2; sweep++) {
            for (List<Box> column : byCol) {
                for (Box b : column) {
                    double sum = 0;
                    int k = 0;
                    for (String nb : adj.get(b.node.name())) {
                        Box o = boxes.get(nb);
                        if (o.col != b.col) {
                            sum += o.order;
                            k++;
                        }
                    }
                    if (k > 0) b.order = sum / k + b.order * 1e-3;
                }
                column.sort(Comparator.comparingDouble(b -> b.order));
                for (int i = 0; i < column.size(); i++) column.get(i).order = i;
            }
        }
        int tallest = 0;
        for (List<Box> column : byCol) tallest = Math.max(tallest, column.stream().mapToInt(b -> b.h + GAP_Y).sum() - GAP_Y);
        for (List<Box> column : byCol) {
            int total = column.stream().mapToInt(b -> b.h + GAP_Y).sum() - GAP_Y;
            int y = MARGIN + 20 + (tallest - total) / 2;
            for (Box b : column) {
                b.y = y;
                y += b.h + GAP_Y;
            }
        }
    }

    // ------------------------------------------------------------------ drawing

    private static void box(StringBuilder sb, Lab lab, Box b) {
        sb.append("<g id=\"node-").append(esc(b.node.name())).append("\">\n");
        sb.append(String.format(Locale.ROOT, "<rect class=\"box\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"8\"/>%n", b.x, b.y, b.w, b.h));
        sb.append(String.format(Locale.ROOT, "<path class=\"head\" d=\"M%d,%d h%d v%d h-%d z\" /><rect class=\"head\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"8\"/>%n",
                b.x, b.y + 16, b.w, HEAD - 16 - 6, b.w, b.x, b.y, b.w, HEAD - 6));
        sb.append(String.format(Locale.ROOT, "<text class=\"title\" x=\"%d\" y=\"%d\">%s</text>%n", b.x + PAD, b.y + 16, esc(b.node.name())));
        sb.append(String.format(Locale.ROOT, "<text class=\"sub\" x=\"%d\" y=\"%d\">%s</text>%n", b.x + PAD, b.y + 30,
                esc("netns " + lab.kernelNames().netns(b.node.name()))));
        for (int i = 0; i < b.rows.size(); i++) {
            Row r = b.rows.get(i);
            int ry = b.rowY(i);
            if (r.cls.equals("br"))
                sb.append(String.format(Locale.ROOT, "<rect class=\"brband\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>%n", b.x + 2, ry - ROW / 2 - 2, b.w - 4, ROW));
            if (r.iface.isPresent() && lab.iface(r.iface.get()).map(x -> x.kind() instanceof IfaceKind.Veth v && v.standIn()).orElse(false))
                sb.append(String.format(Locale.ROOT, "<rect class=\"stand\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>%n", b.x + 2, ry - ROW / 2 - 2, b.w - 4, ROW));
            sb.append(String.format(Locale.ROOT, "<text class=\"%s\" x=\"%d\" y=\"%d\" xml:space=\"preserve\">%s</text>%n", r.cls, b.x + PAD, ry + 4, esc(r.text)));
        }
        sb.append("</g>\n");
    }

    /** Where a line to interface {@code r} attaches: the box side facing {@code towardsX}, at the row's height. */
    private static int[] anchor(Map<String, Box> boxes, IfRef r, int towardsX) {
        Box b = boxes.get(r.node());
        if (b == null) return null;
        int row = -1;
        for (int i = 0; i < b.rows.size(); i++)
            if (b.rows.get(i).iface.filter(r::equals).isPresent()) row = i;
        int y = row < 0 ? b.y + b.h / 2 : b.rowY(row);
        boolean right = towardsX >= b.x + b.w / 2;
        return new int[] {right ? b.x + b.w : b.x, y, right ? 1 : -1};
    }

    /** The point at {@code t} of the curve {@link #curve} draws from {@code a} to {@code z}. */
    private static double[] along(int[] a, int[] z, double t) {
        int dx = Math.max(40, Math.abs(z[0] - a[0]) / 2);
        if (a[2] == z[2]) dx = Math.max(60, Math.abs(z[1] - a[1]) / 3);
        double[] p0 = {a[0], a[1]}, p1 = {a[0] + a[2] * dx, a[1]}, p2 = {z[0] + z[2] * dx, z[1]}, p3 = {z[0], z[1]};
        double u = 1 - t;
        double[] r = new double[2];
        for (int k = 0; k < 2; k++) r[k] = u * u * u * p0[k] + 3 * u * u * t * p1[k] + 3 * u * t * t * p2[k] + t * t * t * p3[k];
        return r;
    }

    private static void curve(StringBuilder sb, String cls, int[] a, int[] z, String extra) {
        if (a == null || z == null) return;
        int dx = Math.max(40, Math.abs(z[0] - a[0]) / 2);
        if (a[2] == z[2]) dx = Math.max(60, Math.abs(z[1] - a[1]) / 3); // same side: loop outwards
        sb.append(String.format(Locale.ROOT, "<path class=\"%s\" d=\"M%d,%d C%d,%d %d,%d %d,%d\"%s/>%n", cls,
                a[0], a[1], a[0] + a[2] * dx, a[1], z[0] + z[2] * dx, z[1], z[0], z[1], extra));
    }

    private static int centerX(Map<String, Box> boxes, String node) {
        Box b = boxes.get(node);
        return b == null ? 0 : b.x + b.w / 2;
    }

    private static void edges(StringBuilder sb, Lab lab, Map<String, Box> boxes) {
        for (Link l : lab.links()) {
            int[] a = anchor(boxes, l.a().ref(), centerX(boxes, l.b().node()));
            int[] z = anchor(boxes, l.b().ref(), centerX(boxes, l.a().node()));
            if (l.a().node().equals(l.b().node()) && a != null && z != null) z = new int[] {a[0], z[1], a[2]};
            curve(sb, "link", a, z, "");
        }
        Set<String> vx = new HashSet<>();
        for (Iface i : lab.interfaces()) {
            Optional<IfRef> parent = switch (i.kind()) {
                case IfaceKind.Macvlan m -> Optional.of(m.parent());
                case IfaceKind.Ipvlan m -> Optional.of(m.parent());
                case IfaceKind.Vlan v -> Optional.of(v.parent());
                default -> Optional.empty();
            };
            parent.ifPresent(p -> {
                int[] a = anchor(boxes, i.ref(), centerX(boxes, p.node()));
                int[] z = anchor(boxes, p, centerX(boxes, i.node()));
                if (p.node().equals(i.node()) && a != null && z != null) z = new int[] {a[0], z[1], a[2]};
                curve(sb, "child", a, z, "");
            });
            if (i.kind() instanceof IfaceKind.Vxlan x) {
                for (Iface o : lab.interfaces()) {
                    if (o == i || !(o.kind() instanceof IfaceKind.Vxlan ox) || ox.vni() != x.vni()) continue;
                    String k = i.ref().toString().compareTo(o.ref().toString()) < 0 ? i.ref() + "|" + o.ref() : o.ref() + "|" + i.ref();
                    if (!vx.add(k)) continue;
                    int[] a = anchor(boxes, i.ref(), centerX(boxes, o.node()));
                    int[] z = anchor(boxes, o.ref(), centerX(boxes, i.node()));
                    curve(sb, "vx", a, z, "");
                    if (a != null && z != null)
                        sb.append(String.format(Locale.ROOT, "<text class=\"legend\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">VNI %d</text>%n",
                                (a[0] + z[0]) / 2, (a[1] + z[1]) / 2 - 6, x.vni()));
                }
            }
        }
        // Published ports: from the publish row to the target node's box.
        for (Box b : boxes.values()) {
            for (int i = 0; i < b.rows.size(); i++) {
                if (!b.rows.get(i).cls.equals("pub")) continue;
                int pubIndex = (int) b.rows.subList(0, i).stream().filter(r -> r.cls.equals("pub")).count();
                Publish p = b.node.publish().get(pubIndex);
                Box t = boxes.get(p.to());
                if (t == null) continue;
                Optional<InetAddress> addr = lab.publishTarget(b.node.name(), p);
                IfRef target = addr.flatMap(a -> t.node.interfaces().stream()
                        .filter(x -> x.addresses().stream().anyMatch(c -> c.address().equals(a))).map(Iface::ref).findFirst())
                        .orElse(new IfRef(t.node.name(), ""));
                boolean right = t.x > b.x;
                int[] a = {right ? b.x + b.w : b.x, b.rowY(i), right ? 1 : -1};
                int[] z = anchor(boxes, target, b.x + b.w / 2);
                if (z != null) {
                    int[] zz = {z[0], z[1] + 5, z[2]};
                    curve(sb, "pubarrow", a, zz, " marker-end=\"url(#arrow)\"");
                    double[] at = along(a, zz, 0.8);
                    sb.append(String.format(Locale.ROOT, "<text class=\"pub\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                            (int) at[0] - 6, (int) at[1] + 14, esc(p.port() + "→" + p.toPort())));
                }
            }
        }
    }

    private static void legend(StringBuilder sb, int height) {
        int y = height - 22, x = MARGIN;
        sb.append(String.format(Locale.ROOT, "<path class=\"link\" d=\"M%d,%d h30\"/><text class=\"legend\" x=\"%d\" y=\"%d\">veth pair</text>%n", x, y, x + 36, y + 4));
        x += 120;
        sb.append(String.format(Locale.ROOT, "<path class=\"child\" d=\"M%d,%d h30\"/><text class=\"legend\" x=\"%d\" y=\"%d\">child → parent (macvlan/ipvlan/vlan)</text>%n", x, y, x + 36, y + 4));
        x += 290;
        sb.append(String.format(Locale.ROOT, "<path class=\"vx\" d=\"M%d,%d h30\"/><text class=\"legend\" x=\"%d\" y=\"%d\">vxlan</text>%n", x, y, x + 36, y + 4));
        x += 90;
        sb.append(String.format(Locale.ROOT, "<path class=\"pubarrow\" d=\"M%d,%d h30\" marker-end=\"url(#arrow)\"/><text class=\"legend\" x=\"%d\" y=\"%d\">published port (DNAT)</text>%n", x, y, x + 36, y + 4));
        x += 200;
        sb.append(String.format(Locale.ROOT, "<rect class=\"stand\" x=\"%d\" y=\"%d\" width=\"30\" height=\"12\" stroke=\"#e37400\"/><text class=\"legend\" x=\"%d\" y=\"%d\">physical stand-in</text>%n", x, y - 6, x + 36, y + 4));
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
