package io.nslab.lab.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The pure heart of {@code up} and {@code plan}: given every step that builds
 * the lab from nothing (in order), what the kernel holds, and what the lab
 * created before (its journal), keep the steps still needed, list what to
 * remove, and refuse objects in the way that the lab did not create.
 */
public final class Planner {
    private Planner() {}

    /**
     * @param desired every step of the lab, in build order
     * @param observed the kernel now
     * @param owned the steps this lab made earlier and has not undone (from its journal), oldest first
     */
    public static Plan plan(List<Step> desired, Observed observed, List<Step> owned) {
        Set<String> ownedKeys = new HashSet<>();
        Set<String> ownedNs = new HashSet<>();
        for (Step s : owned) {
            ownedKeys.add(s.key());
            if (s instanceof Step.AddLink l) l.peerKey().ifPresent(ownedKeys::add);
            if (s instanceof Step.CreateNs c) ownedNs.add(c.name());
        }
        Set<String> desiredNs = new HashSet<>();
        for (Step s : desired) if (s instanceof Step.CreateNs c) desiredNs.add(c.name());

        // a link made under a temporary name and moved: it is there when the move is
        Map<String, Step.MoveLink> moves = new HashMap<>();
        for (Step s : desired) if (s instanceof Step.MoveLink m) moves.put("link " + m.ns() + "/" + m.name(), m);
        List<Step> todo = new ArrayList<>();
        List<String> clashes = new ArrayList<>();
        int satisfied = 0;
        Set<String> desiredKeys = new LinkedHashSet<>();
        for (Step s : desired) {
            desiredKeys.add(s.key());
            if (s instanceof Step.AddLink l) l.peerKey().ifPresent(desiredKeys::add);
            // Inside a namespace the lab creates (or created), every object is the lab's own.
            boolean labNs = !s.ns().isHost() && (ownedNs.contains(s.ns().name()) || desiredNs.contains(s.ns().name())
                    && !observed.exists(s.ns()));
            Optional<String> clash = clash(s, observed, ownedKeys, ownedNs, labNs);
            if (clash.isPresent()) {
                clashes.add(clash.get());
                continue;
            }
            if (satisfied(s, observed, moves)) {
                satisfied++;
                // a port made enslaved and up that was since detached or put down: a set puts it back
                if (s instanceof Step.AddLink l) l.settings().filter(x -> !satisfied(x, observed, moves)).ifPresent(todo::add);
            } else todo.add(s);
        }
        List<Step> removals = new ArrayList<>();
        Set<NsRef> dying = dyingOf(owned, desiredNs);         // once: a lab of 1000 nodes shrinking is not quadratic
        for (int i = owned.size() - 1; i >= 0; i--) {
            Step s = owned.get(i);
            if (!desiredKeys.contains(s.key()) && !(s instanceof Step.SetLink) && !coveredBy(s, dying))
                removals.add(s);
        }
        return new Plan(todo, removals, clashes, satisfied);
    }

    /** Namespaces the lab made that its file no longer has: removing them removes what they hold. */
    private static Set<NsRef> dyingOf(List<Step> owned, Set<String> desiredNs) {
        Set<NsRef> d = new HashSet<>();
        for (Step s : owned) if (s instanceof Step.CreateNs c && !desiredNs.contains(c.name())) d.add(NsRef.of(c.name()));
        return d;
    }

