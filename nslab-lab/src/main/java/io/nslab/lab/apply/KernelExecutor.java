package io.nslab.lab.apply;

import io.nslab.lab.plan.LinkSpec;
import io.nslab.lab.plan.NsRef;
import io.nslab.lab.plan.Observed;
import io.nslab.lab.plan.Step;
import io.nslab.netlink.Errno;
import io.nslab.netlink.Links;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.netns.NetNsException;
import io.nslab.netlink.netns.Sysctl;
import io.nslab.netlink.nft.Nft;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.LinkChange;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.tc.QdiscSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Steps made real over netlink. Nothing here spawns a process. The work is
 * split by concern: {@link NsHandles} (a handle and socket per namespace, the
 * roamer threads), {@link KernelObserver} (reading the kernel),
 * {@link Ifindexes} (choosing and learning ifindexes), {@link StepRequests}
 * and {@link LinkKinds} (steps as netlink and nft requests, pure),
 * {@link StepGroups} (grouped steps sent pipelined), {@link Settler} and
 * {@link Undoer}.
 */
public final class KernelExecutor implements Executor {
    /** Namespaces whose handle (a descriptor and a socket) a run keeps open at most, whatever the lab's size. */
    public static final int OPEN_NAMESPACES = NsHandles.OPEN;

    private final NsHandles handles;
    private final Ifindexes ifindexes = new Ifindexes();
    private final HostMarks marks = new HostMarks();
    private final KernelObserver observer;
    private final StepGroups groups;
    private final Settler settler;
    private final Undoer undoer;

    public KernelExecutor() {
        this(OPEN_NAMESPACES);
    }

    /** Keeping at most {@code open} namespaces open (tests make it small, so that every path reopens). */
    KernelExecutor(int open) {
        handles = new NsHandles(open);
        observer = new KernelObserver(handles);
        groups = new StepGroups(handles, ifindexes, this::apply, marks);
        settler = new Settler(handles);
        undoer = new Undoer(handles, ifindexes, marks);
    }

    @Override public void owner(String lab) {
        marks.owner(lab);
    }

    @Override public Observed observe(List<Step> steps) throws Exception {
        return observer.observe(steps);
    }

    @Override public Optional<String> before(Step s) throws Exception {
        if (!(s instanceof Step.Sysctl c)) return Optional.empty();
        if (!c.ns().isHost() && !NetNs.exists(c.ns().name())) return Optional.empty();
        try {
            return Optional.of(handles.sysctl(c.ns(), c.sysctl()));
        } catch (NetNsException e) {
            return Optional.empty();
        }
    }

