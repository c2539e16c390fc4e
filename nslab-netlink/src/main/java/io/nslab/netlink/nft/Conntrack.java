package io.nslab.netlink.nft;

import io.nslab.netlink.NlRequest;
import io.nslab.netlink.NlSocket;
import io.nslab.netlink.sys.ErrnoException;
import io.nslab.netlink.wire.Netlink;
import io.nslab.netlink.wire.NlWriter;

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
            if (e.errno() != io.nslab.netlink.sys.Errno.ENOENT) throw e;
        }
    }
}
