package io.nslab.lab.validate;

import io.nslab.lab.load.LabLoader;
import io.nslab.lab.load.Loaded;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.LinkKind.MacvlanMode;
import io.nslab.lab.model.Expectation;
import io.nslab.lab.model.IfRef;
import io.nslab.lab.model.Iface;
import io.nslab.lab.model.IfaceKind;
import io.nslab.lab.model.Ip;
import io.nslab.lab.model.KernelLimits;
import io.nslab.lab.model.KernelNames;
import io.nslab.lab.model.Lab;
import io.nslab.lab.model.Link;
import io.nslab.lab.model.Loc;
import io.nslab.lab.model.Mac;
import io.nslab.lab.model.Masquerade;
import io.nslab.lab.model.Measure;
import io.nslab.lab.model.Node;
import io.nslab.lab.model.Problem;
import io.nslab.lab.model.Proto;
import io.nslab.lab.model.Publish;
import io.nslab.lab.model.Route;
import io.nslab.lab.model.Service;
import io.nslab.lab.model.Target;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every check that can be made on a lab before touching the kernel. Pure: no kernel, no network, no files
 * beyond the one being read. Returns all problems at once, each with its place and what to do.
 */
public final class Validator {
    private final Lab lab;
    private final Set<String> brokenNodes;
    private final Set<IfRef> brokenIfaces;
    private final List<Problem> problems = new ArrayList<>();

    // Indexes: a lab may have thousands of nodes, and Lab's own lookups are linear.
    private final Map<String, Node> nodes = new HashMap<>();
    private final Map<IfRef, Iface> ifaces = new HashMap<>();
    private final Map<IfRef, Iface> masters = new HashMap<>();

    private Validator(Lab lab, Set<String> brokenNodes, Set<IfRef> brokenIfaces) {
        this.lab = lab;
        this.brokenNodes = brokenNodes;
        this.brokenIfaces = brokenIfaces;
        for (Node n : lab.nodes()) {
            nodes.putIfAbsent(n.name(), n);
            for (Iface i : n.interfaces()) {
                ifaces.putIfAbsent(i.ref(), i);
                if (i.kind() instanceof IfaceKind.Bridge b)
                    for (String p : b.ports()) masters.putIfAbsent(new IfRef(n.name(), p), i);
            }
        }
    }

    private Optional<Node> node(String name) {
        return Optional.ofNullable(nodes.get(name));
    }

    private Optional<Iface> iface(IfRef r) {
        return Optional.ofNullable(ifaces.get(r));
    }

    /** Reads and validates a file: loader problems and lab problems together, sorted by place. */
    public static Report check(Path file) {
        return of(LabLoader.load(file));
    }

    /** Same for text; {@code file} names it in problems. */
    public static Report checkText(String text, String file) {
        return of(LabLoader.parse(text, file));
    }

    /** Reads, validates and returns the lab, or throws {@link InvalidLabException} listing every problem. */
    public static Lab require(Path file) {
        return check(file).orThrow();
    }

    /** The embedded S10 lab that {@code nslab demo} runs. */
    public static Lab defaultLab() {
        return of(LabLoader.loadResource("/io/nslab/lab/default-lab.yaml")).orThrow();
    }

    public static Report of(Loaded loaded) {
        List<Problem> all = new ArrayList<>(loaded.problems());
        loaded.lab().ifPresent(l -> all.addAll(new Validator(l, loaded.brokenNodes(), loaded.brokenIfaces()).run()));
        return new Report(loaded.lab(), all.stream().distinct().sorted().toList());
    }

    /** The semantic checks of a lab built in code or loaded (without the loader's own problems). */
    public static List<Problem> validate(Lab lab) {
        return new Validator(lab, Set.of(), Set.of()).run().stream().distinct().sorted().toList();
    }

