package io.nslab.netlink.nft;

import io.nslab.netlink.NlRequest;
import io.nslab.netlink.NlSocket;
import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.Netlink;
import io.nslab.netlink.wire.NlMessage;
import io.nslab.netlink.wire.NlWriter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.nslab.netlink.nft.ConntrackFlush.*;

/**
 * Sends a {@link ConntrackFlush} (layout A: one filtered {@code IPCTNL_MSG_CT_DELETE},
 * the kernel walks its table) over NETLINK_NETFILTER, in the namespace of the
 * calling thread. The request builder is pure, so its bytes are tested
 * against the golden vector documented in {@link ConntrackFlush}.
 */
public final class Conntrack {
    private Conntrack() {}

    /** The request body (after nlmsghdr); flags are REQUEST|ACK, added by the socket. */
    public static NlRequest flushRequest(ConntrackFlush f) {
        NlWriter w = new NlWriter(128);
        w.u8(f.nfgenFamily()).u8(0).u16(0); // nfgenmsg: family, NFNETLINK_V0, res_id (be16 0)
        int orig = w.beginNest(CTA_TUPLE_ORIG, true);
        int proto = w.beginNest(CTA_TUPLE_PROTO, true);
        w.attrU8(CTA_PROTO_NUM, f.proto().number());
        w.attrBe16(CTA_PROTO_DST_PORT, f.hostPort());
        w.endNest(proto);
        if (f.hostIp().isPresent()) {
            int ip = w.beginNest(CTA_TUPLE_IP, true);
            w.attrIp(f.ipv6() ? CTA_IP_V6_DST : CTA_IP_V4_DST, f.hostIp().get());
            w.endNest(ip);
        }
        w.endNest(orig);
        int filter = w.beginNest(CTA_FILTER, true);
        w.attrU32(CTA_FILTER_ORIG_FLAGS, f.origFilterFlags());
        w.endNest(filter);
        int type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_DELETE;
        return new NlRequest(type, 0, w.toByteArray(),
                "conntrack flush " + f.proto().nft() + " dport " + f.hostPort() + f.hostIp().map(a -> " dst " + a.getHostAddress()).orElse(""));
    }

    /**
     * Deletes the matching entries in the calling thread's namespace. ENOENT
     * (nothing matched, on kernels that report it) is success.
     */
    public static void flush(ConntrackFlush f) throws ErrnoException {
        try (NlSocket s = NlSocket.open(Netlink.NETLINK_NETFILTER)) {
            s.execute(flushRequest(f));
        } catch (ErrnoException e) {
            if (e.is(Errno.ENOENT)) return;
            // Kernels before 6.3 (Debian 12's 6.1) cannot filter a delete: EINVAL.
            if (!e.is(Errno.EINVAL)) throw e;
            flushByDump(f);
        }
    }

    /**
     * Layout B of {@link ConntrackFlush}: dump the table, delete each match by
     * its exact original tuple (with its zone and id, so a recycled entry is
     * spared), pipelined. Works on every kernel with ctnetlink.
     */
    public static int flushByDump(ConntrackFlush f) throws ErrnoException {
        try (NlSocket s = NlSocket.open(Netlink.NETLINK_NETFILTER)) {
            List<NlRequest> deletes = new ArrayList<>();
            for (Attrs entry : matching(s, f)) {
                NlWriter w = new NlWriter(128);
                w.u8(f.nfgenFamily()).u8(0).u16(0);
                for (int kind : new int[] {CTA_TUPLE_ORIG, CTA_ZONE, CTA_ID})
                    entry.get(kind).ifPresent(a -> w.attr(a.rawType(), a.bytes()));
                deletes.add(new NlRequest((NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_DELETE, 0, w.toByteArray(),
                        "conntrack delete " + f.proto().nft() + " dport " + f.hostPort()));
            }
            int deleted = 0;
            for (Optional<ErrnoException> r : s.executeAll(deletes)) {
                if (r.isEmpty()) deleted++;
                else if (!r.get().is(Errno.ENOENT)) throw r.get();   // already gone: fine
            }
            return deleted;
        }
    }

    /** The entries (attributes after nfgenmsg) whose original tuple matches {@code f}. */
    static List<Attrs> matching(NlSocket s, ConntrackFlush f) throws ErrnoException {
        NlWriter w = new NlWriter(8);
        w.u8(f.nfgenFamily()).u8(0).u16(0);
        NlRequest dump = new NlRequest((NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET, 0, w.toByteArray(), "conntrack list");
        List<Attrs> out = new ArrayList<>();
        for (NlMessage m : s.dump(dump)) {
            byte[] p = m.payload();
            if (p.length < 4) continue;
            Attrs entry = Attrs.parse(p, 4, p.length - 4);
            Attrs orig = entry.nested(CTA_TUPLE_ORIG);
            Attrs proto = orig.nested(CTA_TUPLE_PROTO);
            if (proto.u8(CTA_PROTO_NUM).orElse(-1) != f.proto().number()) continue;
            if (proto.be16(CTA_PROTO_DST_PORT).orElse(-1) != f.hostPort()) continue;
            if (f.hostIp().isPresent()
                    && !f.hostIp().equals(orig.nested(CTA_TUPLE_IP).ip(f.ipv6() ? CTA_IP_V6_DST : CTA_IP_V4_DST))) continue;
            out.add(entry);
        }
        return out;
    }

    /** How many entries match {@code f} in the calling thread's namespace. */
    public static int count(ConntrackFlush f) throws ErrnoException {
        try (NlSocket s = NlSocket.open(Netlink.NETLINK_NETFILTER)) {
            return matching(s, f).size();
        }
    }
}