    private static Optional<String> clash(Step s, Observed o, Set<String> ownedKeys, Set<String> ownedNs, boolean labNs) {
        switch (s) {
            case Step.CreateNs c -> {
                if (o.namespaces().contains(c.name()) && !ownedNs.contains(c.name()))
                    return Optional.of("netns " + c.name() + " already exists and was not created by this lab");
            }
            case Step.AddLink l -> {
                if (labNs) return Optional.empty();
                if (exists(o, l.ns(), l.name()) && !ownedKeys.contains(l.key()))
                    return Optional.of("interface " + l.name() + " already exists in " + where(l.ns()) + " and was not created by this lab");
                if (l.spec() instanceof LinkSpec.Veth v && exists(o, v.peerNs(), v.peer())
                        && !ownedKeys.contains("link " + v.peerNs() + "/" + v.peer()) && !ownedNs.contains(v.peerNs().name()))
                    return Optional.of("interface " + v.peer() + " already exists in " + where(v.peerNs()) + " and was not created by this lab");
            }
            case Step.MoveLink m -> {
                // an interface lent by the host is lent once: a second instance of the file finds it gone
                if (m.ns().isHost() && o.exists(m.ns()) && !exists(o, m.ns(), m.name()) && !ownedKeys.contains(m.key())
                        && !exists(o, m.to(), m.newName()))
                    return Optional.of("interface " + m.name() + " is not in the host namespace (another lab, or another instance of this file, may hold it)");
            }
            case Step.NftTable t -> {
                if (!labNs && o.exists(t.ns()) && o.view(t.ns()).nftTables().contains(t.table()) && !ownedKeys.contains(t.key()))
                    return Optional.of("nftables table ip " + t.table() + " already exists in " + where(t.ns()) + " and was not created by this lab");
            }
            default -> { }
        }
        return Optional.empty();
    }

    private static boolean exists(Observed o, NsRef ns, String link) {
        return o.exists(ns) && o.view(ns).links().containsKey(link);
    }

    private static String where(NsRef ns) {
        return ns.isHost() ? "the host namespace" : "netns " + ns;
    }

    /** True when the kernel already has what the step would make. */
    static boolean satisfied(Step s, Observed o, Map<String, Step.MoveLink> moves) {
        if (s instanceof Step.AddLink l && moves.containsKey(l.key())) return satisfied(moves.get(l.key()), o, moves);
        if (!o.exists(s.ns())) return false;
        Observed.View v = o.view(s.ns());
        return switch (s) {
            case Step.CreateNs c -> o.namespaces().contains(c.name());
            case Step.AddLink l -> v.links().containsKey(l.name());
            case Step.MoveLink m -> o.exists(m.to()) && o.view(m.to()).links().containsKey(m.newName())
                    && !v.links().containsKey(m.name());
            case Step.SetLink sl -> {
                Observed.Link l = v.links().get(sl.name());
                yield l != null && (!sl.up() || l.up()) && (sl.master().isEmpty() || sl.master().equals(l.master()))
                        && (sl.mtu().isEmpty() || sl.mtu().getAsInt() == l.mtu())
                        && (sl.mac().isEmpty() || sl.mac().equals(l.mac()));
            }
            case Step.AddAddress a -> v.addresses().contains(a.link() + "/" + a.cidr());
            case Step.AddRoute r -> v.routes().contains(routeKey(r));
            case Step.Sysctl c -> c.value().equals(v.sysctls().get(c.sysctl()));
            case Step.NftTable t -> v.nftTables().contains(t.table());
            case Step.Hairpin h -> v.links().containsKey(h.name()) && v.links().get(h.name()).hairpin();
            case Step.Shape q -> v.links().containsKey(q.link()) && v.impairs().containsKey(q.link())
                    && v.impairs().get(q.link()).sameAs(q.impair());
        };
    }

    /** How a route is named in {@link Observed.View#routes()}. */
    public static String routeKey(Step.AddRoute r) {
        return r.dst() + r.metric().stream().mapToObj(m -> " metric " + m).findFirst().orElse("");
    }

    /** True when deleting {@code dying} namespaces removes what the step made. */
    public static boolean coveredBy(Step s, Set<NsRef> dying) {
        if (s instanceof Step.CreateNs) return false;
        if (s instanceof Step.MoveLink m) return dying.contains(m.ns()) && dying.contains(m.to());
        // a veth end outside the dying namespaces would vanish only when the kernel gets round to it: delete it now
        if (s instanceof Step.AddLink l && l.spec() instanceof LinkSpec.Veth v && !dying.contains(v.peerNs())) return false;
        return dying.contains(s.ns());
    }

}