    private List<Problem> run() {
        if (!KernelNames.LAB_NAME.matcher(lab.name()).matches())
            add(lab.src().field("name"), "lab name '" + lab.name() + "' is not allowed", "use 1-32 letters, digits, '-' or '_'");
        names();
        Segments segments = Segments.of(lab);
        for (Node n : lab.nodes()) {
            for (Iface i : n.interfaces()) iface(n, i);
            bridges(n);
            routes(n);
            nat(n);
            publish(n);
            services(n);
        }
        for (Link l : lab.links()) link(l);
        addresses(segments);
        macs();
        vxlanIds();
        for (Expectation e : lab.expectations()) expectation(e);
        problems.addAll(RunChecks.of(lab, nodes));
        return problems;
    }

    private void add(Loc at, String message, String fix) {
        problems.add(new Problem(at, message, fix));
    }

    // ------------------------------------------------------------ names and references

    private void names() {
        for (Node n : lab.nodes()) {
            Map<String, Iface> seen = new HashMap<>();
            for (Iface i : n.interfaces()) {
                Iface first = seen.putIfAbsent(i.name(), i);
                if (first != null)
                    add(i.src().at(), "node " + n.name() + " has two interfaces named " + i.name()
                            + " (the other at line " + first.src().at().line() + ")", "rename one of them; names are per node");
                if (KernelNames.BRIDGE_PART.matcher(i.name()).matches())
                    add(i.src().at(), "node " + n.name() + ": interface name " + i.name() + " is reserved for the parts of a bridge tree",
                            "rename it; names ns[bud] + 7 hex digits + '.' + a number are nslab's");
                if (i.name().equals("lo"))
                    add(i.src().at(), "node " + n.name() + ": 'lo' is the loopback every namespace has",
                            "do not declare it; use 'loopback: false' on the node to leave it down");
            }
        }
    }

    /** Checks a node name; returns whether it is usable (known and readable). */
    private boolean nodeRef(String node, Loc at, String what) {
        if (node(node).isPresent()) return true;
        if (!brokenNodes.contains(node))
            add(at, what + ": unknown node '" + node + "'", "declare it under 'nodes:' or fix the name; nodes: " + nodeList());
        return false;
    }

    private String nodeList() {
        return String.join(", ", lab.nodes().stream().map(Node::name).toList());
    }

    /** Checks an interface reference; returns the interface when it is there. */
    private Optional<Iface> ifaceRef(IfRef r, Loc at, String what) {
        if (!nodeRef(r.node(), at, what)) return Optional.empty();
        Optional<Iface> i = iface(r);
        if (i.isEmpty() && !brokenIfaces.contains(r)) {
            List<String> have = node(r.node()).orElseThrow().interfaces().stream().map(Iface::name).toList();
            add(at, what + ": node " + r.node() + " has no interface '" + r.name() + "'",
                    have.isEmpty() ? "node " + r.node() + " has no interfaces; declare it under 'interfaces:' or as a link end"
                            : "its interfaces: " + String.join(", ", have));
        }
        return i;
    }

    // ------------------------------------------------------------ interfaces

