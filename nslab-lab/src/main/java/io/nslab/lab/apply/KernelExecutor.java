package io.nslab.lab.apply;

import io.nslab.lab.plan.LinkSpec;
import io.nslab.lab.plan.NatRule;
import io.nslab.lab.plan.NsRef;
import io.nslab.lab.plan.Observed;
import io.nslab.lab.plan.Planner;
import io.nslab.lab.plan.Step;
import io.nslab.netlink.Addresses;
import io.nslab.netlink.Links;
import io.nslab.netlink.NlRequest;
import io.nslab.netlink.Routes;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.netns.NetNsException;
import io.nslab.netlink.netns.Sysctl;
import io.nslab.netlink.nft.BaseChain;
import io.nslab.netlink.nft.ChainRef;
import io.nslab.netlink.nft.Expr;
import io.nslab.netlink.nft.Family;
import io.nslab.netlink.nft.Nft;
import io.nslab.netlink.nft.PortMapping;
import io.nslab.netlink.route.AddressRequests;
import io.nslab.netlink.route.AddressSpec;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.nft.Proto;
import io.nslab.netlink.nft.Recipes;
import io.nslab.netlink.nft.Rule;
import io.nslab.netlink.nft.TableRef;
import io.nslab.netlink.nft.Transaction;
import io.nslab.netlink.route.Address;
import io.nslab.netlink.route.AddressFamily;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.Link;
import io.nslab.netlink.route.LinkChange;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkLayerAddress;
import io.nslab.netlink.route.LinkNetns;
import io.nslab.netlink.route.LinkOperState;
import io.nslab.netlink.route.LinkRef;
import io.nslab.netlink.route.LinkRequests;
import io.nslab.netlink.route.Route;
import io.nslab.netlink.route.RouteRequests;
import io.nslab.netlink.route.RouteSpec;
import io.nslab.netlink.route.RtConst;
import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.sys.LibC;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Steps made real over netlink: one open handle (thread + rtnetlink socket)
 * per namespace, created on first use and kept for the run. Nothing here
 * spawns a process.
 */
public final class KernelExecutor implements Executor {
    /** An open namespace and the rtnetlink session bound to it. */
    private record Handle(NetNs ns, Rtnl rtnl) {
        Links links() { return rtnl.links(); }
        Addresses addresses() { return rtnl.addresses(); }
        Routes routes() { return rtnl.routes(); }

        void close() {
            rtnl.close();
            ns.close();
        }
    }

    private final Map<NsRef, Handle> open = new ConcurrentHashMap<>();

    /**
     * Platform threads that enter namespace after namespace (setns) to open
     * their sockets, write their sysctls and send grouped steps: for a lab of
     * 1000 nodes that is 1000 setns calls instead of 1000 thread starts, and
     * two of them keep both cores busy. Work that needs a namespace for
     * longer (nft, tun/tap) uses the handle's own thread.
     */
    private static final int WORKERS = 2;
    private final List<ExecutorService> roamers = new ArrayList<>();
    private final Set<Thread> roamerThreads = ConcurrentHashMap.newKeySet();

    {
        for (int w = 0; w < WORKERS; w++) {
            roamers.add(Executors.newSingleThreadExecutor(r -> {
                Thread t = Thread.ofPlatform().daemon(true).name("nslab-roamer").unstarted(r);
                roamerThreads.add(t);
                return t;
            }));
        }
    }

    private interface InNs<T> { T call() throws Exception; }

