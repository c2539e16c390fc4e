package io.nslab.netlink.netns;

import io.nslab.netlink.NlRequest;
import io.nslab.netlink.NlSocket;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.sys.LibC;
import io.nslab.netlink.wire.NlMessage;
import io.nslab.netlink.wire.NlWriter;

import java.util.OptionalInt;

import static io.nslab.netlink.route.RtConst.NETNSA_FD;
import static io.nslab.netlink.route.RtConst.NETNSA_NSID;
import static io.nslab.netlink.route.RtConst.NETNSA_NSID_NOT_ASSIGNED;
import static io.nslab.netlink.route.RtConst.RTM_GETNSID;
import static io.nslab.netlink.route.RtConst.RTM_NEWNSID;

/**
 * netnsid (linux/net_namespace.h): the number by which one namespace (the
 * socket's) refers to another, as in {@code ip netns set NAME ID} and the
 * "link-netnsid" of a veth whose peer lives elsewhere. Requests name the
 * other namespace by an open descriptor (NETNSA_FD).
 */
public final class NsIds {
    private NsIds() {}

    /** struct rtgenmsg { u8 family } padded to 4, then the attributes, as iproute2 sends it. */
    private static NlWriter body() {
        NlWriter w = new NlWriter(32);
        w.u8(LibC.AF_UNSPEC).zeros(3);
        return w;
    }

    /** RTM_GETNSID for the namespace open as {@code nsFd}. */
    public static NlRequest getRequest(int nsFd, String what) {
        NlWriter w = body();
        w.attrU32(NETNSA_FD, nsFd);
        return new NlRequest(RTM_GETNSID, 0, w.toByteArray(), what);
    }

    /** {@code ip netns list-id}: a dump of every id this namespace has given to another (one RTM_NEWNSID each). */
    public static NlRequest dumpRequest() {
        return new NlRequest(RTM_GETNSID, 0, body().toByteArray(), "netns list-id");
    }

    /** RTM_NEWNSID assigning {@code nsid} (-1: let the kernel choose) to the namespace open as {@code nsFd}. */
    public static NlRequest setRequest(int nsFd, int nsid, String what) {
        NlWriter w = body();
        w.attrU32(NETNSA_FD, nsFd);
        w.attrU32(NETNSA_NSID, nsid);
        return new NlRequest(RTM_NEWNSID, 0, w.toByteArray(), what);
    }

    /** The NETNSA_NSID of a reply; empty when not assigned. */
    public static OptionalInt parse(NlMessage reply) {
        OptionalInt id = reply.attrs(4).u32(NETNSA_NSID);
        if (id.isEmpty() || id.getAsInt() == NETNSA_NSID_NOT_ASSIGNED) return OptionalInt.empty();
        return id;
    }

    /** The id {@code target} has in the namespace of {@code sock}; empty when none is assigned. */
    public static OptionalInt get(NlSocket sock, NetNs target) throws NetNsException {
        String what = "netns id of " + target.label();
        try {
            for (NlMessage m : sock.query(getRequest(target.fd(), what))) {
                if (m.type() == RTM_NEWNSID) return parse(m);
            }
            return OptionalInt.empty();
        } catch (ErrnoException e) {
            throw NetNsException.of(what, e);
        }
    }

    /** Assigns {@code nsid} to {@code target} in the namespace of {@code sock}, like {@code ip netns set}. */
    public static void set(NlSocket sock, NetNs target, int nsid) throws NetNsException {
        String what = "netns set " + target.label() + " " + nsid;
        try {
            sock.execute(setRequest(target.fd(), nsid, what));
        } catch (ErrnoException e) {
            throw NetNsException.of(what, e);
        }
    }
}