    private void iface(Node n, Iface i) {
        String what = "interface " + i.name() + " of node " + n.name();
        switch (i.kind()) {
            case IfaceKind.Macvlan m -> parentRef(i, m.parent(), what);
            case IfaceKind.Ipvlan m -> parentRef(i, m.parent(), what);
            case IfaceKind.Vlan v -> parentRef(i, v.parent(), what);
            case IfaceKind.Vxlan x -> vxlan(n, i, x, what);
            case IfaceKind.Physical p -> {
                if (!p.external())
                    add(i.src().field("kind"), what + " names the machine's interface '" + p.host() + "' without 'external: true'",
                            "a lab never touches the machine's own interfaces unless told; add 'external: true', or use a link end with 'physical: true' as a stand-in");
                KernelNames.ifnameProblem(p.host()).ifPresent(msg -> add(i.src().field("host"), what + ": host " + msg, ""));
            }
            default -> { }
        }
        if (i.mac().isPresent() && i.mac().get().multicast())
            add(i.src().field("mac"), what + ": MAC " + i.mac().get() + " is a multicast address (first octet odd)",
                    "use a unicast, locally administered MAC such as 02:00:00:00:00:01");
        for (IpPrefix c : i.addresses()) {
            // The network address itself works as a host address on Linux (seed S3 uses 10.0.1.0/24); the
            // broadcast address does not: traffic to it is broadcast.
            if (c.isBroadcastAddress())
                add(i.src().field("addresses"), what + ": " + c + " is the broadcast address of its subnet", "use a host address");
            if (c.address().isLoopbackAddress() || c.address().isMulticastAddress() || c.address().isAnyLocalAddress())
                add(i.src().field("addresses"), what + ": " + c + " cannot be an interface address here", "use a unicast address");
        }
        if (i.mtu().isPresent() && i.mtu().getAsInt() < KernelLimits.IPV6_MIN_MTU && i.addresses().stream().anyMatch(IpPrefix::isIpv6))
            add(i.src().field("mtu"), what + ": mtu " + i.mtu().getAsInt() + " is below " + KernelLimits.IPV6_MIN_MTU
                    + ", the least the kernel allows an interface with IPv6 (IPV6_MIN_MTU; its IPv6 address would be refused)",
                    "raise the mtu to " + KernelLimits.IPV6_MIN_MTU + " or more, or drop the IPv6 address");
    }

    private void parentRef(Iface i, IfRef parent, String what) {
        String kind = i.kind().word();
        Loc at = i.src().field("parent");
        if (parent.equals(i.ref())) {
            add(at, what + ": a " + kind + " cannot be its own parent", "name the interface it sits on");
            return;
        }
        if (!nodeRef(parent.node(), at, what + ": parent")) return;
        Optional<Iface> p = iface(parent);
        if (p.isEmpty()) {
            if (!brokenIfaces.contains(parent))
                add(at, what + ": parent interface " + parent + " is missing",
                        "declare " + parent.name() + " in node " + parent.node() + " (under 'interfaces:' or as a link end), or fix 'parent:'");
            return;
        }
        if (i.kind() instanceof IfaceKind.Macvlan m && m.mode() == MacvlanMode.PASSTHRU) {
            long children = lab.interfaces().stream().filter(o -> o.kind() instanceof IfaceKind.Macvlan om && om.parent().equals(parent)).count();
            if (children > 1)
                add(at, what + ": a passthru macvlan must be the only macvlan on " + parent + " (it has " + children + ")",
                        "passthru hands the whole parent to one child; use bridge mode for several");
        }
        if (p.get().kind() instanceof IfaceKind.Macvlan || p.get().kind() instanceof IfaceKind.Ipvlan) {
            if (!(i.kind() instanceof IfaceKind.Vlan))
                add(at, what + ": parent " + parent + " is itself a " + p.get().kind().word(), "put the " + kind + " on the underlying interface");
        }
        // Follow the chain of parents: a cycle can never be created.
        Set<IfRef> chain = new HashSet<>(List.of(i.ref()));
        for (Optional<Iface> cur = p; cur.isPresent(); cur = cur.flatMap(Validator::parentOf).flatMap(this::iface)) {
            if (!chain.add(cur.get().ref())) {
                add(at, what + ": parents form a cycle through " + cur.get().ref(), "a parent must be an interface that exists before its child");
                break;
            }
        }
        if (i.kind() instanceof IfaceKind.Vlan v) {
            long same = lab.interfaces().stream().filter(o -> o.kind() instanceof IfaceKind.Vlan ov && ov.parent().equals(parent) && ov.id() == v.id()).count();
            if (same > 1)
                add(i.src().field("id"), what + ": VLAN id " + v.id() + " is used twice on " + parent, "one sub-interface per id and parent");
        }
    }

