package io.nslab.lab.apply;

import io.nslab.lab.model.Impair;
import io.nslab.lab.plan.LinkSpec;
import io.nslab.lab.plan.NsRef;
import io.nslab.lab.plan.Observed;
import io.nslab.lab.plan.Planner;
import io.nslab.lab.plan.Step;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** An in-memory kernel for planner and applier tests: namespaces, links, addresses, routes, sysctls, tables. */
final class FakeKernel implements Executor {
    final class Ns {
        final Map<String, Observed.Link> links = new TreeMap<>();
        final Set<String> addresses = new TreeSet<>();
        final Set<String> routes = new TreeSet<>();
        final Map<String, String> sysctls = new TreeMap<>();
        final Set<String> tables = new TreeSet<>();
        final Map<String, Impair> impairs = new TreeMap<>();
        Ns() { links.put("lo", new Observed.Link("lo", "", Optional.empty(), false, 65536, Optional.empty())); }
        String dump() { return links + " " + addresses + " " + routes + " " + sysctls + " " + tables + (impairs.isEmpty() ? "" : " " + impairs); }
    }

    final Map<NsRef, Ns> spaces = new LinkedHashMap<>();
    int applied;

    FakeKernel() { spaces.put(NsRef.HOST, new Ns()); spaces.get(NsRef.HOST).sysctls.put("net/ipv4/ip_forward", "0"); }

    /** Everything, for before/after comparisons. */
    String dump() {
        StringBuilder b = new StringBuilder();
        new TreeMap<String, Ns>(toNames()).forEach((k, v) -> b.append(k).append(": ").append(v.dump()).append('\n'));
        return b.toString();
    }

    private Map<String, Ns> toNames() {
        Map<String, Ns> m = new HashMap<>();
        spaces.forEach((k, v) -> m.put(k.toString(), v));
        return m;
    }

    private Ns ns(NsRef r) throws Exception {
        Ns n = spaces.get(r);
        if (n == null) throw new Exception("netns " + r + ": No such file or directory");
        return n;
    }

    @Override public Observed observe(List<Step> steps) {
        Set<String> names = new HashSet<>();
        Map<NsRef, Observed.View> views = new HashMap<>();
        spaces.forEach((k, v) -> {
            if (!k.isHost()) names.add(k.name());
            views.put(k, new Observed.View(v.links, v.addresses, v.routes, v.sysctls, v.tables, v.impairs));
        });
        return new Observed(names, views);
    }

    @Override public Optional<String> before(Step s) {
        if (s instanceof Step.Sysctl c && spaces.containsKey(c.ns())) return Optional.ofNullable(spaces.get(c.ns()).sysctls.get(c.sysctl()));
        return Optional.empty();
    }

    @Override public void apply(Step s) throws Exception {
        applied++;
        switch (s) {
            case Step.CreateNs c -> {
                if (spaces.containsKey(NsRef.of(c.name()))) throw new Exception("netns add " + c.name() + ": File exists");
                spaces.put(NsRef.of(c.name()), new Ns());
            }
            case Step.AddLink l -> {
                Ns n = ns(l.ns());
                if (n.links.containsKey(l.name())) throw new Exception("link add " + l.name() + ": File exists");
                n.links.put(l.name(), new Observed.Link(l.name(), l.spec().kind(), Optional.empty(), false, 1500, Optional.empty()));
                if (l.spec() instanceof LinkSpec.Veth v)
                    ns(v.peerNs()).links.put(v.peer(), new Observed.Link(v.peer(), "veth", Optional.empty(), false, 1500, Optional.empty()));
            }
            case Step.MoveLink m -> {
                Observed.Link l = ns(m.ns()).links.remove(m.name());
                if (l == null) throw new Exception("link set " + m.name() + ": No such device");
                ns(m.to()).links.put(m.newName(), new Observed.Link(m.newName(), l.kind(), Optional.empty(), false, l.mtu(), l.mac()));
            }
            case Step.SetLink sl -> {
                Ns n = ns(sl.ns());
                Observed.Link l = n.links.get(sl.name());
                if (l == null) throw new Exception("link set " + sl.name() + ": No such device");
                n.links.put(sl.name(), new Observed.Link(l.name(), l.kind(), sl.master().or(l::master), sl.up() || l.up(),
                        sl.mtu().orElse(l.mtu()), sl.mac().or(l::mac), l.hairpin()));
            }
            case Step.Hairpin h -> hairpin(h, true);
            case Step.AddAddress a -> ns(a.ns()).addresses.add(a.link() + "/" + a.cidr());
            case Step.AddRoute r -> ns(r.ns()).routes.add(Planner.routeKey(r));
            case Step.Sysctl c -> ns(c.ns()).sysctls.put(c.sysctl(), c.value());
            case Step.NftTable t -> ns(t.ns()).tables.add(t.table());
            case Step.Shape q -> {
                Ns n = ns(q.ns());
                if (!n.links.containsKey(q.link())) throw new Exception("qdisc replace dev " + q.link() + ": Cannot find device");
                n.impairs.put(q.link(), q.impair());
            }
        }
    }

    private void hairpin(Step.Hairpin h, boolean on) throws Exception {
        Ns n = ns(h.ns());
        Observed.Link l = n.links.get(h.name());
        if (l == null) throw new Exception("link set " + h.name() + ": No such device");
        if (l.master().isEmpty()) throw new Exception("link set " + h.name() + " type bridge_slave: Operation not supported");
        n.links.put(h.name(), new Observed.Link(l.name(), l.kind(), l.master(), l.up(), l.mtu(), l.mac(), on));
    }

    @Override public void undo(Step s, Optional<String> previous, Set<NsRef> dying) throws Exception {
        if (Planner.coveredBy(s, dying)) return;
        switch (s) {
            case Step.CreateNs c -> spaces.remove(NsRef.of(c.name()));
            case Step.AddLink l -> {
                Ns n = spaces.get(l.ns());
                if (n != null) n.links.remove(l.name());
                if (l.spec() instanceof LinkSpec.Veth v && spaces.get(v.peerNs()) != null) spaces.get(v.peerNs()).links.remove(v.peer());
            }
            case Step.MoveLink m -> {
                Ns to = spaces.get(m.to());
                Observed.Link l = to == null ? null : to.links.remove(m.newName());
                if (l != null) ns(m.ns()).links.put(m.name(), new Observed.Link(m.name(), l.kind(), Optional.empty(), false, l.mtu(), l.mac()));
            }
            case Step.SetLink sl -> { }
            case Step.Hairpin h -> { if (spaces.get(h.ns()) != null && spaces.get(h.ns()).links.containsKey(h.name())) hairpin(h, false); }
            case Step.AddAddress a -> { if (spaces.get(a.ns()) != null) spaces.get(a.ns()).addresses.remove(a.link() + "/" + a.cidr()); }
            case Step.AddRoute r -> { if (spaces.get(r.ns()) != null) spaces.get(r.ns()).routes.remove(Planner.routeKey(r)); }
            case Step.Sysctl c -> {
                Ns n = spaces.get(c.ns());
                if (n != null) {
                    if (previous.isPresent()) n.sysctls.put(c.sysctl(), previous.get());
                    else n.sysctls.remove(c.sysctl());
                }
            }
            case Step.NftTable t -> { if (spaces.get(t.ns()) != null) spaces.get(t.ns()).tables.remove(t.table()); }
            case Step.Shape q -> { if (spaces.get(q.ns()) != null) spaces.get(q.ns()).impairs.remove(q.link()); }
        }
    }
}
