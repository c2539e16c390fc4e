package io.nslab.lab.verify;

import io.nslab.netlink.route.IpPrefix;
import io.nslab.lab.model.IfRef;
import io.nslab.lab.model.Iface;
import io.nslab.lab.model.IfaceKind;
import io.nslab.lab.model.Lab;
import io.nslab.lab.model.Link;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lab's layer-2 segments: veth pairs, bridges with their ports, and VXLAN
 * ends of one VNI (an overlay is one segment). MACVLAN/IPVLAN children are
 * left out on purpose: their modes isolate children from each other and from
 * the parent, which the file states with expectations instead.
 */
public final class Segments {
    /** A segment and the addressed interfaces on it. */
    public record Segment(String name, List<Iface> members) {}

    private Segments() {}

    public static List<Segment> of(Lab lab) {
        Map<IfRef, IfRef> parent = new HashMap<>();
        for (Iface i : lab.interfaces()) parent.put(i.ref(), i.ref());
        for (Link l : lab.links()) union(parent, l.a().ref(), l.b().ref());
        Map<Integer, IfRef> vnis = new HashMap<>();
        for (Iface i : lab.interfaces()) {
            if (i.kind() instanceof IfaceKind.Bridge b)
                for (String p : b.ports()) if (parent.containsKey(new IfRef(i.node(), p))) union(parent, i.ref(), new IfRef(i.node(), p));
            if (i.kind() instanceof IfaceKind.Vxlan v) {
                IfRef first = vnis.putIfAbsent(v.vni(), i.ref());
                if (first != null) union(parent, first, i.ref());
            }
        }
        Map<IfRef, List<Iface>> groups = new LinkedHashMap<>();
        for (Iface i : lab.interfaces()) {
            if (i.addresses().isEmpty() || i.kind() instanceof IfaceKind.Macvlan || i.kind() instanceof IfaceKind.Ipvlan) continue;
            groups.computeIfAbsent(find(parent, i.ref()), k -> new ArrayList<>()).add(i);
        }
        List<Segment> out = new ArrayList<>();
        for (var e : groups.entrySet()) {
            if (e.getValue().size() < 2) continue;
            Iface head = e.getValue().stream().filter(i -> i.kind() instanceof IfaceKind.Bridge).findFirst().orElse(e.getValue().get(0));
            out.add(new Segment(head.ref().toString(), e.getValue()));
        }
        return out;
    }

    /** Whether {@code a}'s subnets contain {@code addr}: only same-subnet pairs are expected to talk directly. */
    static boolean sameSubnet(Iface a, IpPrefix addr) {
        return a.addresses().stream().anyMatch(c -> c.network().contains(addr.address()) && c.isIpv6() == addr.isIpv6());
    }

    private static IfRef find(Map<IfRef, IfRef> p, IfRef x) {
        while (!p.get(x).equals(x)) {
            p.put(x, p.get(p.get(x)));
            x = p.get(x);
        }
        return x;
    }

    private static void union(Map<IfRef, IfRef> p, IfRef a, IfRef b) {
        if (!p.containsKey(a) || !p.containsKey(b)) return;
        p.put(find(p, a), find(p, b));
    }
}