    private static Optional<IfRef> parentOf(Iface i) {
        return switch (i.kind()) {
            case IfaceKind.Macvlan m -> Optional.of(m.parent());
            case IfaceKind.Ipvlan m -> Optional.of(m.parent());
            case IfaceKind.Vlan v -> Optional.of(v.parent());
            default -> Optional.empty();
        };
    }

    private void vxlan(Node n, Iface i, IfaceKind.Vxlan x, String what) {
        if (x.remote().isPresent() && x.group().isPresent())
            add(i.src().field("group"), what + ": 'remote' and 'group' together", "unicast to one peer (remote) or multicast (group), not both");
        x.group().ifPresent(g -> {
            if (!g.isMulticastAddress()) add(i.src().field("group"), what + ": group " + Ip.text(g) + " is not a multicast address", "use e.g. 239.1.1.1");
            if (x.dev().isEmpty()) add(i.src().field("group"), what + ": a multicast group needs 'dev:'", "name the underlay interface");
        });
        x.remote().ifPresent(r -> {
            if (r.isMulticastAddress()) add(i.src().field("remote"), what + ": remote " + Ip.text(r) + " is multicast", "use 'group:' for multicast");
        });
        x.local().ifPresent(l -> {
            boolean mine = n.interfaces().stream().flatMap(o -> o.addresses().stream()).anyMatch(c -> c.address().equals(l));
            if (!mine) add(i.src().field("local"), what + ": local " + Ip.text(l) + " is not an address of node " + n.name(),
                    "use one of the node's own addresses");
        });
        x.dev().ifPresent(d -> {
            if (n.iface(d).isEmpty() && !brokenIfaces.contains(new IfRef(n.name(), d)))
                add(i.src().field("dev"), what + ": underlay dev '" + d + "' is not an interface of node " + n.name(), "name an interface of the same node");
        });
        if (x.remote().isPresent() && x.remote().map(Ip::isV6).orElse(false) != x.local().map(Ip::isV6).orElse(x.remote().map(Ip::isV6).orElse(false)))
            add(i.src().field("remote"), what + ": local and remote are of different IP families", "use IPv4 or IPv6 on both");
    }

    private void vxlanIds() {
        for (Node n : lab.nodes()) {
            Map<String, Iface> seen = new HashMap<>();
            for (Iface i : n.interfaces()) {
                if (!(i.kind() instanceof IfaceKind.Vxlan x)) continue;
                Iface first = seen.putIfAbsent(x.vni() + "/" + x.dstPort(), i);
                if (first != null)
                    add(i.src().field("vni"), "node " + n.name() + ": VNI " + x.vni() + " on port " + x.dstPort() + " is used by " + first.name() + " and " + i.name(),
                            "the kernel allows one VXLAN device per VNI and port in a namespace");
            }
        }
    }

    private void bridges(Node n) {
        Map<String, Iface> portOf = new HashMap<>();
        for (Iface b : n.interfaces()) {
            if (!(b.kind() instanceof IfaceKind.Bridge br)) continue;
            String what = "bridge " + b.name() + " of node " + n.name();
            if (br.ports().size() > KernelLimits.BRIDGE_TREE_PORTS)
                add(b.src().field("ports"), what + " has " + br.ports().size() + " ports; a kernel bridge takes " + KernelLimits.BRIDGE_PORTS
                        + " (BR_MAX_PORTS, EXFULL beyond) and nslab's tree of bridges at most " + KernelLimits.BRIDGE_TREE_PORTS,
                        "split the segment over several bridges joined by routers or veth pairs");
            for (String p : br.ports()) {
                Loc at = b.src().field("ports");
                if (p.equals(b.name())) {
                    add(at, what + ": a bridge cannot be its own port", "list the interfaces to enslave");
                    continue;
                }
                if (p.indexOf(':') >= 0) {
                    add(at, what + ": port '" + p + "' names another node", "a bridge's ports are interfaces of its own node; link the other node with a veth pair");
                    continue;
                }
                Optional<Iface> port = ifaceRef(new IfRef(n.name(), p), at, what + ": port");
                if (port.isEmpty()) continue;
                Iface other = portOf.putIfAbsent(p, b);
                if (other != null) {
                    add(at, what + ": " + p + " is already a port of bridge " + other.name(), "an interface has one master");
                    continue;
                }
                if (port.get().kind() instanceof IfaceKind.Bridge)
                    add(at, what + ": port " + p + " is a bridge", "bridges cannot be nested; join them with a veth pair");
                if (!port.get().addresses().isEmpty())
                    add(port.get().src().field("addresses"), "interface " + p + " of node " + n.name() + " is a port of bridge " + b.name()
                            + " and has an address", "put the address on the bridge " + b.name() + "; a bridge port's own address is not used for forwarding");
            }
        }
    }

