package io.nslab.lab.apply;

import io.nslab.lab.plan.NsRef;
import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.Links;
import io.nslab.netlink.route.Link;
import io.nslab.netlink.route.LinkSpec;
import io.nslab.state.Marker;

import java.util.Optional;

/**
 * The mark on links a lab makes outside its own namespaces (in the namespace
 * nslab runs in: a host-side veth end): {@code nslab:lab:LAB} as the link's
 * alias, sent in the same sendmsg as the add ({@link Marker#index}), and
 * checked with the ifindex and name of one dump before such a link is
 * deleted. Inside the lab's namespaces nothing is marked link by link: the
 * namespace is the unit (its lo carries the mark, {@link NsMarks}) and goes
 * whole.
 */
final class HostMarks {
    private volatile Optional<Marker> owner = Optional.empty();

    void owner(String lab) {
        owner = Optional.of(Marker.lab(lab));
    }

    /** {@code spec} as it is made in {@code ns}: marked (with an ifindex of nslab's choice) when outside the lab's namespaces. */
    LinkSpec mark(NsRef ns, LinkSpec spec) {
        if (!ns.isHost() || owner.isEmpty()) return spec;
        LinkSpec marked = spec.withAlias(owner.get().text());
        return spec.index().isPresent() ? marked : marked.withIndex(Marker.index());
    }

    /**
     * Deletes link {@code name} of the namespace {@code links} works in, made by
     * the lab outside its namespaces: only while it carries the lab's mark, by
     * the ifindex found with that name and mark. Gone already is success; a
     * link of that name without the mark is someone else's and is left alone.
     */
    void delete(Links links, NsRef ns, String name) throws ErrnoException {
        Optional<Link> foreign = links.deleteIfAlias(name, a -> owner.isPresent() && owner.get().on(a));
        if (foreign.isPresent())
            throw new ErrnoException("link del " + name + " (" + ns + ")", Errno.EPERM, "left alone: it does not carry "
                    + owner.map(Marker::text).orElse("the lab's mark") + " (" + Marker.carried(foreign.get().alias())
                    + "), so it is not the link the lab made; delete it yourself if it is, then run down again");
    }
}
