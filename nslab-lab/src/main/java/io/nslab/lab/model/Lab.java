package io.nslab.lab.model;

import io.nslab.netlink.route.IpPrefix;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A lab: the whole topology of one file. Pure data, no kernel.
 *
 * @param name         lab name (namespace prefix, see {@link KernelNames})
 * @param nodes        nodes in file order; each holds its interfaces (veth ends included), routes, NAT...
 * @param links        veth pairs; their ends are the same {@link Iface} values found in the nodes
 * @param expectations what {@code verify} checks, in file order
 * @param impairments  the file's {@code impair:} settings, one per interface (links' spread to both ends)
 */
public record Lab(String name, Optional<String> description, List<Node> nodes, List<Link> links,
                  List<Expectation> expectations, Src src, List<Impairment> impairments) {
    public Lab {
        nodes = List.copyOf(nodes);
        links = List.copyOf(links);
        expectations = List.copyOf(expectations);
        impairments = List.copyOf(impairments);
    }

    /** A lab without impairments. */
    public Lab(String name, Optional<String> description, List<Node> nodes, List<Link> links,
               List<Expectation> expectations, Src src) {
        this(name, description, nodes, links, expectations, src, List.of());
    }

    /** The impairment of an interface, if the file gives one. */
    public Optional<Impairment> impairment(IfRef ref) {
        return impairments.stream().filter(i -> i.at().equals(ref)).findFirst();
    }

    /**
     * The same lab under another name: an instance of one file beside the first ({@code up FILE --name NAME}).
     * Every kernel name derives from the lab name ({@link KernelNames}), so nothing else changes.
     */
    public Lab named(String instance) {
        return new Lab(instance, description, nodes, links, expectations, src);
    }

    public KernelNames kernelNames() {
        return new KernelNames(name);
    }

    public Optional<Node> node(String n) {
        return nodes.stream().filter(x -> x.name().equals(n)).findFirst();
    }

    public Optional<Iface> iface(IfRef ref) {
        return node(ref.node()).flatMap(n -> n.iface(ref.name()));
    }

    /** Every interface of the lab, node by node. */
    public List<Iface> interfaces() {
        List<Iface> all = new ArrayList<>();
        for (Node n : nodes) all.addAll(n.interfaces());
        return all;
    }

    /** The bridge (of the same node) that {@code ref} is a port of. */
    public Optional<Iface> masterOf(IfRef ref) {
        return node(ref.node()).flatMap(n -> n.interfaces().stream()
                .filter(i -> i.kind() instanceof IfaceKind.Bridge b && b.ports().contains(ref.name()))
                .findFirst());
    }

    /** The link whose one end is {@code ref}. */
    public Optional<Link> linkOf(IfRef ref) {
        return links.stream().filter(l -> l.a().ref().equals(ref) || l.b().ref().equals(ref)).findFirst();
    }

    /** Subnets directly connected to a node: the networks of its interface addresses. */
    public List<IpPrefix> connectedSubnets(String node) {
        return node(node).map(n -> n.interfaces().stream().flatMap(i -> i.addresses().stream())
                .map(IpPrefix::network).distinct().toList()).orElse(List.of());
    }

    /** All addresses of a node, interface by interface. */
    public List<IpPrefix> addressesOf(String node) {
        return node(node).map(n -> n.interfaces().stream().flatMap(i -> i.addresses().stream()).toList())
                .orElse(List.of());
    }

    /**
     * The address a published port of {@code node} forwards to: {@code p.toAddress()} when written, else the
     * first address of the target node that lies in a subnet directly connected to {@code node}
     * (172.17.10.10 for {@code to: nginx:80} published by {@code docker}).
     */
    public Optional<InetAddress> publishTarget(String node, Publish p) {
        if (p.toAddress().isPresent()) return p.toAddress();
        List<IpPrefix> mine = connectedSubnets(node);
        return addressesOf(p.to()).stream()
                .filter(a -> mine.stream().anyMatch(s -> s.contains(a.address())))
                .map(IpPrefix::address).findFirst();
    }

    /**
     * Addresses a probe to {@code t} from node {@code from} may use: the address itself; an interface's
     * addresses; or a node's addresses, those on a subnet {@code from} is directly connected to first.
     */
    public List<InetAddress> targetAddresses(String from, Target t) {
        return switch (t) {
            case Target.AddressTarget a -> List.of(a.address());
            case Target.IfaceTarget i -> iface(i.ref()).map(x -> x.addresses().stream().map(IpPrefix::address).toList())
                    .orElse(List.of());
            case Target.NodeTarget n -> {
                List<IpPrefix> mine = connectedSubnets(from);
                List<InetAddress> near = new ArrayList<>(), far = new ArrayList<>();
                for (IpPrefix c : addressesOf(n.node()))
                    (mine.stream().anyMatch(s -> s.contains(c.address())) ? near : far).add(c.address());
                near.addAll(far);
                yield near;
            }
        };
    }
}