    private void link(Link l) {
        String what = "link " + l;
        for (Iface e : List.of(l.a(), l.b())) nodeRef(e.node(), e.src().at(), what);
        if (l.a().ref().equals(l.b().ref()))
            add(l.src().at(), what + ": both ends are the same interface", "a veth pair joins two different interfaces");
        if (l.a().kind() instanceof IfaceKind.Veth va && va.standIn() && l.b().kind() instanceof IfaceKind.Veth vb && vb.standIn())
            add(l.b().src().field("physical"), what + ": both ends are physical stand-ins",
                    "mark only the end that plays the NIC moved into its node; the other end stays where it is made");
        if (l.differentSubnets()) return;
        for (boolean v6 : new boolean[] {false, true}) {
            List<IpPrefix> as = l.a().addresses().stream().filter(c -> c.isIpv6() == v6).toList();
            List<IpPrefix> bs = l.b().addresses().stream().filter(c -> c.isIpv6() == v6).toList();
            if (as.isEmpty() || bs.isEmpty()) continue;
            for (IpPrefix a : as) {
                if (bs.stream().noneMatch(b -> b.network().contains(a.address()) || a.network().contains(b.address())))
                    add(l.a().src().field("addresses"), "address " + a + " of " + l.a().ref() + " is outside the subnet of the other end "
                            + l.b().ref() + " (" + String.join(", ", bs.stream().map(b -> b.network().toString()).toList()) + ")",
                            "put both ends on one subnet, or add 'different-subnets: true' to the link and route between them");
            }
            for (IpPrefix b : bs) {
                if (as.stream().noneMatch(a -> a.network().contains(b.address()) || b.network().contains(a.address())))
                    add(l.b().src().field("addresses"), "address " + b + " of " + l.b().ref() + " is outside the subnet of the other end "
                            + l.a().ref() + " (" + String.join(", ", as.stream().map(a -> a.network().toString()).toList()) + ")",
                            "put both ends on one subnet, or add 'different-subnets: true' to the link and route between them");
            }
        }
        // A port's peer talks to the bridge's subnet.
        for (Iface[] pair : new Iface[][] {{l.a(), l.b()}, {l.b(), l.a()}}) {
            Optional<Iface> master = Optional.ofNullable(masters.get(pair[0].ref()));
            if (master.isEmpty()) continue;
            for (IpPrefix c : pair[1].addresses()) {
                List<IpPrefix> bridgeNets = master.get().addresses().stream().filter(x -> x.isIpv6() == c.isIpv6()).toList();
                if (!bridgeNets.isEmpty() && bridgeNets.stream().noneMatch(x -> x.network().contains(c.address())))
                    add(pair[1].src().field("addresses"), "address " + c + " of " + pair[1].ref() + " is outside the subnet of bridge "
                            + master.get().ref() + " (" + String.join(", ", bridgeNets.stream().map(x -> x.network().toString()).toList()) + ")",
                            "use an address in the bridge's subnet, or add 'different-subnets: true' to the link");
            }
        }
    }

    // ------------------------------------------------------------ addresses across the lab

