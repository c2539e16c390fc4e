package io.nslab.lab.graph;

import io.nslab.netlink.route.IpPrefix;
import io.nslab.lab.model.IfRef;
import io.nslab.lab.model.Iface;
import io.nslab.lab.model.IfaceKind;
import io.nslab.lab.model.Ip;
import io.nslab.lab.model.Lab;
import io.nslab.lab.model.Link;
import io.nslab.lab.model.Masquerade;
import io.nslab.lab.model.Node;
import io.nslab.lab.model.Publish;
import io.nslab.lab.model.Route;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** A Mermaid flowchart of a lab: one subgraph per node, one box per interface, veth pairs as edges. */
final class Mermaid {
    private Mermaid() {}

    static String of(Lab lab) {
        StringBuilder sb = new StringBuilder("flowchart LR\n");
        sb.append("  %% lab ").append(lab.name()).append(lab.description().map(d -> ": " + d).orElse("")).append('\n');
        for (Node n : lab.nodes()) {
            sb.append("  subgraph ").append(id(n.name())).append("[\"").append(esc(nodeTitle(lab, n))).append("\"]\n");
            sb.append("    direction TB\n");
            if (n.interfaces().isEmpty())
                sb.append("    ").append(id(n.name() + "__lo")).append("[\"").append(esc(n.loopback() ? "lo up" : "lo down")).append("\"]\n");
            for (Iface i : n.interfaces())
                sb.append("    ").append(id(i.ref())).append(shape(i, label(i))).append('\n');
            List<String> notes = notes(lab, n);
            for (int k = 0; k < notes.size(); k++)
                sb.append("    ").append(id(n.name() + "__note" + k)).append("[/\"").append(esc(notes.get(k))).append("\"/]\n");
            sb.append("  end\n");
        }
        for (Link l : lab.links())
            sb.append("  ").append(id(l.a().ref())).append(" <-->|veth| ").append(id(l.b().ref())).append('\n');
        Set<String> vx = new HashSet<>();
        for (Iface i : lab.interfaces()) {
            switch (i.kind()) {
                case IfaceKind.Bridge b -> b.ports().forEach(p -> sb.append("  ").append(id(new IfRef(i.node(), p)))
                        .append(" -.-|port| ").append(id(i.ref())).append('\n'));
                case IfaceKind.Macvlan m -> sb.append("  ").append(id(i.ref())).append(" -.->|macvlan ").append(m.mode().keyword())
                        .append("| ").append(id(m.parent())).append('\n');
                case IfaceKind.Ipvlan m -> sb.append("  ").append(id(i.ref())).append(" -.->|ipvlan ").append(m.mode().keyword())
                        .append("| ").append(id(m.parent())).append('\n');
                case IfaceKind.Vlan v -> sb.append("  ").append(id(i.ref())).append(" -.->|vlan ").append(v.id())
                        .append("| ").append(id(v.parent())).append('\n');
                case IfaceKind.Vxlan x -> {
                    for (Iface o : lab.interfaces())
                        if (o != i && o.kind() instanceof IfaceKind.Vxlan ox && ox.vni() == x.vni()
                                && vx.add(pairKey(i.ref(), o.ref())))
                            sb.append("  ").append(id(i.ref())).append(" <-.->|VNI ").append(x.vni()).append("| ").append(id(o.ref())).append('\n');
                    x.dev().ifPresent(d -> sb.append("  ").append(id(i.ref())).append(" -.->|over| ").append(id(new IfRef(i.node(), d))).append('\n'));
                }
                default -> { }
            }
        }
        for (Node n : lab.nodes())
            for (Publish p : n.publish())
                sb.append("  ").append(id(n.name())).append(" ==>|").append(esc(p.proto().word() + " " + p.port() + " → " + p.toPort()))
                        .append("| ").append(id(p.to())).append('\n');
        sb.append("  classDef bridge fill:#e8f0fe,stroke:#3367d6\n");
        sb.append("  classDef standin fill:#fff4e5,stroke:#e37400\n");
        for (Iface i : lab.interfaces()) {
            if (i.kind() instanceof IfaceKind.Bridge) sb.append("  class ").append(id(i.ref())).append(" bridge\n");
            if (i.kind() instanceof IfaceKind.Veth v && v.standIn() || i.kind() instanceof IfaceKind.Physical)
                sb.append("  class ").append(id(i.ref())).append(" standin\n");
        }
        return sb.toString();
    }