    private <T> T in(NetNs ns, InNs<T> task) throws Exception {
        if (roamerThreads.contains(Thread.currentThread())) {
            LibC.setns(ns.fd(), LibC.CLONE_NEWNET);
            return task.call();
        }
        var f = roamers.get(0).submit(() -> {
            LibC.setns(ns.fd(), LibC.CLONE_NEWNET);
            return task.call();
        });
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) throw x;
            throw e;
        }
    }

    private Handle handle(NsRef ref) throws Exception {
        Handle h = open.get(ref);
        return h != null ? h : opened(ref);
    }

    /** Opens a namespace's handle once, also when two roamers ask at the same time. */
    private synchronized Handle opened(NsRef ref) throws Exception {
        Handle h = open.get(ref);
        if (h == null) {
            if (ref.isHost()) {
                // the main thread's namespace (a roamer asking may stand in another one)
                h = wrap(NetNs.openPid(ProcessHandle.current().pid()));
            } else {
                NetNs ns = NetNs.open(ref.name());
                try {
                    Rtnl r = in(ns, Rtnl::open);
                    h = new Handle(ns, r);
                } catch (Exception e) {
                    ns.close();
                    throw e;
                }
            }
            open.put(ref, h);
        }
        return h;
    }

    private void sysctl(NsRef ref, String key, String value) throws Exception {
        Handle h = handle(ref);
        if (ref.isHost()) h.ns().sysctl(key, value);
        else in(h.ns(), () -> {
            Sysctl.write(key, value);
            return null;
        });
    }

    private String sysctl(NsRef ref, String key) throws Exception {
        Handle h = handle(ref);
        return ref.isHost() ? h.ns().sysctl(key) : in(h.ns(), () -> Sysctl.read(key));
    }

    private static Handle wrap(NetNs ns) throws NetNsException {
        try {
            Rtnl r = ns.rtnl();
            return new Handle(ns, r);
        } catch (NetNsException | RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    private void forget(NsRef ref) {
        Handle h = open.remove(ref);
        if (h != null) h.close();
    }

    // ------------------------------------------------------------------ observe

    @Override public Observed observe(List<Step> steps) throws Exception {
        Set<String> names = new HashSet<>(NetNs.list());
        Map<NsRef, Set<String>> sysctls = new LinkedHashMap<>();
        Set<NsRef> nft = new HashSet<>();
        Map<NsRef, Set<Integer>> routeFamilies = new HashMap<>();
        for (Step s : steps) {
            if (s instanceof Step.AddRoute r)
                routeFamilies.computeIfAbsent(r.ns(), k -> new HashSet<>()).add(r.dst().contains(":") ? AddressFamily.INET6 : AddressFamily.INET);
            NsRef ns = s.ns();
            sysctls.computeIfAbsent(ns, k -> new HashSet<>());
            if (s instanceof Step.MoveLink m) sysctls.computeIfAbsent(m.to(), k -> new HashSet<>());
            if (s instanceof Step.AddLink l && l.spec() instanceof LinkSpec.Veth v) sysctls.computeIfAbsent(v.peerNs(), k -> new HashSet<>());
            if (s instanceof Step.Sysctl c) sysctls.get(ns).add(c.sysctl());
            if (s instanceof Step.NftTable) nft.add(ns);
        }
        Map<NsRef, Observed.View> views = new ConcurrentHashMap<>();
        List<List<NsRef>> share = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) share.add(new ArrayList<>());
        int n = 0;
        for (NsRef ref : sysctls.keySet()) if (ref.isHost() || names.contains(ref.name())) share.get(n++ % WORKERS).add(ref);
        // the namespaces are read on both roamers at once: a second `up` of a 1000-node lab reads 1000 of them
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            List<NsRef> mine = share.get(w);
            if (mine.isEmpty()) continue;
            running.add(roamers.get(w).submit(() -> {
                for (NsRef ref : mine) views.put(ref, view(ref, sysctls.get(ref), nft.contains(ref), routeFamilies.getOrDefault(ref, Set.of())));
                return null;
            }));
        }
        awaitAll(running);
        return new Observed(names, new HashMap<>(views));
    }

    private Observed.View view(NsRef ref, Set<String> sysctlKeys, boolean nftTables, Set<Integer> families) throws Exception {
        Handle h = handle(ref);
        Map<Integer, String> byIndex = new HashMap<>();
        List<Link> links = h.links().dump();
        for (Link l : links) byIndex.put(l.index(), l.name());
        Map<String, Observed.Link> ls = new HashMap<>();
        for (Link l : links) {
            ls.put(l.name(), new Observed.Link(l.name(), l.kind().map(LinkKind::kind).orElse(""),
                    l.master().isPresent() ? Optional.ofNullable(byIndex.get(l.master().getAsInt())) : Optional.empty(),
                    l.isUp(), l.mtu().orElse(0), l.address().map(LinkLayerAddress::toString)));
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
                sys.put(k, sysctl(ref, k));
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
        return new Observed.View(ls, addrs, routes, sys, tables);
    }

    /** The main table; a namespace with no route at all has no main table yet (ENOENT), which is no route. */
    private static List<Route> routes(Handle h, int family) throws ErrnoException {
        try {
            return h.routes().dump(family);
        } catch (ErrnoException e) {
            if (e.is(Errno.ENOENT)) return List.of();
            throw e;
        }
    }

    // ------------------------------------------------------------------ apply

    @Override public Optional<String> before(Step s) throws Exception {
        if (!(s instanceof Step.Sysctl c)) return Optional.empty();
        if (!c.ns().isHost() && !NetNs.exists(c.ns().name())) return Optional.empty();
        try {
            return Optional.of(sysctl(c.ns(), c.sysctl()));
        } catch (NetNsException e) {
            return Optional.empty();
        }
    }

    @Override public void apply(Step s) throws Exception {
        switch (s) {
            case Step.CreateNs c -> NetNs.create(c.name());
            case Step.AddLink l -> {
                Handle h = handle(l.ns());
                var spec = io.nslab.netlink.route.LinkSpec.of(l.name(), kind(l.spec()));
                // tun/tap devices are made through /dev/net/tun, in the namespace of the calling thread
                if (l.spec() instanceof LinkSpec.Tuntap) h.ns().run(() -> h.links().add(spec));
                else h.links().add(spec);
            }
            case Step.MoveLink m -> {
                indexes.remove(m.ns());
                indexes.remove(m.to());
                // a link from elsewhere keeps its ifindex if it is free there, which may be one nslab would pick:
                // from now on the kernel numbers the target namespace's new links
                if (!m.to().isHost()) born.remove(m.to().name());
                handle(m.ns()).links().set(m.name(), LinkChange.netns(netns(m.to())), LinkChange.name(m.newName()));
            }
            case Step.SetLink sl -> {
                List<LinkChange> ch = new ArrayList<>();
                sl.mtu().ifPresent(v -> ch.add(LinkChange.mtu(v)));
                sl.mac().ifPresent(v -> ch.add(LinkChange.address(v)));
                if (sl.master().isPresent()) ch.add(LinkChange.master(masterIndex(sl.ns(), sl.master().get())));
                if (sl.up()) ch.add(LinkChange.up());
                if (!ch.isEmpty()) handle(sl.ns()).links().set(sl.name(), ch);
            }
            case Step.AddAddress a -> handle(a.ns()).addresses().add(a.link(), IpPrefix.parse(a.cidr()));
            case Step.AddRoute r -> handle(r.ns()).routes().add(route(r));
            case Step.Sysctl c -> sysctl(c.ns(), c.sysctl(), c.value());
            case Step.NftTable t -> handle(t.ns()).ns().call(() -> {
                try (Nft n = Nft.open()) {
                    n.apply(table(t));
                }
                return null;
            });
        }
    }

    /**
     * Namespaces are made all at once, spread over the cores; each creating
     * thread, while inside the new namespace, writes the sysctls given for it
     * among {@code steps} (IPv6 off before any interface exists) and opens its
     * rtnetlink socket.
     */
    @Override public List<Optional<Exception>> applyAll(List<Step> steps) {
        List<String> names = new ArrayList<>();
        Map<String, List<Integer>> settings = new HashMap<>();
        for (int k = 0; k < steps.size(); k++) {
            switch (steps.get(k)) {
                case Step.CreateNs c -> names.add(c.name());
                case Step.Sysctl c when !c.ns().isHost() -> settings.computeIfAbsent(c.ns().name(), x -> new ArrayList<>()).add(k);
                default -> { return Executor.super.applyAll(steps); }
            }
        }
        if (!settings.keySet().stream().allMatch(new HashSet<>(names)::contains)) return Executor.super.applyAll(steps);
        List<Optional<Exception>> out = new ArrayList<>(Collections.nCopies(steps.size(), Optional.<Exception>empty()));
        Map<String, Integer> where = new HashMap<>();
        for (int k = 0; k < steps.size(); k++) if (steps.get(k) instanceof Step.CreateNs c) where.put(c.name(), k);
        var outcomes = NetNs.createAll(names, n -> {
            for (int k : settings.getOrDefault(n, List.of())) {
                Step.Sysctl c = (Step.Sysctl) steps.get(k);
                try {
                    Sysctl.write(c.sysctl(), c.value());
                } catch (Exception e) {
                    synchronized (out) { out.set(k, Optional.of(e)); }
                }
            }
            return Rtnl.open();
        });
        for (var o : outcomes) {
            if (o.error().isPresent()) {
                Exception e = o.error().get();
                NetNsException x = e instanceof NetNsException ne ? ne : new NetNsException("netns add " + o.name() + ": " + e, Errno.EIO);
                out.set(where.get(o.name()), Optional.of(x));
                for (int k : settings.getOrDefault(o.name(), List.of())) {
                    if (out.get(k).isEmpty()) out.set(k, Optional.of(new NetNsException(steps.get(k).describe() + ": no namespace (" + Applier.message(x) + ")", x.errno())));
                }
                continue;
            }
            Rtnl r = o.value().orElseThrow();
            born.add(o.name());
            try {
                NetNs ns = NetNs.open(o.name());
                Handle old = open.put(NsRef.of(o.name()), new Handle(ns, r));
                if (old != null) old.close();
            } catch (NetNsException e) {
                r.close();           // opened again on first use
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ grouped steps

    /** Steps sent pipelined on their namespace's socket (or, for sysctls, written by a roamer there). */
    @Override public boolean groupable(Step s) {
        return switch (s) {
            case Step.AddLink l -> l.spec() instanceof LinkSpec.Veth || l.spec() instanceof LinkSpec.Bridge;
            case Step.SetLink sl -> true;
            case Step.AddAddress a -> true;
            case Step.AddRoute r -> true;
            case Step.Sysctl c -> true;
            default -> false;
        };
    }

    /** Groups spread over the roamers (largest first to the least loaded), each group on one of them. */
    @Override public List<List<Optional<Exception>>> applyGroups(List<List<Step>> groups) {
        List<List<Optional<Exception>>> out = new ArrayList<>(Collections.nCopies(groups.size(), null));
        List<List<Integer>> share = new ArrayList<>();
        long[] load = new long[WORKERS];
        for (int w = 0; w < WORKERS; w++) share.add(new ArrayList<>());
        List<Integer> order = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) order.add(g);
        order.sort((a, b) -> Integer.compare(groups.get(b).size(), groups.get(a).size()));
        for (int g : order) {
            int w = load[0] <= load[1] ? 0 : 1;
            share.get(w).add(g);
            load[w] += groups.get(g).size() + 2;        // a group costs its steps and a socket round trip or two
        }
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            List<Integer> mine = share.get(w);
            if (mine.isEmpty()) continue;
            running.add(roamers.get(w).submit(() -> {
                for (int g : mine) out.set(g, group(groups.get(g)));
            }));
        }
        for (var f : running) {
            try {
                f.get();
            } catch (Exception e) {
                throw new IllegalStateException("grouped steps: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Ifindexes by namespace and name, learned once per run (forgotten when the namespace's links change shape). */
    private final Map<NsRef, Map<String, Integer>> indexes = new ConcurrentHashMap<>();

    /**
     * One namespace's steps: netlink requests collected and sent pipelined
     * (one sendmsg per chunk), flushed before a sysctl and before an ifindex
     * lookup that may need what is still pending.
     */
    private List<Optional<Exception>> group(List<Step> steps) {
        List<Optional<Exception>> out = new ArrayList<>(Collections.nCopies(steps.size(), Optional.<Exception>empty()));
        NsRef ns = steps.get(0).ns();
        Handle h;
        try {
            h = handle(ns);
        } catch (Exception e) {
            for (int k = 0; k < steps.size(); k++) out.set(k, Optional.of(e));
            return out;
        }
        Pending p = new Pending(h, out);
        for (int k = 0; k < steps.size(); k++) {
            Step s = steps.get(k);
            try {
                switch (s) {
                    case Step.Sysctl c -> {
                        p.flush();
                        sysctl(c.ns(), c.sysctl(), c.value());
                    }
                    case Step.AddLink l -> {
                        // in a namespace this run made, nslab picks the ifindexes: later steps need no lookup
                        // (the kernel takes a veth peer's ifindex only along with the first end's: both or neither)
                        boolean pick = !(l.spec() instanceof LinkSpec.Veth v) || choosable(ns) && choosable(v.peerNs());
                        OptionalInt self = pick ? chooseIndex(ns, l.name()) : OptionalInt.empty();
                        OptionalInt peer = pick && l.spec() instanceof LinkSpec.Veth v ? chooseIndex(v.peerNs(), v.peer()) : OptionalInt.empty();
                        var spec = io.nslab.netlink.route.LinkSpec.of(l.name(), l.spec() instanceof LinkSpec.Veth v
                                ? new LinkKind.Veth(Optional.of(v.peer()), v.peerNs().equals(ns) ? Optional.empty()
                                        : Optional.of(LinkNetns.fd(handle(v.peerNs()).ns().fd())), Optional.empty(), peer)
                                : kind(l.spec()));
                        if (self.isPresent()) {
                            spec = spec.withIndex(self.getAsInt());
                            if (l.spec() instanceof LinkSpec.Bridge) masters.put(ns + "/" + l.name(), self.getAsInt());
                        }
                        p.add(k, LinkRequests.add(spec), Optional.of(spec.kind()));
                    }
                    case Step.SetLink sl -> {
                        List<LinkChange> ch = new ArrayList<>();
                        sl.mtu().ifPresent(v -> ch.add(LinkChange.mtu(v)));
                        sl.mac().ifPresent(v -> ch.add(LinkChange.address(v)));
                        if (sl.master().isPresent()) {
                            if (!masters.containsKey(ns + "/" + sl.master().get())) p.flush();
                            ch.add(LinkChange.master(masterIndex(ns, sl.master().get())));
                        }
                        if (sl.up()) ch.add(LinkChange.up());
                        if (!ch.isEmpty()) p.add(k, LinkRequests.set(LinkRef.of(sl.name()), ch), Optional.empty());
                    }
                    case Step.AddAddress a -> {
                        int index = index(p, ns, a.link(), "addr add " + a.cidr() + " dev " + a.link());
                        NlRequest r = AddressRequests.add(
                                AddressSpec.of(index, IpPrefix.parse(a.cidr())));
                        p.add(k, new NlRequest(r.type(), r.flags(), r.body(), "addr add " + a.cidr() + " dev " + a.link()), Optional.empty());
                    }
                    case Step.AddRoute r -> {
                        RouteSpec spec = route(r);
                        if (r.dev().isPresent()) spec = spec.dev(index(p, ns, r.dev().get(), "route add " + r.dst() + " dev " + r.dev().get()));
                        NlRequest q = RouteRequests.add(spec);
                        p.add(k, new NlRequest(q.type(), q.flags(), q.body(), "route add " + r.dst()), Optional.empty());
                    }
                    default -> {
                        p.flush();
                        apply(s);
                    }
                }
            } catch (Exception e) {
                out.set(k, Optional.of(e));
            }
        }
        p.flush();
        return out;
    }

    /** Namespaces made by this executor (this run): nothing but nslab makes links in them. */
    private final Set<String> born = ConcurrentHashMap.newKeySet();
    private final AtomicInteger nextIndex = new AtomicInteger(1000);

    /**
     * An ifindex for a new link in a namespace this run made, remembered for
     * later steps; none elsewhere. One counter for all namespaces, from 1000
     * (far above lo and any fallback device the kernel makes in a new
     * namespace): the two ends of a veth never share a number, since a
     * device whose peer has its own ifindex gets its carrier event handled
     * by the kernel's link watcher only up to a second later (not "urgent"),
     * and carries no traffic until then.
     */
    private boolean choosable(NsRef ns) {
        return !ns.isHost() && born.contains(ns.name());
    }

    private OptionalInt chooseIndex(NsRef ns, String name) {
        if (!choosable(ns)) return OptionalInt.empty();
        int i = nextIndex.getAndIncrement();
        indexes.computeIfAbsent(ns, k -> new ConcurrentHashMap<>()).put(name, i);
        return OptionalInt.of(i);
    }

    private int index(Pending p, NsRef ns, String name, String what) throws Exception {
        Map<String, Integer> known = indexes.computeIfAbsent(ns, k -> new ConcurrentHashMap<>());
        Integer i = known.get(name);
        if (i == null) {
            p.flush();          // the link may be made by a request still pending
            i = handle(ns).links().index(name).orElseThrow(
                    () -> new ErrnoException(what, Errno.ENODEV, "no link named \"" + name + "\""));
            known.put(name, i);
        }
        return i;
    }

    /** Requests of one group waiting to be sent together, and where their results go. */
    private static final class Pending {
        private final Handle h;
        private final List<Optional<Exception>> out;
        private final List<NlRequest> requests = new ArrayList<>();
        private final List<Integer> at = new ArrayList<>();
        private final List<Optional<LinkKind>> kinds = new ArrayList<>();

        Pending(Handle h, List<Optional<Exception>> out) {
            this.h = h;
            this.out = out;
        }

        void add(int k, NlRequest r, Optional<LinkKind> kind) {
            requests.add(r);
            at.add(k);
            kinds.add(kind);
        }

        void flush() {
            if (requests.isEmpty()) return;
            try {
                List<Optional<ErrnoException>> res = h.rtnl().socket().executeAll(requests);
                for (int j = 0; j < res.size(); j++) {
                    Optional<LinkKind> kind = kinds.get(j);
                    out.set(at.get(j), res.get(j).map(e -> kind.isPresent() ? Links.explain(kind.get(), e) : e));
                }
            } catch (ErrnoException e) {
                for (int k : at) out.set(k, Optional.of(e));
            }
            requests.clear();
            at.clear();
            kinds.clear();
        }
    }

    /** Bridge ifindexes by namespace and name: 1000 ports of one bridge need one lookup, not 1000. */
    private final Map<String, Integer> masters = new ConcurrentHashMap<>();

    private int masterIndex(NsRef ns, String name) throws Exception {
        String key = ns + "/" + name;
        Integer i = masters.get(key);
        if (i == null) {
            i = handle(ns).links().index(name).orElseThrow(
                    () -> new ErrnoException("link set master " + name, Errno.ENODEV, "no link named \"" + name + "\""));
            masters.put(key, i);
        }
        return i;
    }

    private static LinkNetns netns(NsRef ns) {
        // the namespace nslab runs in is the one of its main thread (workers setns, the main thread never does)
        return ns.isHost() ? LinkNetns.path("/proc/" + ProcessHandle.current().pid() + "/ns/net") : LinkNetns.name(ns.name());
    }

    static LinkKind kind(LinkSpec s) {
        return switch (s) {
            case LinkSpec.Veth v -> new LinkKind.Veth(Optional.of(v.peer()), Optional.of(netns(v.peerNs())), Optional.empty(), OptionalInt.empty());
            case LinkSpec.Bridge b -> new LinkKind.Bridge(Optional.of(b.stp()), Optional.empty());
            case LinkSpec.Macvlan m -> LinkKind.macvlan(LinkRef.of(m.parent()), m.mode());
            case LinkSpec.Ipvlan m -> LinkKind.ipvlan(LinkRef.of(m.parent()), m.mode());
            case LinkSpec.Vlan v -> LinkKind.vlan(LinkRef.of(v.parent()), v.id(), v.proto());
            case LinkSpec.Vxlan v -> new LinkKind.Vxlan(v.vni(), v.local().map(IpPrefix::parseAddress), v.remote().map(IpPrefix::parseAddress),
                    v.group().map(IpPrefix::parseAddress), v.dev().map(LinkRef::of), OptionalInt.of(v.dstPort()), v.learning());
            case LinkSpec.Tuntap t -> new LinkKind.Tuntap(t.tap() ? LinkKind.TuntapMode.TAP : LinkKind.TuntapMode.TUN,
                    t.owner().isPresent() ? OptionalLong.of(t.owner().getAsInt()) : OptionalLong.empty(),
                    t.group().isPresent() ? OptionalLong.of(t.group().getAsInt()) : OptionalLong.empty(), false, false, false);
        };
    }

    static RouteSpec route(Step.AddRoute r) {
        IpPrefix dst = IpPrefix.parse(r.dst());
        RouteSpec spec = dst.length() == 0 ? RouteSpec.defaultRoute(dst.address().getAddress().length == 4 ? AddressFamily.INET : AddressFamily.INET6)
                : RouteSpec.to(dst);
        if (r.via().isPresent()) spec = spec.via(r.via().get());
        if (r.dev().isPresent()) spec = spec.dev(r.dev().get());
        if (r.metric().isPresent()) spec = spec.metric(r.metric().getAsInt());
        return spec;
    }

    /** The lab's table: nat chains with masquerade and DNAT rules (the file's NAT, the seeds' iptables lines). */
    static Transaction table(Step.NftTable t) {
        TableRef table = TableRef.ip(t.table());
        ChainRef pre = table.chain("prerouting"), out = table.chain("output"), post = table.chain("postrouting");
        Transaction.Builder b = Transaction.builder().replaceTable(table)
                .addChain(pre, BaseChain.natPrerouting())
                .addChain(out, BaseChain.natOutput())
                .addChain(post, BaseChain.natPostrouting());
        for (NatRule r : t.rules()) {
            switch (r) {
                case NatRule.Masquerade m -> b.addRule(m.out().isPresent()
                        ? Recipes.masqueradeSubnetVia(post, IpPrefix.parse(m.source()), m.out().get())
                        : m.notOut().isPresent() ? Recipes.masqueradeSubnet(post, IpPrefix.parse(m.source()), m.notOut().get())
                        : Rule.of(post, Expr.saddr(IpPrefix.parse(m.source())), Expr.masquerade()));
                case NatRule.Publish p -> {
                    PortMapping pm = PortMapping.any(p.proto().equals("udp") ? Proto.UDP : Proto.TCP, p.port(),
                            IpPrefix.parseAddress(p.toAddress()), p.toPort());
                    Rule dnat = Recipes.publish(pre, pm);
                    if (p.in().isPresent()) {
                        List<Expr> e = new ArrayList<>();
                        e.add(Expr.iifname(p.in().get()));
                        e.addAll(dnat.exprs());
                        dnat = Rule.of(pre, e);
                    }
                    b.addRule(dnat);
                    b.addRule(Recipes.publishLocal(out, pm));
                }
            }
        }
        return b.build();
    }

    /** Most time {@link #settle} waits for veth ends to turn operationally up. */
    static final long SETTLE_MILLIS = 5_000;

    @Override public void settle(List<Step> applied) throws Exception {
        Map<NsRef, Set<String>> waiting = new LinkedHashMap<>();
        for (Step s : applied) if (s instanceof Step.SetLink sl && sl.up()) waiting.computeIfAbsent(sl.ns(), k -> new HashSet<>()).add(sl.name());
        long deadline = System.nanoTime() + SETTLE_MILLIS * 1_000_000L;
        // The kernel's link watcher handles carrier events in the order they came: wait for the namespace
        // brought up last first (one dump at a time: every dump takes the rtnl lock the watcher needs), then
        // check all the others once it is ready; both roamers read half of them each.
        if (!waiting.isEmpty()) {
            NsRef last = waiting.keySet().stream().reduce((a, b) -> b).orElseThrow();
            settle(new LinkedHashMap<>(Map.of(last, waiting.get(last))), deadline);
            if (waiting.get(last).isEmpty()) waiting.remove(last);
        }
        List<Map<NsRef, Set<String>>> share = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) share.add(new LinkedHashMap<>());
        int n = 0;
        for (var e : waiting.entrySet()) share.get(n++ % WORKERS).put(e.getKey(), e.getValue());
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            Map<NsRef, Set<String>> mine = share.get(w);
            if (!mine.isEmpty()) running.add(roamers.get(w).submit(() -> {
                settle(mine, deadline);
                return null;
            }));
        }
        awaitAll(running);
    }

    private void settle(Map<NsRef, Set<String>> waiting, long deadline) throws Exception {
        while (!waiting.isEmpty() && System.nanoTime() < deadline) {
            // namespaces in the order they were brought up: the first still waiting ends the pass
            for (var it = waiting.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                for (Link l : handle(e.getKey()).links().dump()) {
                    boolean veth = l.kind().map(k -> k instanceof LinkKind.Veth).orElse(false);
                    // only veth ends with carrier wait (a tun without its program, a bridge without ports, a veth
                    // whose peer the file leaves down stay down by design); carrier on + not yet UP = link watch pending
                    if (!veth || !l.isLowerUp() || l.operState() == LinkOperState.UP) e.getValue().remove(l.name());
                }
                if (e.getValue().isEmpty()) it.remove();
                else break;
            }
            if (!waiting.isEmpty()) Thread.sleep(2);
        }
    }

    // ------------------------------------------------------------------ undo

    @Override public void undo(Step s, Optional<String> previous, Set<NsRef> dying) throws Exception {
        if (Planner.coveredBy(s, dying)) return;
        indexes.remove(s.ns());
        if (s instanceof Step.MoveLink m) indexes.remove(m.to());
        if (s instanceof Step.CreateNs c) indexes.remove(NsRef.of(c.name()));
        switch (s) {
            case Step.CreateNs c -> {
                forget(NsRef.of(c.name()));
                masters.keySet().removeIf(k -> k.startsWith(c.name() + "/"));
                try {
                    NetNs.delete(c.name());
                } catch (NetNsException e) {
                    if (!e.is(Errno.ENOENT)) throw e;
                }
            }
            case Step.AddLink l -> {
                masters.remove(l.ns() + "/" + l.name());
                if (!exists(l.ns())) return;
                tolerate(() -> handle(l.ns()).links().delete(l.name()), Errno.ENODEV);
            }
            case Step.MoveLink m -> {
                if (!exists(m.to()) || !exists(m.ns())) return;
                tolerate(() -> handle(m.to()).links().set(m.newName(), LinkChange.netns(netns(m.ns())), LinkChange.name(m.name())), Errno.ENODEV);
            }
            case Step.SetLink sl -> { }
            case Step.AddAddress a -> {
                if (!exists(a.ns())) return;
                tolerate(() -> handle(a.ns()).addresses().del(a.link(), IpPrefix.parse(a.cidr())), Errno.ENODEV, Errno.EADDRNOTAVAIL);
            }
            case Step.AddRoute r -> {
                if (!exists(r.ns())) return;
                tolerate(() -> handle(r.ns()).routes().del(route(r)), Errno.ESRCH, Errno.ENODEV);
            }
            case Step.Sysctl c -> {
                if (previous.isPresent() && exists(c.ns())) sysctl(c.ns(), c.sysctl(), previous.get());
            }
            case Step.NftTable t -> {
                if (!exists(t.ns())) return;
                handle(t.ns()).ns().call(() -> {
                    try (Nft n = Nft.open()) {
                        n.deleteTable(TableRef.ip(t.table()));
                    }
                    return null;
                });
            }
        }
    }

    private static boolean exists(NsRef ns) {
        return ns.isHost() || NetNs.exists(ns.name());
    }

    private interface Op { void run() throws Exception; }

    private static void tolerate(Op op, int... gone) throws Exception {
        try {
            op.run();
        } catch (ErrnoException e) {
            if (e.is(gone)) return;
            throw e;
        }
    }

    @Override public void close() {
        for (Handle h : open.values()) h.close();
        open.clear();
        for (var r : roamers) r.shutdownNow();
    }

    /** Waits for every task; the first failure is rethrown as the task threw it. */
    private static void awaitAll(List<Future<?>> running) throws Exception {
        for (var f : running) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Exception x) throw x;
                throw e;
            }
        }
    }
}
