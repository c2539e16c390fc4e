package io.nslab.lab.validate;

import io.nslab.lab.model.IfRef;
import io.nslab.lab.model.Iface;
import io.nslab.lab.model.IfaceKind;
import io.nslab.lab.model.Lab;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The layer-2 segments of a lab: sets of interfaces that share a broadcast domain. A veth pair joins its two
 * ends, a bridge joins its ports, a macvlan/ipvlan child joins its parent; a VLAN sub-interface is on the
 * segment (parent's segment, id); VXLAN ends with the same VNI and port form one overlay segment. Everything
 * else (tun, tap, physical) is a segment of its own.
 */
public final class Segments {
    private final Map<String, String> parent = new HashMap<>();

    private Segments() {}

    public static Segments of(Lab lab) {
        Segments s = new Segments();
        for (Iface i : lab.interfaces()) s.find(key(i.ref()));
        for (Iface i : lab.interfaces()) {
            switch (i.kind()) {
                case IfaceKind.Veth v -> s.union(key(i.ref()), key(v.peer()));
                case IfaceKind.Bridge b -> b.ports().forEach(p -> s.union(key(i.ref()), key(new IfRef(i.node(), p))));
                case IfaceKind.Macvlan m -> s.union(key(i.ref()), key(m.parent()));
                case IfaceKind.Ipvlan m -> s.union(key(i.ref()), key(m.parent()));
                case IfaceKind.Vxlan x -> s.union(key(i.ref()), "vxlan/" + x.vni() + "/" + x.dstPort());
                default -> { }
            }
        }
        // VLANs last: their segment is keyed by the (final) segment of the parent.
        for (Iface i : lab.interfaces()) {
            if (i.kind() instanceof IfaceKind.Vlan v)
                s.union(key(i.ref()), "vlan/" + v.id() + "/" + s.find(key(v.parent())));
        }
        return s;
    }

    private static String key(IfRef r) {
        return "if/" + r.node() + ":" + r.name();
    }

    /**
     * The root of {@code k}'s set. A loop, not recursion: a bridge of 10,000 ports makes a chain that deep, and
     * a recursive walk overflowed the stack (issue 16). The second pass points every key on the path at the root.
     */
    private String find(String k) {
        String root = k;
        for (String p; !(p = parent.computeIfAbsent(root, x -> x)).equals(root); ) root = p;
        for (String x = k; !x.equals(root); ) {
            String next = parent.get(x);
            parent.put(x, root);
            x = next;
        }
        return root;
    }

    private void union(String a, String b) {
        String ra = find(a), rb = find(b);
        if (!ra.equals(rb)) parent.put(ra, rb);
    }

    /** A stable identity of the segment {@code r} is on. */
    public String segmentOf(IfRef r) {
        return find(key(r));
    }

    public boolean sameSegment(IfRef a, IfRef b) {
        return segmentOf(a).equals(segmentOf(b));
    }

    /** Interfaces grouped by segment, in lab order. */
    public Map<String, List<Iface>> groups(Lab lab) {
        Map<String, List<Iface>> g = new LinkedHashMap<>();
        for (Iface i : lab.interfaces()) g.computeIfAbsent(segmentOf(i.ref()), k -> new ArrayList<>()).add(i);
        return g;
    }
}
