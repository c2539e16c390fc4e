package io.nslab.lab.apply;

import io.nslab.lab.model.IfRef;
import io.nslab.lab.model.KernelNames;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.Links;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.route.Link;
import io.nslab.netlink.route.LinkChange;
import io.nslab.state.Marker;

import java.io.IOException;
import java.util.Optional;

/**
 * The mark inside a namespace a lab made: the alias {@code nslab:lab:LAB} on
 * its loopback ({@link Marker}), set by the thread that made the namespace,
 * before anything else happens in it. With the journaled inode
 * ({@link NsInodes}) it is how {@code down} proves a namespace is the lab's:
 * a namespace named in the journal without an inode record is deleted only if
 * it carries the mark, and {@code down --recover} (a journal that does not
 * check) deletes only namespaces named {@code LAB.NODE} that carry it.
 */
public final class NsMarks {
    private NsMarks() {}

    /** The mark namespace {@code netns} gets: {@code nslab:lab:LAB} for {@code LAB.NODE}; empty for a name no lab gives. */
    public static Optional<Marker> of(String netns) {
        return KernelNames.parseNetns(netns).map(IfRef::node).map(Marker::lab); // (lab, node): the lab is the first part
    }

    /** Marks the namespace the socket of {@code links} is in as {@code netns}'s: one request on a socket already open there. */
    static void mark(Links links, String netns) throws ErrnoException {
        Optional<Marker> m = of(netns);
        if (m.isPresent()) links.set("lo", LinkChange.alias(m.get().text()));
    }

    /** The alias of the loopback of {@code netns} now (empty: none, or no such namespace). */
    public static Optional<String> read(String netns) throws IOException {
        if (!NetNs.exists(netns)) return Optional.empty();
        try (NetNs ns = NetNs.open(netns)) {
            return ns.call(() -> {
                try (Rtnl r = Rtnl.open()) {
                    return r.links().get("lo").flatMap(Link::alias);
                }
            });
        }
    }

    /** Whether {@code netns} exists and carries its lab's mark. */
    public static boolean carries(String netns) throws IOException {
        Optional<Marker> m = of(netns);
        return m.isPresent() && m.get().on(read(netns));
    }
}
