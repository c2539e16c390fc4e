package io.nslab.lab.plan;

import io.nslab.lab.model.Impair;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the kernel holds now, as far as a plan needs to know: the named
 * namespaces, and for each namespace a step touches that exists, its links,
 * addresses, routes, the sysctls the steps set, and its nftables tables.
 */
public record Observed(Set<String> namespaces, Map<NsRef, View> views) {
    public Observed {
        namespaces = Set.copyOf(namespaces);
        views = Map.copyOf(views);
    }

    /**
     * One namespace. Addresses are {@code LINK/CIDR}, routes are {@code DST} or {@code DST metric M};
     * {@code impairs} are the root qdiscs nslab could have made (tbf, netem) by link, in {@link Impair} terms.
     */
    public record View(Map<String, Link> links, Set<String> addresses, Set<String> routes,
                       Map<String, String> sysctls, Set<String> nftTables, Map<String, Impair> impairs) {
        public static final View EMPTY = new View(Map.of(), Set.of(), Set.of(), Map.of(), Set.of());

        public View {
            links = Map.copyOf(links);
            addresses = Set.copyOf(addresses);
            routes = Set.copyOf(routes);
            sysctls = Map.copyOf(sysctls);
            nftTables = Set.copyOf(nftTables);
            impairs = Map.copyOf(impairs);
        }

        public View(Map<String, Link> links, Set<String> addresses, Set<String> routes,
                    Map<String, String> sysctls, Set<String> nftTables) {
            this(links, addresses, routes, sysctls, nftTables, Map.of());
        }
    }

    /**
     * A link as seen: its kind ({@code IFLA_INFO_KIND}, empty for plain devices), master, admin state, mtu, mac,
     * and whether it is a bridge port in hairpin mode.
     */
    public record Link(String name, String kind, Optional<String> master, boolean up, int mtu, Optional<String> mac,
                       boolean hairpin) {
        public Link(String name, String kind, Optional<String> master, boolean up, int mtu, Optional<String> mac) {
            this(name, kind, master, up, mtu, mac, false);
        }
    }

    public static Observed empty() { return new Observed(Set.of(), Map.of(NsRef.HOST, View.EMPTY)); }

    public boolean exists(NsRef ns) { return ns.isHost() || namespaces.contains(ns.name()); }

    public View view(NsRef ns) { return views.getOrDefault(ns, View.EMPTY); }
}
