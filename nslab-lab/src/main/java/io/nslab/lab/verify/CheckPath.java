package io.nslab.lab.verify;

import io.nslab.lab.model.IfRef;
import io.nslab.lab.model.Iface;
import io.nslab.lab.model.IfaceKind;
import io.nslab.lab.model.Lab;
import io.nslab.lab.model.Link;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The interfaces a check's packets cross, as far as the file tells: the shortest chain of nodes from the
 * probing node to the node holding the target address, over veth links and macvlan/ipvlan/vlan parents,
 * and at each hop the interfaces at both ends. A target in the probing node itself (its own address,
 * a loopback address) is its {@code lo}; a target no node holds leaves the probing node's interfaces.
 */
final class CheckPath {
    private CheckPath() {}

    record Hop(IfRef out, IfRef in) {}

    static List<IfRef> of(Lab lab, String from, InetAddress target) {
        Optional<String> to = target.isLoopbackAddress() ? Optional.of(from) : owner(lab, target);
        if (to.isEmpty()) return lab.node(from).map(n -> n.interfaces().stream().map(Iface::ref).toList()).orElse(List.of());
        if (to.get().equals(from)) return List.of(new IfRef(from, "lo"));
        Map<String, List<Hop>> edges = new HashMap<>();
        for (Link l : lab.links()) edge(edges, l.a().ref(), l.b().ref());
        for (Iface i : lab.interfaces()) {
            IfRef parent = switch (i.kind()) {
                case IfaceKind.Macvlan m -> m.parent();
                case IfaceKind.Ipvlan m -> m.parent();
                case IfaceKind.Vlan v -> v.parent();
                default -> null;
            };
            if (parent != null && !parent.node().equals(i.node())) edge(edges, i.ref(), parent);
        }
        // breadth first from the probing node
        Map<String, Hop> via = new HashMap<>();
        ArrayDeque<String> queue = new ArrayDeque<>(List.of(from));
        Set<String> seen = new LinkedHashSet<>(List.of(from));
        while (!queue.isEmpty() && !seen.contains(to.get())) {
            String n = queue.poll();
            for (Hop h : edges.getOrDefault(n, List.of())) {
                if (seen.add(h.in().node())) {
                    via.put(h.in().node(), h);
                    queue.add(h.in().node());
                }
            }
        }
        if (!via.containsKey(to.get())) return lab.node(from).map(n -> n.interfaces().stream().map(Iface::ref).toList()).orElse(List.of());
        List<IfRef> path = new ArrayList<>();
        for (String n = to.get(); !n.equals(from); n = via.get(n).out().node()) {
            path.add(0, via.get(n).in());
            path.add(0, via.get(n).out());
        }
        return path;
    }

    private static void edge(Map<String, List<Hop>> edges, IfRef a, IfRef b) {
        edges.computeIfAbsent(a.node(), k -> new ArrayList<>()).add(new Hop(a, b));
        edges.computeIfAbsent(b.node(), k -> new ArrayList<>()).add(new Hop(b, a));
    }

    private static Optional<String> owner(Lab lab, InetAddress a) {
        return lab.interfaces().stream().filter(i -> i.addresses().stream().anyMatch(c -> c.address().equals(a)))
                .map(Iface::node).findFirst();
    }
}
