package io.nslab.netlink;

import io.nslab.netlink.route.AddressFamily;
import io.nslab.netlink.route.Neighbour;
import io.nslab.netlink.route.NeighbourRequests;
import io.nslab.netlink.route.NeighbourSpec;
import io.nslab.netlink.route.RtConst;
import io.nslab.netlink.wire.NlMessage;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/** Neighbour (ARP/NDP) entries over one rtnetlink socket: {@code ip neigh add/replace/del/show}. */
public final class Neighbours {
    private final NlSocket socket;

    public Neighbours(NlSocket socket) { this.socket = socket; }

    public void add(NeighbourSpec s) throws ErrnoException { socket.execute(NeighbourRequests.add(resolved(s, "neigh add"))); }
    public void replace(NeighbourSpec s) throws ErrnoException { socket.execute(NeighbourRequests.replace(resolved(s, "neigh replace"))); }
    public void del(NeighbourSpec s) throws ErrnoException { socket.execute(NeighbourRequests.del(resolved(s, "neigh del"))); }
    public void del(Neighbour n) throws ErrnoException { socket.execute(NeighbourRequests.del(n)); }

    /** {@code ip neigh get}: the entry for {@code dst} on device {@code index} (ENOENT when there is none). */
    public Neighbour get(InetAddress dst, int index, boolean proxy) throws ErrnoException {
        NlRequest req = NeighbourRequests.get(dst, index, proxy);
        for (NlMessage m : socket.query(req)) {
            if (m.type() == RtConst.RTM_NEWNEIGH) return Neighbour.decode(m);
        }
        throw new ErrnoException(req.what() + " (the kernel answered without an entry)", Errno.ENOENT);
    }

    /** Every IPv4 and IPv6 neighbour entry (NOARP ones included, unlike plain {@code ip neigh}). */
    public List<Neighbour> dump() throws ErrnoException { return dump(AddressFamily.UNSPEC, OptionalInt.empty()); }

    public List<Neighbour> dump(int family, OptionalInt index) throws ErrnoException {
        List<Neighbour> out = new ArrayList<>();
        for (NlMessage m : socket.dump(NeighbourRequests.dump(family, index))) {
            if (m.type() != RtConst.RTM_NEWNEIGH) continue;
            Neighbour n = Neighbour.decode(m);
            if (family != AddressFamily.UNSPEC && n.family() != family) continue;
            if (index.isPresent() && n.index() != index.getAsInt()) continue;
            out.add(n);
        }
        return out;
    }

    public List<Neighbour> list(String device) throws ErrnoException {
        return dump(AddressFamily.UNSPEC, OptionalInt.of(Addresses.index(socket, device, "neigh show dev " + device)));
    }

    /**
     * {@code ip neigh flush [dev D]}: deletes, pipelined, the learned entries
     * (permanent and noarp ones stay, as with ip). An entry already gone is
     * not an error. Returns how many were deleted.
     */
    public int flush(int family, OptionalInt index) throws ErrnoException {
        List<NlRequest> reqs = new ArrayList<>();
        for (Neighbour n : dump(family, index)) {
            if ((n.state() & (RtConst.NUD_PERMANENT | RtConst.NUD_NOARP)) == 0 && n.dst().isPresent()) reqs.add(NeighbourRequests.del(n));
        }
        return Deletions.run(socket, reqs, Errno.ENOENT);
    }

    private NeighbourSpec resolved(NeighbourSpec s, String verb) throws ErrnoException {
        if (s.index().isPresent()) return s;
        return s.withIndex(Addresses.index(socket, s.device().orElseThrow(), verb + " " + s.describe()));
    }
}
