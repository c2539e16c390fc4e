package io.nslab.lab.apply;

import io.nslab.lab.plan.LinkSpec;
import io.nslab.lab.plan.NsRef;
import io.nslab.lab.plan.Step;
import io.nslab.netlink.Links;
import io.nslab.netlink.NlRequest;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkNetns;
import io.nslab.netlink.route.LinkRequests;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Future;

/**
 * Grouped steps: each group (one namespace's steps) sent pipelined on that
 * namespace's socket, the groups spread over the roamers. In namespaces this
 * run made, nslab picks the ifindexes ({@link Ifindexes}), so later steps
 * need no lookup.
 */
final class StepGroups {
    /** Runs one step that cannot be sent pipelined. */
    interface Single { void apply(Step s) throws Exception; }

    private final NsHandles handles;
    private final Ifindexes ifindexes;
    private final Single single;
    private final HostMarks marks;

    StepGroups(NsHandles handles, Ifindexes ifindexes, Single single, HostMarks marks) {
        this.handles = handles;
        this.ifindexes = ifindexes;
        this.single = single;
        this.marks = marks;
    }

    /** Steps sent pipelined on their namespace's socket (or, for sysctls, written by a roamer there). */
    static boolean groupable(Step s) {
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
    List<List<Optional<Exception>>> apply(List<List<Step>> groups) {
        List<List<Optional<Exception>>> out = new ArrayList<>(Collections.nCopies(groups.size(), null));
        List<List<Integer>> share = new ArrayList<>();
        long[] load = new long[NsHandles.WORKERS];
        for (int w = 0; w < NsHandles.WORKERS; w++) share.add(new ArrayList<>());
        List<Integer> order = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) order.add(g);
        order.sort((a, b) -> Integer.compare(groups.get(b).size(), groups.get(a).size()));
        for (int g : order) {
            int w = load[0] <= load[1] ? 0 : 1;
            share.get(w).add(g);
            load[w] += groups.get(g).size() + 2;        // a group costs its steps and a socket round trip or two
        }
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < NsHandles.WORKERS; w++) {
            List<Integer> mine = share.get(w);
            if (mine.isEmpty()) continue;
            running.add(handles.submit(w, () -> {
                for (int g : mine) out.set(g, group(groups.get(g)));
                return null;
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

    /**
     * One namespace's steps: netlink requests collected and sent pipelined
     * (one sendmsg per chunk), flushed before a sysctl and before an ifindex
     * lookup that may need what is still pending.
     */
    private List<Optional<Exception>> group(List<Step> steps) {
        List<Optional<Exception>> out = new ArrayList<>(Collections.nCopies(steps.size(), Optional.<Exception>empty()));
        NsRef ns = steps.get(0).ns();
        try (NsHandles.Lease h = handles.lease(ns)) {
            group(steps, ns, h, out);
        } catch (Exception e) {
            for (int k = 0; k < steps.size(); k++) out.set(k, Optional.of(e));
        }
        return out;
    }

    private void group(List<Step> steps, NsRef ns, NsHandles.Lease h, List<Optional<Exception>> out) throws Exception {
        Pending p = new Pending(h.rtnl(), out);
        // the link may be made by a request still pending
        Ifindexes.Lookup lookup = (n, name) -> {
            p.flush();
            return handles.index(n, name);
        };
        for (int k = 0; k < steps.size(); k++) {
            Step s = steps.get(k);
            try {
                switch (s) {
                    case Step.Sysctl c -> {
                        p.flush();
                        handles.sysctl(c.ns(), c.sysctl(), c.value());
                    }
                    case Step.AddLink l -> {
                        // in a namespace this run made, nslab picks the ifindexes: later steps need no lookup
                        // (the kernel takes a veth peer's ifindex only along with the first end's: both or neither)
                        boolean pick = !(l.spec() instanceof LinkSpec.Veth v) || ifindexes.choosable(ns) && ifindexes.choosable(v.peerNs());
                        OptionalInt self = pick ? ifindexes.choose(ns, l.name()) : OptionalInt.empty();
                        OptionalInt peer = pick && l.spec() instanceof LinkSpec.Veth v ? ifindexes.choose(v.peerNs(), v.peer()) : OptionalInt.empty();
                        OptionalInt master = OptionalInt.empty();
                        if (l.master().isPresent()) {
                            if (!ifindexes.knowsMaster(ns, l.master().get())) p.flush();
                            master = OptionalInt.of(ifindexes.master(ns, l.master().get(), handles::index));
                        }
                        // the peer's namespace by descriptor: it stays open (leased) until the request is sent
                        NsHandles.Lease there = l.spec() instanceof LinkSpec.Veth v && !v.peerNs().equals(ns) ? p.hold(handles.lease(v.peerNs())) : null;
                        LinkKind kind = l.spec() instanceof LinkSpec.Veth v
                                ? LinkKinds.veth(v, there == null ? Optional.empty() : Optional.of(LinkNetns.fd(there.ns().fd())), peer)
                                : LinkKinds.of(l.spec());
                        if (self.isPresent() && l.spec() instanceof LinkSpec.Bridge) ifindexes.master(ns, l.name(), self.getAsInt());
                        for (NlRequest r : LinkRequests.create(marks.mark(ns, StepRequests.link(l, kind, self, master)))) p.add(k, r, Optional.of(kind));
                        if (p.holding() >= Math.min(HOLD, handles.capacity())) p.flush();
                    }
                    case Step.SetLink sl -> {
                        OptionalInt master = OptionalInt.empty();
                        if (sl.master().isPresent()) {
                            if (!ifindexes.knowsMaster(ns, sl.master().get())) p.flush();
                            master = OptionalInt.of(ifindexes.master(ns, sl.master().get(), handles::index));
                        }
                        var ch = StepRequests.changes(sl, master);
                        if (!ch.isEmpty()) p.add(k, StepRequests.setLink(sl.name(), ch), Optional.empty());
                    }
                    case Step.AddAddress a -> {
                        int index = ifindexes.index(ns, a.link(), "addr add " + a.cidr() + " dev " + a.link(), lookup);
                        p.add(k, StepRequests.addAddress(a, index), Optional.empty());
                    }
                    case Step.AddRoute r -> {
                        OptionalInt dev = r.dev().isPresent()
                                ? OptionalInt.of(ifindexes.index(ns, r.dev().get(), "route add " + r.dst() + " dev " + r.dev().get(), lookup))
                                : OptionalInt.empty();
                        p.add(k, StepRequests.addRoute(r, dev), Optional.empty());
                    }
                    default -> {
                        p.flush();
                        single.apply(s);
                    }
                }
            } catch (Exception e) {
                out.set(k, Optional.of(e));
            }
        }
        try {
            p.flush();
        } finally {
            p.release();        // also when the last send threw
        }
    }

    /** Other namespaces a group holds open for its pending requests at most (veth peers): then they are sent. */
    static final int HOLD = 64;

    /** Requests of one group waiting to be sent together, where their results go, and the namespaces they name. */
    private static final class Pending {
        private final Rtnl rtnl;
        private final List<Optional<Exception>> out;
        private final List<NlRequest> requests = new ArrayList<>();
        private final List<Integer> at = new ArrayList<>();
        private final List<Optional<LinkKind>> kinds = new ArrayList<>();
        private final List<NsHandles.Lease> held = new ArrayList<>();

        Pending(Rtnl rtnl, List<Optional<Exception>> out) {
            this.rtnl = rtnl;
            this.out = out;
        }

        NsHandles.Lease hold(NsHandles.Lease l) {
            held.add(l);
            return l;
        }

        int holding() { return held.size(); }

        void add(int k, NlRequest r, Optional<LinkKind> kind) {
            requests.add(r);
            at.add(k);
            kinds.add(kind);
        }

        void flush() {
            if (requests.isEmpty()) {
                release();
                return;
            }
            try {
                List<Optional<ErrnoException>> res = rtnl.socket().executeAll(requests);
                for (int j = 0; j < res.size(); j++) {
                    Optional<LinkKind> kind = kinds.get(j);
                    out.set(at.get(j), res.get(j).map(e -> kind.isPresent() ? Links.explain(kind.get(), e) : e));
                }
            } catch (ErrnoException e) {
                for (int k : at) out.set(k, Optional.of(e));
            } finally {
                release();
            }
            requests.clear();
            at.clear();
            kinds.clear();
        }

        void release() {
            held.forEach(NsHandles.Lease::close);
            held.clear();
        }
    }
}