    @Override public void apply(Step s) throws Exception {
        switch (s) {
            case Step.CreateNs c -> {
                NetNs.create(c.name());
                try (var h = handles.lease(NsRef.of(c.name()))) {
                    NsMarks.mark(h.links(), c.name());
                }
            }
            case Step.AddLink l -> {
                try (NsHandles.Lease h = handles.lease(l.ns())) {
                    LinkKind kind = LinkKinds.of(l.spec());
                    OptionalInt self = OptionalInt.empty();
                    // a veth pair made on its own (a lab with one link) gets ifindexes of nslab's choice too, as a
                    // pipelined one does: ends that share a number wait up to a second for their carrier (Ifindexes)
                    if (l.spec() instanceof LinkSpec.Veth v && ifindexes.choosable(l.ns()) && ifindexes.choosable(v.peerNs())) {
                        self = ifindexes.choose(l.ns(), l.name());
                        kind = LinkKinds.veth(v, Optional.of(LinkKinds.netns(v.peerNs())), ifindexes.choose(v.peerNs(), v.peer()));
                    }
                    OptionalInt master = l.master().isPresent()
                            ? OptionalInt.of(ifindexes.master(l.ns(), l.master().get(), handles::index)) : OptionalInt.empty();
                    var spec = marks.mark(l.ns(), StepRequests.link(l, kind, self, master));
                    // tun/tap devices are made through /dev/net/tun, in the namespace of the calling thread
                    if (l.spec().type() == LinkKind.Type.TUN) {
                        Links links = h.links();
                        h.ns().run(() -> links.add(spec));
                    } else h.links().add(spec);
                }
            }
            case Step.MoveLink m -> {
                ifindexes.moved(m.ns(), m.to());
                try (var h = handles.lease(m.ns())) {
                    h.links().set(m.name(), LinkChange.netns(LinkKinds.netns(m.to())), LinkChange.name(m.newName()));
                }
            }
            case Step.SetLink sl -> {
                OptionalInt master = OptionalInt.empty();
                if (sl.master().isPresent())
                    master = OptionalInt.of(ifindexes.master(sl.ns(), sl.master().get(), handles::index));
                var ch = StepRequests.changes(sl, master);
                if (!ch.isEmpty()) try (var h = handles.lease(sl.ns())) {
                    h.links().set(sl.name(), ch);
                }
            }
            case Step.AddAddress a -> {
                try (var h = handles.lease(a.ns())) {
                    h.addresses().add(a.link(), IpPrefix.parse(a.cidr()));
                }
            }
            case Step.AddRoute r -> {
                try (var h = handles.lease(r.ns())) {
                    h.routes().add(StepRequests.route(r));
                }
            }
            case Step.Sysctl c -> handles.sysctl(c.ns(), c.sysctl(), c.value());
            case Step.NftTable t -> {
                try (var h = handles.lease(t.ns())) {
                    h.ns().call(() -> {
                        try (Nft n = Nft.open()) {
                            n.apply(StepRequests.table(t));
                        }
                        return null;
                    });
                }
            }
            case Step.Hairpin hp -> {
                try (var h = handles.lease(hp.ns())) {
                    h.links().set(hp.name(), StepRequests.hairpin(true));
                }
            }
            case Step.Shape q -> {
                try (var h = handles.lease(q.ns())) {
                    h.rtnl().qdiscs().replace(QdiscSpec.root(q.link(), q.impair().qdisc()));
                }
            }
        }
    }

    /**
     * Namespaces are made all at once, spread over the cores; each creating
     * thread, while inside the new namespace, writes the sysctls given for it
     * among {@code steps} (IPv6 off before any interface exists), opens its
     * rtnetlink socket and marks the namespace as the lab's ({@link NsMarks}).
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
        // a socket for as many namespaces as are kept open (all of them are returned at once; the others get
        // theirs when their steps come)
        AtomicInteger sockets = new AtomicInteger(handles.capacity());
        var outcomes = NetNs.createAll(names, n -> {
            for (int k : settings.getOrDefault(n, List.of())) {
                Step.Sysctl c = (Step.Sysctl) steps.get(k);
                try {
                    Sysctl.write(c.sysctl(), c.value());
                } catch (Exception e) {
                    synchronized (out) { out.set(k, Optional.of(e)); }
                }
            }
            // the lab's mark on lo, from the thread that made it, on the socket it keeps while there is room
            Rtnl r = Rtnl.open();
            try {
                NsMarks.mark(r.links(), n);
            } catch (Exception e) {
                r.close();
                throw e;
            }
            if (sockets.getAndDecrement() > 0) return Optional.of(r);
            r.close();
            return Optional.<Rtnl>empty();
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
            ifindexes.born(o.name());
            o.value().orElseThrow().ifPresent(r -> handles.adopt(o.name(), r));
        }
        return out;
    }

    @Override public void preflight(List<Step> steps) throws Exception {
        Shapes.preflight(steps);
    }

    @Override public boolean groupable(Step s) {
        return StepGroups.groupable(s);
    }

    @Override public List<List<Optional<Exception>>> applyGroups(List<List<Step>> groups) {
        return this.groups.apply(groups);
    }

    @Override public void settle(List<Step> applied) throws Exception {
        settler.settle(applied);
    }

    @Override public void undo(Step s, Optional<String> previous, Set<NsRef> dying) throws Exception {
        undoer.undo(s, previous, dying);
    }

    @Override public void release() {
        handles.closeKept();
    }

    @Override public void close() {
        handles.close();
    }
}
