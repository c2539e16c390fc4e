package io.nslab.lab.plan;

import io.nslab.netlink.route.IpPrefix;
import io.nslab.lab.model.Iface;
import io.nslab.lab.model.IfaceKind;
import io.nslab.lab.model.IfRef;
import io.nslab.lab.model.Impairment;
import io.nslab.lab.model.Ip;
import io.nslab.lab.model.KernelNames;
import io.nslab.lab.model.Lab;
import io.nslab.lab.model.Link;
import io.nslab.lab.model.Masquerade;
import io.nslab.lab.model.Node;
import io.nslab.lab.model.Publish;
import io.nslab.lab.model.Route;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Every step that builds a lab from nothing, in an order the kernel accepts:
 * namespaces; their IPv6 and forwarding defaults (before any interface, so
 * new interfaces inherit "IPv6 off" unless the file asks, as Docker does);
 * links whose parents exist (bridges first, then veth pairs, a bridge port
 * made enslaved and up in its pair's own request, then tun/tap and moved
 * physical NICs, then children of those, then VXLAN); per interface IPv6,
 * master, mtu, address, up; addresses; routes; then per NAT node the hairpin
 * mode of bridge ports leading to published targets, {@code route_localnet}
 * on the interfaces toward them (127.0.0.1 publishing) and the NAT table;
 * last, the impaired interfaces' root qdiscs.
 * A bridge with more ports than the kernel takes is built as a {@link BridgeTree}.
 */
public final class LabSteps {
    /** The nftables table (family ip) a lab writes in a node that has NAT or published ports. */
    public static final String NFT_TABLE = "nslab";

    private LabSteps() {}

