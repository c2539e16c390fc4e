package io.nslab.netlink;

import io.nslab.netlink.wire.DecodeException;
import io.nslab.netlink.wire.Netlink;
import io.nslab.netlink.wire.NlMessage;
import io.nslab.netlink.wire.NlWriter;

import java.util.List;

/**
 * Which TCP ports have a listening socket in a network namespace, asked over NETLINK_SOCK_DIAG
 * ({@code ss -tln state listening}): a {@code SOCK_DIAG_BY_FAMILY} dump of {@code inet_diag_req_v2} with
 * only {@code TCPF_LISTEN} in {@code idiag_states}, once for AF_INET and once for AF_INET6. With only that
 * state the kernel walks just the listening hash (inet_diag_dump_icsk skips the established table); reading
 * {@code /proc/PID/net/tcp} instead walks the whole established hash of the machine, about 7 ms here per
 * read whatever the namespace holds. The socket answers for the namespace it was opened in.
 */
public final class InetDiag implements AutoCloseable {
    public static final int SOCK_DIAG_BY_FAMILY = 20, IPPROTO_TCP = 6, TCP_LISTEN = 10;
    static final int AF_INET = 2, AF_INET6 = 10;
    /** inet_diag_req_v2: family, protocol, ext, pad, states (u32), inet_diag_sockid (48 bytes). */
    static final int REQ_LEN = 56;
    /** inet_diag_msg: family, state, timer, retrans, then inet_diag_sockid (sport first, big-endian). */
    static final int MSG_MIN = 4 + 48 + 20;

    /** The compat request type (linux/inet_diag.h): TCP sockets of both families in one dump. */
    public static final int TCPDIAG_GETSOCK = 18;
    /** inet_diag_req (v1): family, src_len, dst_len, ext, inet_diag_sockid (48 bytes), states (u32), dbs (u32). */
    static final int REQ_V1_LEN = 60;

    private final NlSocket socket;
    /** Whether this kernel refused the compat request: then one dump per family. */
    private boolean perFamily;

    private InetDiag(NlSocket socket) {
        this.socket = socket;
    }

    /** A diag socket in the calling thread's network namespace (a small first buffer: many may be open at once). */
    public static InetDiag open() throws ErrnoException {
        return new InetDiag(NlSocket.open(Netlink.NETLINK_SOCK_DIAG, 4096));
    }

    /**
     * Whether a TCP socket listens on {@code port} (any address, IPv4 or IPv6) in this socket's namespace. One
     * dump for both families: the compat {@code TCPDIAG_GETSOCK} request, which the kernel answers with
     * {@code sdiag_family = AF_UNSPEC} (inet_diag_dump_compat), so its listening walk keeps sockets of either
     * family; a probe is then one request and one reply instead of two of each. Where the kernel refuses it,
     * the two {@code SOCK_DIAG_BY_FAMILY} dumps of {@code ss}.
     */
    public boolean tcpListening(int port) throws ErrnoException {
        if (!perFamily) {
            try {
                for (NlMessage m : socket.dump(listenRequestBothFamilies()))
                    if (m.type() == TCPDIAG_GETSOCK && listeningPort(m.payload()) == port) return true;
                return false;
            } catch (ErrnoException e) {
                if (!(e.is(Errno.EINVAL) || e.is(Errno.ENOENT) || e.is(Errno.EOPNOTSUPP))) throw e;
                perFamily = true;
            }
        }
        for (int family : new int[] {AF_INET, AF_INET6}) {
            List<NlMessage> replies;
            try {
                replies = socket.dump(listenRequest(family));
            } catch (ErrnoException e) {
                if (family == AF_INET6 && (e.is(Errno.ENOENT) || e.is(Errno.EAFNOSUPPORT))) continue; // no IPv6 here
                throw e;
            }
            for (NlMessage m : replies)
                if (m.type() == SOCK_DIAG_BY_FAMILY && listeningPort(m.payload()) == port) return true;
        }
        return false;
    }

    /** The dump request body (after nlmsghdr): TCP sockets of {@code family} in state LISTEN. Pure. */
    static NlRequest listenRequest(int family) {
        NlWriter w = new NlWriter(REQ_LEN);
        w.u8(family).u8(IPPROTO_TCP).u8(0).u8(0).u32(1 << TCP_LISTEN).zeros(REQ_LEN - 8);
        return new NlRequest(SOCK_DIAG_BY_FAMILY, 0, w.toByteArray(), "sock_diag tcp listen " + (family == AF_INET ? "inet" : "inet6"));
    }

    /** Whether probes use the one compat dump (false once the kernel refused it). For tests. */
    boolean oneDump() { return !perFamily; }

    /** {@link #tcpListening} the way {@code ss} asks: one {@code SOCK_DIAG_BY_FAMILY} dump per family. */
    boolean tcpListeningPerFamily(int port) throws ErrnoException {
        boolean was = perFamily;
        perFamily = true;
        try {
            return tcpListening(port);
        } finally {
            perFamily = was;
        }
    }

    /**
     * The compat dump request body (after nlmsghdr, type {@link #TCPDIAG_GETSOCK}): inet_diag_req with only
     * TCPF_LISTEN in idiag_states; its family byte (AF_INET, as ss sets it) is ignored by a dump. Pure.
     */
    static NlRequest listenRequestBothFamilies() {
        NlWriter w = new NlWriter(REQ_V1_LEN);
        w.u8(AF_INET).u8(0).u8(0).u8(0).zeros(48).u32(1 << TCP_LISTEN).u32(0);
        return new NlRequest(TCPDIAG_GETSOCK, 0, w.toByteArray(), "sock_diag tcp listen (compat, both families)");
    }

    /** The local port of one inet_diag_msg if its socket is in LISTEN, else -1. Pure. */
    static int listeningPort(byte[] payload) {
        if (payload.length < MSG_MIN) throw new DecodeException("inet_diag_msg of " + payload.length + " bytes, want at least " + MSG_MIN, 0);
        if ((payload[1] & 0xff) != TCP_LISTEN) return -1;
        return ((payload[4] & 0xff) << 8) | (payload[5] & 0xff);
    }

    @Override public void close() { socket.close(); }
}