    private static String pairKey(IfRef a, IfRef b) {
        String x = a.toString(), y = b.toString();
        return x.compareTo(y) < 0 ? x + "|" + y : y + "|" + x;
    }

    static String nodeTitle(Lab lab, Node n) {
        String fwd = n.forwarding().ipv4() || n.forwarding().ipv6()
                ? " · forwarding" + (n.forwarding().ipv4() && n.forwarding().ipv6() ? " v4+v6" : n.forwarding().ipv6() ? " v6" : "") : "";
        return n.name() + " (netns " + lab.kernelNames().netns(n.name()) + ")" + fwd;
    }

    /** One-line notes for a node: routes, NAT, published ports, services. */
    static List<String> notes(Lab lab, Node n) {
        List<String> out = new ArrayList<>();
        for (Route r : n.routes())
            out.add("route " + (r.isDefault() ? "default" : r.dst().toString()) + r.via().map(v -> " via " + Ip.text(v)).orElse("")
                    + r.dev().map(d -> " dev " + d).orElse("") + (r.metric().isPresent() ? " metric " + r.metric().getAsInt() : ""));
        for (Masquerade m : n.nat())
            out.add("NAT masquerade " + m.source() + m.out().map(o -> " out " + o).orElse("") + m.notOut().map(o -> " not out " + o).orElse(""));
        for (Publish p : n.publish())
            out.add("publish " + p.proto().word() + " " + p.port() + " → " + p.to() + ":" + p.toPort()
                    + lab.publishTarget(n.name(), p).map(a -> " (" + Ip.text(a) + ")").orElse("") + p.in().map(i -> " in " + i).orElse(""));
        if (!n.serve().isEmpty())
            out.add("serves " + n.serve().stream().map(s -> s.proto().word() + " " + s.port()).collect(Collectors.joining(", ")));
        return out;
    }

    static String label(Iface i) {
        StringBuilder s = new StringBuilder(i.name()).append(" · ").append(kindText(i));
        for (IpPrefix c : i.addresses()) s.append("\n").append(c);
        return s.toString();
    }

    static String kindText(Iface i) {
        return switch (i.kind()) {
            case IfaceKind.Veth v -> v.standIn() ? "physical (stand-in " + v.word() + ")" : v.word();
            case IfaceKind.Bridge b -> b.word();
            case IfaceKind.Macvlan m -> m.word() + " " + m.mode().keyword() + " on " + m.parent();
            case IfaceKind.Ipvlan m -> m.word() + " " + m.mode().keyword() + " on " + m.parent();
            case IfaceKind.Vlan v -> v.word() + " " + v.id() + " on " + v.parent().name();
            case IfaceKind.Vxlan x -> x.word() + " " + x.vni() + x.remote().map(r -> " → " + Ip.text(r)).orElse("")
                    + x.group().map(g -> " group " + Ip.text(g)).orElse("");
            case IfaceKind.Tun t -> t.word();
            case IfaceKind.Tap t -> t.word();
            case IfaceKind.Physical p -> p.word() + " " + p.host() + (p.external() ? " (external)" : "");
        };
    }

    private static String shape(Iface i, String label) {
        String l = esc(label).replace("\n", "<br/>");
        return i.kind() instanceof IfaceKind.Bridge ? "[[\"" + l + "\"]]" : "[\"" + l + "\"]";
    }

    static String id(IfRef r) {
        return id(r.node() + "__" + r.name());
    }

    static String id(String s) {
        StringBuilder b = new StringBuilder("n_");
        for (char c : s.toCharArray()) b.append(Character.isLetterOrDigit(c) && c < 128 ? c : '_');
        return b.toString() + "_" + Integer.toHexString(s.hashCode() & 0xffff);
    }

    private static String esc(String s) {
        return s.replace("\"", "#quot;").replace("|", "#124;");
    }
}