    public static List<Step> of(Lab lab) {
        KernelNames names = lab.kernelNames();
        List<Step> out = new ArrayList<>();
        for (Node n : lab.nodes()) out.add(new Step.CreateNs(names.netns(n.name())));
        for (Node n : lab.nodes()) {
            NsRef ns = ns(names, n.name());
            out.add(new Step.Sysctl(ns, "net/ipv6/conf/default/disable_ipv6", "1"));
            if (n.forwarding().ipv4()) out.add(new Step.Sysctl(ns, "net/ipv4/ip_forward", "1"));
            if (n.forwarding().ipv6()) out.add(new Step.Sysctl(ns, "net/ipv6/conf/all/forwarding", "1"));
        }
        Map<IfRef, BridgeTree> trees = new HashMap<>();
        for (Iface i : lab.interfaces()) BridgeTree.of(names, i).ifPresent(t -> trees.put(i.ref(), t));
        // bridge of each port, once (Lab.masterOf scans: quadratic on a 1000-port bridge); a tree's leaf for its ports
        Map<IfRef, String> masters = new HashMap<>();
        for (Iface i : lab.interfaces())
            if (i.kind() instanceof IfaceKind.Bridge b) for (String p : b.ports()) masters.putIfAbsent(new IfRef(i.node(), p), i.name());
        for (BridgeTree t : trees.values())
            for (BridgeTree.Leaf leaf : t.leaves()) for (String p : leaf.ports()) masters.put(new IfRef(t.node(), p), leaf.name());
        Set<IfRef> fused = links(lab, names, trees, masters, out);
        for (Node n : lab.nodes()) {
            NsRef ns = ns(names, n.name());
            if (n.loopback()) out.add(new Step.SetLink(ns, "lo", Optional.empty(), OptionalInt.empty(), Optional.empty(), true));
            for (Iface i : parentsFirst(n.interfaces())) {
                if (i.ipv6()) {
                    // no duplicate address detection: addresses are usable at once, and the lab owns the segment
                    out.add(new Step.Sysctl(ns, "net/ipv6/conf/" + i.name() + "/accept_dad", "0"));
                    out.add(new Step.Sysctl(ns, "net/ipv6/conf/" + i.name() + "/disable_ipv6", "0"));
                }
                Optional<String> master = Optional.ofNullable(masters.get(i.ref()));
                if (!fused.contains(i.ref())) out.add(new Step.SetLink(ns, i.name(), master, i.mtu(), i.mac().map(Object::toString), i.up()));
                for (IpPrefix c : i.addresses()) out.add(new Step.AddAddress(ns, i.name(), c.toString()));
                BridgeTree t = trees.get(i.ref());
                if (t != null) treeLinks(ns, t, i, out);
            }
        }
        for (Node n : lab.nodes()) {
            NsRef ns = ns(names, n.name());
            for (Route r : n.routes())
                out.add(new Step.AddRoute(ns, r.dst().network().toString(), r.via().map(Ip::text), r.dev(), r.metric()));
        }
        for (Node n : lab.nodes()) {
            NsRef ns = ns(names, n.name());
            List<NatRule> rules = new ArrayList<>();
            for (Masquerade m : n.nat()) rules.add(new NatRule.Masquerade(m.source().network().toString(), m.out(), m.notOut()));
            Set<String> toward = new LinkedHashSet<>();     // interfaces toward published targets
            Set<String> hairpins = new LinkedHashSet<>();   // bridge ports leading to them
            for (Publish p : n.publish()) {
                Optional<InetAddress> target = lab.publishTarget(n.name(), p);
                if (target.isEmpty()) throw new IllegalArgumentException(p.src().at() + ": published port " + p.port()
                        + " of " + n.name() + ": no address of " + p.to() + " on a subnet " + n.name() + " is on");
                String to = Ip.text(target.get());
                String proto = p.proto().transport().word();
                rules.add(new NatRule.Publish(proto, p.port(), to, p.toPort(), p.in()));
                Optional<Iface> via = toward(n, target.get());
                if (!(target.get() instanceof Inet4Address) || via.isEmpty() || p.to().equals(n.name())) continue;
                // the target reaching its own published port through this node (hairpin)
                if (p.in().isEmpty() || p.in().equals(Optional.of(via.get().name()))) {
                    rules.add(new NatRule.Hairpin(proto, to, p.toPort()));
                    hairpins.addAll(portsToward(lab, via.get(), p.to()));
                }
                // and 127.0.0.1:PORT from this node's own namespace
                rules.add(new NatRule.PublishLoopback(proto, p.port(), to, p.toPort()));
                toward.add(via.get().name());
            }
            for (String i : toward) rules.add(new NatRule.MasqueradeLoopback(i));
            for (String port : hairpins) out.add(new Step.Hairpin(ns, port));
            for (String i : toward) out.add(new Step.Sysctl(ns, "net/ipv4/conf/" + i + "/route_localnet", "1"));
            if (!rules.isEmpty()) out.add(new Step.NftTable(ns, NFT_TABLE, rules));
        }
        for (Node n : lab.nodes()) {
            if (n.sysctls().isEmpty()) continue;
            NsRef ns = ns(names, n.name());
            for (Map.Entry<String, String> e : n.sysctls().entrySet()) {
                // last, once the node's interfaces exist (net.ipv4.conf.eth0.*); the file's value wins over nslab's own
                String key = sysctlPath(e.getKey());
                out.removeIf(s -> s instanceof Step.Sysctl x && x.ns().equals(ns) && x.sysctl().equals(key));
                out.add(new Step.Sysctl(ns, key, e.getValue()));
            }
        }
        // last: the interfaces are up, so the kernel's default qdisc is not put back over these
        for (Impairment im : lab.impairments())
            out.add(new Step.Shape(ns(names, im.at().node()), im.at().name(), im.impair()));
        return out;
    }

    /** {@code net.ipv4.ip_forward} -> {@code net/ipv4/ip_forward}; a key written with slashes keeps its dots (eth0.100). */
    static String sysctlPath(String key) {
        return key.contains("/") ? key : key.replace('.', '/');
    }

    /** The interface of node {@code n} on a subnet holding {@code target}, if any. */
    static Optional<Iface> toward(Node n, InetAddress target) {
        for (Iface i : n.interfaces())
            for (IpPrefix c : i.addresses()) if (c.network().contains(target)) return Optional.of(i);
        return Optional.empty();
    }

    /** The ports of bridge {@code via} whose link leads to node {@code to} (none when {@code via} is no bridge). */
    static List<String> portsToward(Lab lab, Iface via, String to) {
        if (!(via.kind() instanceof IfaceKind.Bridge b)) return List.of();
        List<String> out = new ArrayList<>();
        for (Link l : lab.links()) {
            for (Iface[] e : new Iface[][] {{l.a(), l.b()}, {l.b(), l.a()}}) {
                if (e[0].node().equals(via.node()) && b.ports().contains(e[0].name()) && e[1].node().equals(to)) out.add(e[0].name());
            }
        }
        return out;
    }

