package io.nslab.lab.model;

import java.util.List;
import java.util.Optional;

/**
 * A node: one network namespace ({@link KernelNames#netns}). {@code interfaces} holds every interface that lives
 * in it, veth ends of {@code links:} included, in file order (declared interfaces first).
 *
 * @param loopback bring {@code lo} up (default true; a new namespace starts with it down)
 */
public record Node(String name, List<Iface> interfaces, List<Route> routes, Forwarding forwarding,
                   List<Masquerade> nat, List<Publish> publish, List<Service> serve, boolean loopback, Src src) {
    public Node {
        interfaces = List.copyOf(interfaces);
        routes = List.copyOf(routes);
        nat = List.copyOf(nat);
        publish = List.copyOf(publish);
        serve = List.copyOf(serve);
    }

    public Optional<Iface> iface(String ifname) {
        return interfaces.stream().filter(i -> i.name().equals(ifname)).findFirst();
    }
}