    private void addresses(Segments segments) {
        Map<InetAddress, Iface> owner = new HashMap<>();
        record Net(IpPrefix net, Iface on, String segment) {}
        List<Net> nets = new ArrayList<>();
        Set<String> seenNets = new HashSet<>(); // one entry per subnet and segment: a 1000-node bridge is one entry
        for (Iface i : lab.interfaces()) {
            for (IpPrefix c : i.addresses()) {
                Iface first = owner.putIfAbsent(c.address(), i);
                if (first != null)
                    add(i.src().field("addresses"), "duplicate address " + Ip.text(c.address()) + ": on " + i.ref() + " and on " + first.ref()
                            + " (line " + first.src().field("addresses").line() + ")", "every address of a lab must be unique");
                String seg = segments.segmentOf(i.ref());
                if (seenNets.add(seg + "|" + c.network())) nets.add(new Net(c.network(), i, seg));
            }
        }
        Set<String> reported = new HashSet<>();
        for (int x = 0; x < nets.size(); x++) {
            for (int y = 0; y < x; y++) {
                Net a = nets.get(x), b = nets.get(y);
                if (a.segment.equals(b.segment) || !a.net.overlaps(b.net)) continue;
                if (a.on.node().equals(b.on.node()) && a.on.name().equals(b.on.name())) continue;
                String ka = a.segment + "|" + a.net, kb = b.segment + "|" + b.net;
                if (!reported.add(ka.compareTo(kb) < 0 ? ka + "||" + kb : kb + "||" + ka)) continue;
                add(a.on.src().field("addresses"), "subnet " + a.net + " on " + a.on.ref() + " overlaps " + b.net + " on " + b.on.ref()
                        + " (line " + b.on.src().field("addresses").line() + "), which is on another segment",
                        "give each segment its own subnet, or connect the two interfaces (same link or bridge)");
            }
        }
    }

    private void macs() {
        Map<Mac, Iface> seen = new HashMap<>();
        for (Iface i : lab.interfaces()) {
            if (i.mac().isEmpty()) continue;
            Iface first = seen.putIfAbsent(i.mac().get(), i);
            if (first != null)
                add(i.src().field("mac"), "duplicate MAC " + i.mac().get() + ": on " + i.ref() + " and on " + first.ref(), "every MAC of a lab must be unique");
        }
    }

    // ------------------------------------------------------------ routes

    private void routes(Node n) {
        Set<String> seen = new HashSet<>();
        for (Route r : n.routes()) {
            String what = "node " + n.name() + " route to " + (r.isDefault() ? "default" : r.dst().toString());
            if (!seen.add(r.dst().network() + "/" + r.metric()))
                add(r.src().at(), what + ": the same destination twice" + (r.metric().isPresent() ? " with the same metric" : ""),
                        "remove one, or give them different metrics");
            if (!r.isDefault() && !r.dst().network().equals(r.dst()))
                add(r.src().field("dst"), what + ": " + r.dst() + " has host bits set", "write the subnet " + r.dst().network());
            Optional<Iface> dev = Optional.empty();
            if (r.dev().isPresent()) {
                if (r.dev().get().equals("lo")) dev = Optional.empty();
                else dev = ifaceRef(new IfRef(n.name(), r.dev().get()), r.src().field("dev"), what + ": dev");
            }
            if (r.via().isEmpty()) continue;
            InetAddress via = r.via().get();
            if (Ip.isV6(via) != r.isV6()) {
                add(r.src().field("via"), what + ": gateway " + Ip.text(via) + " is not of the destination's IP family", "use an IPv" + (r.isV6() ? "6" : "4") + " gateway");
                continue;
            }
            if (via.isLinkLocalAddress() && r.dev().isPresent()) continue;
            List<Iface> candidates = dev.map(List::of).orElse(n.interfaces());
            if (r.dev().isPresent() && dev.isEmpty()) continue;
            boolean direct = candidates.stream().flatMap(i -> i.addresses().stream()).anyMatch(c -> c.network().contains(via));
            boolean own = n.interfaces().stream().flatMap(i -> i.addresses().stream()).anyMatch(c -> c.address().equals(via));
            if (own)
                add(r.src().field("via"), what + ": gateway " + Ip.text(via) + " is an address of node " + n.name() + " itself", "the gateway is the next hop, another node's address");
            else if (!direct)
                add(r.src().field("via"), what + ": gateway " + Ip.text(via) + " is not on a subnet directly connected to "
                                + (r.dev().isPresent() ? r.dev().get() : "node " + n.name())
                                + " (" + String.join(", ", candidates.stream().flatMap(i -> i.addresses().stream()).map(c -> c.network().toString()).distinct().toList()) + ")",
                        "use a gateway on one of these subnets, or give the node an address on the gateway's subnet");
        }
    }