    /**
     * A node's interfaces with each parent (vlan/macvlan/ipvlan lower device,
     * vxlan dev) before its children, otherwise in file order: the kernel
     * refuses to bring a VLAN up while its parent is down (ENETDOWN).
     */
    static List<Iface> parentsFirst(List<Iface> ifaces) {
        List<Iface> out = new ArrayList<>(ifaces.size());
        Set<IfRef> placed = new HashSet<>();
        Set<IfRef> here = new HashSet<>();
        for (Iface i : ifaces) here.add(i.ref());
        List<Iface> pending = new ArrayList<>(ifaces);
        while (!pending.isEmpty()) {
            boolean progress = false;
            for (var it = pending.iterator(); it.hasNext(); ) {
                Iface i = it.next();
                Optional<IfRef> lower = parent(i).or(() -> i.kind() instanceof IfaceKind.Vxlan v
                        ? v.dev().map(d -> new IfRef(i.node(), d)) : Optional.empty());
                if (lower.isPresent() && here.contains(lower.get()) && !placed.contains(lower.get())) continue;
                out.add(i);
                placed.add(i.ref());
                it.remove();
                progress = true;
            }
            if (!progress) { out.addAll(pending); break; }   // a cycle the validator refuses
        }
        return out;
    }

    public static NsRef ns(KernelNames names, String node) {
        return NsRef.of(names.netns(node));
    }

    /** A tree's leaves up, each uplink's ends enslaved to the root and to their leaf. */
    private static void treeLinks(NsRef ns, BridgeTree t, Iface root, List<Step> out) {
        for (BridgeTree.Leaf leaf : t.leaves()) {
            out.add(new Step.SetLink(ns, leaf.name(), Optional.empty(), root.mtu(), Optional.empty(), true));
            out.add(new Step.SetLink(ns, leaf.up(), Optional.of(t.bridge()), root.mtu(), Optional.empty(), true));
            out.add(new Step.SetLink(ns, leaf.down(), Optional.of(leaf.name()), root.mtu(), Optional.empty(), true));
        }
    }

    /**
     * The links' creation steps: bridges (and the parts of a bridge tree) first, so that a veth end that is a
     * bridge port is made enslaved and up in its pair's own request (see {@link #fusable}); then veth pairs;
     * then the other kinds, parents before children. Returns the ports so made, which need no {@link Step.SetLink}.
     */
    private static Set<IfRef> links(Lab lab, KernelNames names, Map<IfRef, BridgeTree> trees, Map<IfRef, String> masters,
                                    List<Step> out) {
        Set<IfRef> made = new HashSet<>();
        for (Iface i : lab.interfaces()) {
            if (!(i.kind() instanceof IfaceKind.Bridge)) continue;
            link(i, Optional.empty(), names, out);
            BridgeTree t = trees.get(i.ref());
            if (t != null) {
                NsRef ns = ns(names, i.node());
                boolean stp = ((IfaceKind.Bridge) i.kind()).stp();
                for (BridgeTree.Leaf leaf : t.leaves()) {
                    out.add(new Step.AddLink(ns, leaf.name(), new LinkSpec.Bridge(stp)));
                    out.add(new Step.AddLink(ns, leaf.up(), new LinkSpec.Veth(leaf.down(), ns)));
                }
            }
            made.add(i.ref());
        }
        Set<IfRef> fused = new HashSet<>();
        for (Link l : lab.links()) {
            Iface a = l.a(), b = l.b();
            boolean standInA = a.kind() instanceof IfaceKind.Veth va && va.standIn();
            if (standInA) { Iface t = a; a = b; b = t; }         // make the stand-in end (if any) b
            boolean standInB = b.kind() instanceof IfaceKind.Veth vb && vb.standIn();
            // the bridge port (if one end is) is the end the request makes, with its master and up
            if (!standInB && !fusable(a, masters) && fusable(b, masters)) { Iface t = a; a = b; b = t; }
            NsRef nsA = ns(names, a.node()), nsB = ns(names, b.node());
            Optional<String> master = fusable(a, masters) ? Optional.of(masters.get(a.ref())) : Optional.empty();
            boolean up = master.isPresent() && a.up();
            if (master.isPresent()) fused.add(a.ref());
            if (standInB) {
                // like a NIC that was there before: made beside its peer, then moved (`ip link set ens41 netns docker`)
                String tmp = names.temporary(b.node(), b.name());
                out.add(new Step.AddLink(nsA, a.name(), new LinkSpec.Veth(tmp, nsA), master, up));
                out.add(new Step.MoveLink(nsA, tmp, nsB, b.name()));
            } else {
                out.add(new Step.AddLink(nsA, a.name(), new LinkSpec.Veth(b.name(), nsB), master, up));
            }
            made.add(a.ref());
            made.add(b.ref());
        }
        List<Iface> pending = new ArrayList<>();
        for (Iface i : lab.interfaces()) if (!i.isVeth() && !made.contains(i.ref())) pending.add(i);
        // parents before children: repeat until nothing more can be made
        boolean progress = true;
        while (!pending.isEmpty() && progress) {
            progress = false;
            for (var it = pending.iterator(); it.hasNext(); ) {
                Iface i = it.next();
                Optional<IfRef> parent = parent(i);
                if (parent.isPresent() && !made.contains(parent.get()) && lab.iface(parent.get()).isPresent()) continue;
                if (i.kind() instanceof IfaceKind.Vxlan v && v.dev().isPresent()
                        && !made.contains(new IfRef(i.node(), v.dev().get())) && lab.iface(new IfRef(i.node(), v.dev().get())).isPresent()) continue;
                link(i, parent, names, out);
                made.add(i.ref());
                it.remove();
                progress = true;
            }
        }
        for (Iface i : pending) link(i, parent(i), names, out); // a cycle the validator should have refused: let the kernel say
        return fused;
    }

