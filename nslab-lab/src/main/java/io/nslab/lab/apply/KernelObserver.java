package io.nslab.lab.apply;

import io.nslab.lab.plan.LinkSpec;
import io.nslab.lab.plan.NsRef;
import io.nslab.lab.plan.Observed;
import io.nslab.lab.plan.Step;
import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.netns.NetNsException;
import io.nslab.netlink.nft.Family;
import io.nslab.netlink.nft.Nft;
import io.nslab.netlink.nft.TableRef;
import io.nslab.netlink.route.Address;
import io.nslab.netlink.route.AddressFamily;
import io.nslab.netlink.route.Link;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkLayerAddress;
import io.nslab.netlink.route.LinkSlave;
import io.nslab.netlink.route.Route;
import io.nslab.netlink.tc.Qdisc;
import io.nslab.lab.model.Impair;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

/** Reads the kernel state a plan needs ({@link Executor#observe}): links, addresses, routes, sysctls, nft tables. */
final class KernelObserver {
    private final NsHandles handles;

    KernelObserver(NsHandles handles) {
        this.handles = handles;
    }

    Observed observe(List<Step> steps) throws Exception {
        Set<String> names = new HashSet<>(NetNs.list());
        Map<NsRef, Set<String>> sysctls = new LinkedHashMap<>();
        Set<NsRef> nft = new HashSet<>();
        Set<NsRef> qdiscs = new HashSet<>();
        Map<NsRef, Set<Integer>> routeFamilies = new HashMap<>();
        for (Step s : steps) {
            if (s instanceof Step.AddRoute r)
                routeFamilies.computeIfAbsent(r.ns(), k -> new HashSet<>()).add(r.dst().contains(":") ? AddressFamily.INET6 : AddressFamily.INET);
            // a namespace to make needs only the names (the planner reads no view for it): a lab whose every
            // other step is inside its own namespaces reads nothing of the host namespace (no link, address dump)
            if (s instanceof Step.CreateNs) continue;
            NsRef ns = s.ns();
            sysctls.computeIfAbsent(ns, k -> new HashSet<>());
            if (s instanceof Step.MoveLink m) sysctls.computeIfAbsent(m.to(), k -> new HashSet<>());
            if (s instanceof Step.AddLink l && l.spec() instanceof LinkSpec.Veth v) sysctls.computeIfAbsent(v.peerNs(), k -> new HashSet<>());
            if (s instanceof Step.Sysctl c) sysctls.get(ns).add(c.sysctl());
            if (s instanceof Step.NftTable) nft.add(ns);
            if (s instanceof Step.Shape) qdiscs.add(ns);
        }
        Map<NsRef, Observed.View> views = new ConcurrentHashMap<>();
        List<List<NsRef>> share = new ArrayList<>();
        for (int w = 0; w < NsHandles.WORKERS; w++) share.add(new ArrayList<>());
        int n = 0;
        for (NsRef ref : sysctls.keySet()) if (ref.isHost() || names.contains(ref.name())) share.get(n++ % NsHandles.WORKERS).add(ref);
        // the namespaces are read on both roamers at once: a second `up` of a 1000-node lab reads 1000 of them
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < NsHandles.WORKERS; w++) {
            List<NsRef> mine = share.get(w);
            if (mine.isEmpty()) continue;
            running.add(handles.submit(w, () -> {
                for (NsRef ref : mine) views.put(ref, view(ref, sysctls.get(ref), nft.contains(ref), routeFamilies.getOrDefault(ref, Set.of()), qdiscs.contains(ref)));
                return null;
            }));
        }
        NsHandles.awaitAll(running);
        return new Observed(names, new HashMap<>(views));
    }

    private Observed.View view(NsRef ref, Set<String> sysctlKeys, boolean nftTables, Set<Integer> families, boolean qdiscs) throws Exception {
        try (NsHandles.Lease h = handles.lease(ref)) {
            return view(ref, h, sysctlKeys, nftTables, families, qdiscs);
        }
    }

    private Observed.View view(NsRef ref, NsHandles.Lease h, Set<String> sysctlKeys, boolean nftTables, Set<Integer> families, boolean qdiscs) throws Exception {
        Map<Integer, String> byIndex = new HashMap<>();
        List<Link> links = h.links().dump();
        for (Link l : links) byIndex.put(l.index(), l.name());
        Map<String, Observed.Link> ls = new HashMap<>();
        for (Link l : links) {
            ls.put(l.name(), new Observed.Link(l.name(), l.kind().map(LinkKind::kind).orElse(""),
                    l.master().isPresent() ? Optional.ofNullable(byIndex.get(l.master().getAsInt())) : Optional.empty(),
                    l.isUp(), l.mtu().orElse(0), l.address().map(LinkLayerAddress::toString),
                    l.slave().filter(LinkSlave.BridgePort.class::isInstance).map(p -> ((LinkSlave.BridgePort) p).hairpin()).orElse(false)));
        }
        Set<String> addrs = new HashSet<>();
        for (Address a : h.addresses().dump()) {
            String dev = byIndex.get(a.index());
            if (dev != null) addrs.add(dev + "/" + a.prefix());
        }
        Set<String> routes = new HashSet<>();
        for (int fam : families) {      // only the families the lab routes: a 1000-node lab without routes dumps none
            for (Route r : routes(h, fam)) {
                routes.add(r.destination() + r.metric().stream().filter(m -> m != 0 && fam == AddressFamily.INET)
                        .mapToObj(m -> " metric " + m).findFirst().orElse(""));
            }
        }
        Map<String, String> sys = new HashMap<>();
        for (String k : sysctlKeys) {
            try {
                sys.put(k, handles.sysctl(ref, k));
            } catch (NetNsException e) {
                // an interface's sysctl before the interface exists: not set, then
            }
        }
        Set<String> tables = new HashSet<>();
        if (nftTables) {
            h.ns().call(() -> {
                try (Nft n = Nft.open()) {
                    for (TableRef t : n.listTables()) if (t.family() == Family.IP) tables.add(t.name());
                }
                return null;
            });
        }
        Map<String, Impair> impairs = new HashMap<>();
        if (qdiscs) {       // only where the lab shapes: a 1000-node lab without impairments dumps none
            for (Qdisc q : h.rtnl().qdiscs().dump()) {
                String dev = byIndex.get(q.ifindex());
                if (dev != null && q.isRoot()) Impair.of(q.kind()).ifPresent(i -> impairs.put(dev, i));
            }
        }
        return new Observed.View(ls, addrs, routes, sys, tables, impairs);
    }

    /** The main table; a namespace with no route at all has no main table yet (ENOENT), which is no route. */
    private static List<Route> routes(NsHandles.Lease h, int family) throws Exception {
        try {
            return h.routes().dump(family);
        } catch (ErrnoException e) {
            if (e.is(Errno.ENOENT)) return List.of();
            throw e;
        }
    }
}