    // ------------------------------------------------------------ NAT and ports

    private void nat(Node n) {
        for (Masquerade m : n.nat()) {
            String what = "node " + n.name() + " masquerade of " + m.source();
            if (!m.source().network().equals(m.source()))
                add(m.src().field("masquerade"), what + ": " + m.source() + " has host bits set", "write the subnet " + m.source().network());
            m.out().ifPresent(o -> ifaceRef(new IfRef(n.name(), o), m.src().field("out"), what + ": out"));
            m.notOut().ifPresent(o -> ifaceRef(new IfRef(n.name(), o), m.src().field("not-out"), what + ": not-out"));
            if (!(m.source().isIpv6() ? n.forwarding().ipv6() : n.forwarding().ipv4()))
                add(m.src().at(), what + ": node " + n.name() + " does not forward IPv" + (m.source().isIpv6() ? "6" : "4"),
                        "add 'forwarding: true' to node " + n.name() + " (NAT for other nodes needs forwarding)");
        }
    }

    private void publish(Node n) {
        Set<String> seen = new HashSet<>();
        for (Publish p : n.publish()) {
            String what = "node " + n.name() + " publish " + p.proto().word() + " " + p.port();
            if (!seen.add(p.proto() + "/" + p.port()))
                add(p.src().field("port"), what + ": port " + p.port() + "/" + p.proto().word() + " is published twice", "each published port goes to one place");
            p.in().ifPresent(i -> ifaceRef(new IfRef(n.name(), i), p.src().field("in"), what + ": in"));
            if (p.to().equals(n.name()))
                add(p.src().field("to"), what + ": forwards to its own node", "publish to another node");
            if (!nodeRef(p.to(), p.src().field("to"), what)) continue;
            Optional<InetAddress> target = lab.publishTarget(n.name(), p);
            if (target.isEmpty())
                add(p.src().field("to"), what + ": node " + p.to() + " has no address on a subnet of node " + n.name(),
                        "connect them (link or bridge) with addresses on one subnet, or give 'address:'");
            else if (p.toAddress().isPresent() && lab.addressesOf(p.to()).stream().noneMatch(c -> c.address().equals(target.get())))
                add(p.src().field("address"), what + ": " + Ip.text(target.get()) + " is not an address of node " + p.to(), "use one of its addresses");
            if (!n.forwarding().ipv4() && target.map(a -> !Ip.isV6(a)).orElse(true))
                add(p.src().at(), what + ": node " + n.name() + " does not forward IPv4", "add 'forwarding: true' to node " + n.name() + " (published ports forward to another node)");
        }
    }

    private void services(Node n) {
        Set<String> seen = new HashSet<>();
        for (Service s : n.serve()) {
            if (!seen.add(s.proto().transport() + "/" + s.port()))
                add(s.src().at(), "node " + n.name() + ": " + s.proto().transport().word() + " port " + s.port() + " is served twice", "one service per port");
        }
    }

    // ------------------------------------------------------------ expectations

