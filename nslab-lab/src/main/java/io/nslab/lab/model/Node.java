package io.nslab.lab.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A node: one network namespace ({@link KernelNames#netns}). {@code interfaces} holds every interface that lives
 * in it, veth ends of {@code links:} included, in file order (declared interfaces first).
 *
 * @param loopback bring {@code lo} up (default true; a new namespace starts with it down)
 * @param run      processes started after the network is up, in order, each once the one before is ready
 * @param sysctls  net.* keys of the node's namespace, in file order (dots or slashes)
 */
public record Node(String name, List<Iface> interfaces, List<Route> routes, Forwarding forwarding,
                   List<Masquerade> nat, List<Publish> publish, List<Service> serve, boolean loopback,
                   List<Run> run, Map<String, String> sysctls, Src src) {
    public Node {
        run = List.copyOf(run);
        sysctls = Collections.unmodifiableMap(new LinkedHashMap<>(sysctls));
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
