package io.nslab.netlink.route;

import io.nslab.netlink.NlRequest;
import io.nslab.netlink.wire.NlWriter;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.OptionalInt;

import static io.nslab.netlink.route.RtConst.*;
import static io.nslab.netlink.wire.Netlink.*;

/** Pure builders of neighbour requests, byte-compatible with iproute2 (neigh-*, dump-neigh fixtures). */
public final class NeighbourRequests {
    private NeighbourRequests() {}

    /** {@code ip neigh add}: fails if an entry exists. */
    public static NlRequest add(NeighbourSpec s) {
        return new NlRequest(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_EXCL, body(s, true), "neigh add " + s.describe());
    }

    /** {@code ip neigh replace}: adds or overwrites. */
    public static NlRequest replace(NeighbourSpec s) {
        return new NlRequest(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, body(s, true), "neigh replace " + s.describe());
    }

    /** {@code ip neigh del ADDR dev D}. */
    public static NlRequest del(NeighbourSpec s) {
        return new NlRequest(RTM_DELNEIGH, 0, body(s, false), "neigh del " + s.describe());
    }

    public static NlRequest del(Neighbour n) {
        NlWriter w = new NlWriter(48);
        w.u8(n.family()).u8(0).u16(0).u32(n.index()).u16(n.state()).u8(n.flags() & 0xff).u8(0);
        n.dst().ifPresent(a -> w.attrIp(NDA_DST, a));
        if (n.dst().isEmpty()) n.attrs().get(NDA_LLADDR).ifPresent(a -> w.attr(NDA_LLADDR, a.bytes()));
        return new NlRequest(RTM_DELNEIGH, 0, w.toByteArray(), "neigh del " + n.dst().map(IpPrefix::text).orElse(n.lladdr().orElse("?"))
                + " dev #" + n.index());
    }

    /**
     * {@code ip neigh get ADDR dev D} ({@code proxy}: the proxy entry, NTF_PROXY): one entry, answered by
     * RTM_NEWNEIGH or ENOENT. Sent as ip sends it, without NLM_F_ACK (the socket's query adds it).
     */
    public static NlRequest get(InetAddress dst, int index, boolean proxy) {
        NlWriter w = new NlWriter(40);
        w.u8(dst instanceof Inet4Address ? AddressFamily.INET : AddressFamily.INET6).u8(0).u16(0).u32(index).u16(0).u8(proxy ? NTF_PROXY : 0).u8(0);
        w.attrIp(NDA_DST, dst);
        return new NlRequest(RTM_GETNEIGH, 0, w.toByteArray(), "neigh get " + IpPrefix.text(dst) + " dev #" + index);
    }

    /** {@code ip neigh show}: every family and device. */
    public static NlRequest dump() { return dump(AddressFamily.UNSPEC, OptionalInt.empty()); }

    /** Neighbour dump filtered by family (UNSPEC = all) and, via NDA_IFINDEX, device. */
    public static NlRequest dump(int family, OptionalInt index) {
        NlWriter w = new NlWriter(24);
        w.u8(family).u8(0).u16(0).u32(0).u16(0).u8(0).u8(0);
        index.ifPresent(i -> w.attrU32(NDA_IFINDEX, i));
        return new NlRequest(RTM_GETNEIGH, 0, w.toByteArray(), "neigh show" + index.stream().mapToObj(i -> " dev #" + i).findFirst().orElse(""));
    }

    /** ndmsg + NDA_DST + NDA_LLADDR, as iproute2 orders them. */
    private static byte[] body(NeighbourSpec s, boolean add) {
        int index = s.index().orElseThrow(() -> new IllegalArgumentException(
                "neigh " + s.describe() + ": device not resolved to an index (use Neighbours, which looks it up)"));
        NlWriter w = new NlWriter(48);
        w.u8(s.family()).u8(0).u16(0).u32(index).u16(s.state()).u8(s.flags()).u8(0);
        w.attrIp(NDA_DST, s.dst());
        if (add) s.lladdr().ifPresent(l -> w.attr(NDA_LLADDR, NeighbourNames.parseLladdr(l)));
        return w.toByteArray();
    }
}
