package io.nslab.lab.engine;

import io.nslab.lab.model.IfRef;
import io.nslab.lab.model.Impair;
import io.nslab.lab.model.KernelNames;
import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.netns.NetNsException;
import io.nslab.netlink.route.Link;
import io.nslab.netlink.route.LinkChange;
import io.nslab.netlink.route.LinkOperState;
import io.nslab.netlink.tc.Qdisc;
import io.nslab.netlink.tc.QdiscSpec;

import java.util.Optional;

/**
 * Changes to a lab that is up, made at run time and not journaled ({@code nslab impair}, {@code nslab
 * link-state}): the next {@code up} of the file puts back what the file says for the interfaces it
 * impairs, and {@code down} removes the namespaces with everything in them.
 */
public final class LiveLab {
    private LiveLab() {}

    /**
     * Makes {@code impair} the root qdisc of {@code at} ({@link Impair#NONE}: the kernel's default again).
     * A kernel without netem refuses with the {@code CONFIG_NET_SCH_NETEM} option named and keeps what was there.
     */
    public static void impair(String lab, IfRef at, Impair impair) throws Exception {
        in(lab, at, r -> {
            if (impair.isEmpty()) {
                try {
                    r.qdiscs().del(QdiscSpec.root(at.name()));
                } catch (ErrnoException e) {
                    if (!e.is(Errno.ENOENT, Errno.EINVAL)) throw e;   // nothing of its own there: already the default
                }
            } else {
                r.qdiscs().replace(QdiscSpec.root(at.name(), impair.qdisc()));
            }
            return null;
        });
    }

    /** The impairment {@code at} has now (its root qdisc in {@link Impair} terms), empty when its qdisc is none nslab makes. */
    public static Optional<Impair> impairment(String lab, IfRef at) throws Exception {
        return in(lab, at, r -> {
            for (Qdisc q : r.qdiscs().list(at.name())) if (q.isRoot()) return Impair.of(q.kind());
            return Optional.<Impair>empty();
        });
    }

    /** Most time {@link #linkState} waits for an interface brought up to carry traffic. */
    static final long SETTLE_MILLIS = 5_000;

    /**
     * {@code ip link set IF up|down} inside the node: a link flap the lab's file does not record. Up
     * returns once the interface is operationally up (at most {@link #SETTLE_MILLIS}) when its carrier
     * is on: until the kernel's link watcher has run, a veth end drops what it is given.
     */
    public static void linkState(String lab, IfRef at, boolean up) throws Exception {
        in(lab, at, r -> {
            r.links().set(at.name(), up ? LinkChange.up() : LinkChange.down());
            long deadline = System.nanoTime() + SETTLE_MILLIS * 1_000_000L;
            while (up && System.nanoTime() < deadline) {
                Optional<Link> l = r.links().get(at.name());
                if (l.isEmpty() || !l.get().isLowerUp() || l.get().operState() == LinkOperState.UP) break;
                Thread.sleep(5);
            }
            return null;
        });
    }

    private interface RtnlTask<T> { T run(Rtnl r) throws Exception; }

    private static <T> T in(String lab, IfRef at, RtnlTask<T> task) throws Exception {
        String netns = new KernelNames(lab).netns(at.node());
        if (!NetNs.exists(netns)) throw new NetNsException("lab " + lab + " has no node " + at.node() + " up (no netns " + netns + ")", Errno.ENOENT);
        try (NetNs ns = NetNs.open(netns)) {
            return ns.call(() -> {
                try (Rtnl r = Rtnl.open()) {
                    if (r.links().index(at.name()).isEmpty())
                        throw new ErrnoException(at.toString(), Errno.ENODEV, "node " + at.node() + " of lab " + lab + " has no interface " + at.name());
                    return task.run(r);
                }
            });
        }
    }
}