    /**
     * A veth end made enslaved (and up) at creation: a bridge port needing nothing else before it is up (no mtu,
     * MAC, IPv6 or address, which {@link Step.SetLink} and the sysctls set before a link comes up).
     */
    private static boolean fusable(Iface i, Map<IfRef, String> masters) {
        return masters.containsKey(i.ref()) && i.mtu().isEmpty() && i.mac().isEmpty() && !i.ipv6() && i.addresses().isEmpty();
    }

    private static Optional<IfRef> parent(Iface i) {
        return switch (i.kind()) {
            case IfaceKind.Macvlan m -> Optional.of(m.parent());
            case IfaceKind.Ipvlan m -> Optional.of(m.parent());
            case IfaceKind.Vlan v -> Optional.of(v.parent());
            default -> Optional.empty();
        };
    }

    private static void link(Iface i, Optional<IfRef> parent, KernelNames names, List<Step> out) {
        NsRef ns = ns(names, i.node());
        switch (i.kind()) {
            case IfaceKind.Bridge b -> out.add(new Step.AddLink(ns, i.name(), new LinkSpec.Bridge(b.stp())));
            case IfaceKind.Tun t -> out.add(new Step.AddLink(ns, i.name(), new LinkSpec.Tuntap(false, t.owner(), t.group())));
            case IfaceKind.Tap t -> out.add(new Step.AddLink(ns, i.name(), new LinkSpec.Tuntap(true, t.owner(), t.group())));
            case IfaceKind.Vxlan v -> out.add(new Step.AddLink(ns, i.name(), new LinkSpec.Vxlan(v.vni(), v.local().map(Ip::text),
                    v.remote().map(Ip::text), v.group().map(Ip::text), v.dev(), v.dstPort(), v.learning())));
            case IfaceKind.Physical p -> out.add(new Step.MoveLink(NsRef.HOST, p.host(), ns, i.name()));
            case IfaceKind.Macvlan m -> child(i, m.parent(), new LinkSpec.Macvlan(m.parent().name(), m.mode()), names, out);
            case IfaceKind.Ipvlan m -> child(i, m.parent(), new LinkSpec.Ipvlan(m.parent().name(), m.mode()), names, out);
            case IfaceKind.Vlan v -> child(i, v.parent(), new LinkSpec.Vlan(v.parent().name(), v.id(), v.proto()), names, out);
            case IfaceKind.Veth v -> { }
        }
    }

    /** A child made in its parent's namespace; moved (renamed from a temporary name) when its node is another. */
    private static void child(Iface i, IfRef parent, LinkSpec spec, KernelNames names, List<Step> out) {
        NsRef ns = ns(names, i.node());
        NsRef pns = ns(names, parent.node());
        if (pns.equals(ns)) {
            out.add(new Step.AddLink(ns, i.name(), spec));
            return;
        }
        String tmp = names.temporary(i.node(), i.name());
        out.add(new Step.AddLink(pns, tmp, spec));
        out.add(new Step.MoveLink(pns, tmp, ns, i.name()));
    }
}
