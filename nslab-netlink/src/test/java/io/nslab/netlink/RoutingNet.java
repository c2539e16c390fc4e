package io.nslab.netlink;

import io.nslab.netlink.route.LinkConst;
import io.nslab.netlink.route.RtConst;
import io.nslab.netlink.wire.Netlink;
import io.nslab.netlink.wire.NlWriter;

/**
 * The few link messages the address/route tests need (veth pair, link up),
 * built by hand so these tests do not depend on the Links API.
 */
final class RoutingNet {
    private RoutingNet() {}

    /** {@code ip link add A type veth peer name B}. */
    static void veth(NlSocket s, String a, String b) throws ErrnoException {
        NlWriter w = new NlWriter(128);
        w.zeros(16);
        w.attrString(LinkConst.IFLA_IFNAME, a);
        int li = w.beginNest(LinkConst.IFLA_LINKINFO);
        w.attrString(LinkConst.IFLA_INFO_KIND, "veth");
        int data = w.beginNest(LinkConst.IFLA_INFO_DATA);
        int peer = w.beginNest(LinkConst.VETH_INFO_PEER);
        w.zeros(16);
        w.attrString(LinkConst.IFLA_IFNAME, b);
        w.endNest(peer);
        w.endNest(data);
        w.endNest(li);
        s.execute(new NlRequest(RtConst.RTM_NEWLINK, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL, w.toByteArray(), "link add " + a));
    }

    /** {@code ip link set NAME up}; returns its index. */
    static int up(NlSocket s, String name) throws ErrnoException {
        int index = Addresses.index(s, name, "link set " + name + " up");
        NlWriter w = new NlWriter(16);
        w.u8(0).u8(0).u16(0).u32(index).u32(LinkConst.IFF_UP).u32(LinkConst.IFF_UP);
        s.execute(new NlRequest(RtConst.RTM_NEWLINK, 0, w.toByteArray(), "link set " + name + " up"));
        return index;
    }

    static int index(NlSocket s, String name) throws ErrnoException {
        return Addresses.index(s, name, "link show " + name);
    }

    /** A veth pair, both ends up; returns the index of {@code a}. */
    static int vethUp(NlSocket s, String a, String b) throws ErrnoException {
        veth(s, a, b);
        up(s, b);
        return up(s, a);
    }
}