    /**
     * Whether a probe of {@code proto} to {@code port} of node {@code n} finds a responder: a service of the node
     * (an HTTP service also answers TCP), a {@code run:} process ready on that port, or a published port whose
     * target serves it.
     */
    private boolean serves(Node n, Proto proto, int port, int depth) {
        if (RunChecks.listens(n, proto, port)) return true;
        for (Service s : n.serve())
            if (s.port() == port && (s.proto() == proto || (proto == Proto.TCP && s.proto() == Proto.HTTP))) return true;
        if (depth > 4) return false;
        for (Publish p : n.publish())
            if (p.port() == port && p.proto() == proto.transport()
                    && node(p.to()).map(t -> serves(t, proto, p.toPort(), depth + 1)).orElse(true)) return true;
        return false;
    }

    private void expectation(Expectation e) {
        String what = "expectation '" + e + "'";
        Loc at = e.src().has("from") ? e.src().field("from") : e.src().at();
        boolean fromOk = nodeRef(e.from(), at, what);
        Loc tat = e.src().has("to") ? e.src().field("to") : e.src().at();
        switch (e.to()) {
            case Target.NodeTarget t -> {
                if (nodeRef(t.node(), tat, what) && lab.addressesOf(t.node()).isEmpty())
                    add(tat, what + ": node " + t.node() + " has no address to probe", "give it an address, or aim at an address");
            }
            case Target.IfaceTarget t -> ifaceRef(t.ref(), tat, what).ifPresent(i -> {
                if (i.addresses().isEmpty()) add(tat, what + ": " + t.ref() + " has no address to probe", "give it an address");
            });
            case Target.AddressTarget t -> {
                // a loopback address is probed inside `from`'s own namespace: still nothing leaves the lab
                boolean inLab = t.address().isLoopbackAddress()
                        || lab.interfaces().stream().flatMap(i -> i.addresses().stream()).anyMatch(c -> c.address().equals(t.address()));
                if (!inLab)
                    add(tat, what + ": " + Ip.text(t.address()) + " is not an address of this lab",
                            "probes only go to the lab's own addresses (or the loopback of the probing node); aim at a node of the lab (make an 'outside' node for the world)");
            }
        }
        if (e.reach() && e.proto().hasPort()) {
            Optional<String> owner = switch (e.to()) {
                case Target.NodeTarget t -> Optional.of(t.node());
                case Target.IfaceTarget t -> Optional.of(t.ref().node());
                case Target.AddressTarget t when t.address().isLoopbackAddress() -> Optional.of(e.from());
                case Target.AddressTarget t -> lab.interfaces().stream()
                        .filter(i -> i.addresses().stream().anyMatch(c -> c.address().equals(t.address()))).map(Iface::node).findFirst();
            };
            int port = e.port().orElseThrow();
            owner.flatMap(this::node).ifPresent(n -> {
                if (!serves(n, e.proto(), port, 0))
                    add(e.src().has("port") ? e.src().field("port") : e.src().at(), what + ": node " + n.name() + " does not serve "
                                    + e.proto().word() + " " + port + (e.proto() == Proto.HTTP ? "" : " (nor publish it)"),
                            "add 'serve: [" + e.proto().word() + " " + port + "]' to node " + n.name()
                                    + ", or expect 'cannot reach' if nothing should answer");
                // the bulk transfer of a rate comes back through the tcp (echo) service; an http one does not echo
                else if (e.measure().filter(Measure.Throughput.class::isInstance).isPresent()
                        && n.serve().stream().anyMatch(s -> s.port() == port && s.proto() == Proto.HTTP)
                        && n.serve().stream().noneMatch(s -> s.port() == port && s.proto() == Proto.TCP))
                    add(e.src().at(), what + ": node " + n.name() + " serves http " + port + ", and a rate is measured through a tcp service (it echoes)",
                            "serve 'tcp " + port + "' on node " + n.name() + " for the rate");
            });
        }
        if (fromOk && e.to() instanceof Target.NodeTarget t && t.node().equals(e.from()))
            add(at, what + ": a node probing itself proves nothing about the network", "aim at another node");
    }
}
