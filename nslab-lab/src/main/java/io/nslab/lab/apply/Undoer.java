package io.nslab.lab.apply;

import io.nslab.lab.plan.NsRef;
import io.nslab.lab.plan.Planner;
import io.nslab.lab.plan.Step;
import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.netns.NetNsException;
import io.nslab.netlink.nft.Nft;
import io.nslab.netlink.nft.TableRef;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.LinkChange;
import io.nslab.netlink.tc.QdiscSpec;

import java.util.Optional;
import java.util.Set;

/** Undoes single steps ({@link Executor#undo}); "already gone" is success. */
final class Undoer {
    private final NsHandles handles;
    private final Ifindexes ifindexes;
    private final HostMarks marks;

    Undoer(NsHandles handles, Ifindexes ifindexes, HostMarks marks) {
        this.handles = handles;
        this.ifindexes = ifindexes;
        this.marks = marks;
    }

    void undo(Step s, Optional<String> previous, Set<NsRef> dying) throws Exception {
        if (Planner.coveredBy(s, dying)) return;
        ifindexes.forget(s.ns());
        if (s instanceof Step.MoveLink m) ifindexes.forget(m.to());
        if (s instanceof Step.CreateNs c) ifindexes.forget(NsRef.of(c.name()));
        switch (s) {
            case Step.CreateNs c -> {
                handles.forget(NsRef.of(c.name()));
                ifindexes.forgetMasters(c.name());
                try {
                    NetNs.delete(c.name());
                } catch (NetNsException e) {
                    if (!e.is(Errno.ENOENT)) throw e;
                }
            }
            case Step.AddLink l -> {
                ifindexes.forgetMaster(l.ns(), l.name());
                if (!NsHandles.exists(l.ns())) return;
                // outside the lab's namespaces: only the link that carries the lab's mark (the journal names it by name only)
                if (l.ns().isHost()) {
                    try (var h = handles.lease(l.ns())) {
                        marks.delete(h.links(), l.ns(), l.name());
                    }
                } else tolerate(l.ns(), h -> h.links().delete(l.name()), Errno.ENODEV);
            }
            case Step.MoveLink m -> {
                if (!NsHandles.exists(m.to()) || !NsHandles.exists(m.ns())) return;
                tolerate(m.to(), h -> h.links().set(m.newName(), LinkChange.netns(LinkKinds.netns(m.ns())),
                        LinkChange.name(m.name())), Errno.ENODEV);
            }
            case Step.SetLink sl -> { }
            case Step.AddAddress a -> {
                if (!NsHandles.exists(a.ns())) return;
                tolerate(a.ns(), h -> h.addresses().del(a.link(), IpPrefix.parse(a.cidr())), Errno.ENODEV, Errno.EADDRNOTAVAIL);
            }
            case Step.AddRoute r -> {
                if (!NsHandles.exists(r.ns())) return;
                tolerate(r.ns(), h -> h.routes().del(StepRequests.route(r)), Errno.ESRCH, Errno.ENODEV);
            }
            case Step.Sysctl c -> {
                if (previous.isPresent() && NsHandles.exists(c.ns())) handles.sysctl(c.ns(), c.sysctl(), previous.get());
            }
            case Step.Hairpin hp -> {
                if (!NsHandles.exists(hp.ns())) return;
                // the port gone, or no longer a bridge port: nothing left to turn off
                tolerate(hp.ns(), h -> h.links().set(hp.name(), StepRequests.hairpin(false)), Errno.ENODEV, Errno.EOPNOTSUPP);
            }
            case Step.Shape q -> {
                if (!NsHandles.exists(q.ns())) return;
                // the link gone (ENODEV), or no root qdisc of its own left (ENOENT, EINVAL): the default is back
                tolerate(q.ns(), h -> h.rtnl().qdiscs().del(QdiscSpec.root(q.link())), Errno.ENODEV, Errno.ENOENT, Errno.EINVAL);
            }
            case Step.NftTable t -> {
                if (!NsHandles.exists(t.ns())) return;
                try (var h = handles.lease(t.ns())) {
                    h.ns().call(() -> {
                        try (Nft n = Nft.open()) {
                            n.deleteTable(TableRef.ip(t.table()));
                        }
                        return null;
                    });
                }
            }
        }
    }

    private interface Op { void run(NsHandles.Lease h) throws Exception; }

    /** Runs {@code op} on the namespace's handle; the errnos {@code gone} mean there is nothing left to undo. */
    private void tolerate(NsRef ns, Op op, int... gone) throws Exception {
        try (NsHandles.Lease h = handles.lease(ns)) {
            op.run(h);
        } catch (ErrnoException e) {
            if (e.is(gone)) return;
            throw e;
        }
    }
}
