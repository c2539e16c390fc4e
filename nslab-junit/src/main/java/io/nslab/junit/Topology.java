package io.nslab.junit;

import io.nslab.lab.model.IfRef;
import io.nslab.lab.model.Iface;
import io.nslab.lab.model.Lab;
import io.nslab.lab.model.Node;
import io.nslab.lab.model.Problem;
import io.nslab.lab.validate.Report;
import io.nslab.lab.validate.Validator;
import io.nslab.netlink.route.IpPrefix;

import java.net.InetAddress;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** The lab model of one instance: what the file says, under the instance's name. No kernel. */
record Topology(Lab model) {
    /** Reads and validates {@code spec}; every problem in one exception, as {@code nslab validate} lists them. */
    static Topology of(LabSpec spec, String instance) {
        return of(spec, base -> instance);
    }

    /**
     * {@link #of(LabSpec, String)} with the instance name made from the name in the file ({@code instanceOf}
     * is given it): one read and one validation per lab.
     */
    static Topology of(LabSpec spec, UnaryOperator<String> instanceOf) {
        Report r = Validator.checkText(spec.text(), spec.label());
        if (!r.ok()) throw new IllegalArgumentException(spec.label() + ": " + r.problems().size() + " problem(s); no lab was made:\n"
                + r.problems().stream().map(Problem::toString).collect(Collectors.joining("\n")));
        Lab lab = r.orThrow();
        return new Topology(lab.named(instanceOf.apply(lab.name())));
    }

    String name() { return model.name(); }

    String namespace(String node) { return model.kernelNames().netns(node); }

    List<String> nodes() { return model.nodes().stream().map(Node::name).toList(); }

    boolean hasNode(String node) { return model.node(node).isPresent(); }

    boolean hasIface(String node, String ifname) { return model.iface(new IfRef(node, ifname)).isPresent(); }

    /** Every address of a node, interface by interface, as the file gives them. */
    List<InetAddress> addresses(String node) {
        return model.addressesOf(node).stream().map(IpPrefix::address).toList();
    }

    List<InetAddress> addresses(String node, String ifname) {
        return model.iface(new IfRef(node, ifname)).map(Iface::addresses).orElse(List.of()).stream().map(IpPrefix::address).toList();
    }
}
