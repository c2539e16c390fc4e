package io.nslab.netlink;

import io.nslab.netlink.sys.LibC;
import io.nslab.netlink.sys.NetlinkChannel;
import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.DecodeException;
import io.nslab.netlink.wire.NlMessage;
import io.nslab.netlink.wire.NlWriter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

import static io.nslab.netlink.wire.Netlink.*;

/**
 * A netlink request/response socket: sequence numbers, ACKs with the
 * kernel's extended-ACK text, multi-part dumps retried when interrupted, and
 * pipelined batches (many requests per sendmsg, ACKs collected after).
 * Bound to the namespace of the thread that opened it. Not thread-safe.
 */
public final class NlSocket implements AutoCloseable {
    /** Most messages written per sendmsg, so their ACKs always fit the receive buffer. */
    static final int CHUNK_MESSAGES = 256;
    static final int CHUNK_BYTES = 256 * 1024;
    static final int DUMP_RETRIES = 8;
    /** How long one wait for the kernel's next datagram may last by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final NetlinkChannel ch;
    private final int protocol;
    /** Reused for every request sent (the socket is not thread-safe anyway): no buffer allocated per request. */
    private final NlWriter writer = new NlWriter(4096);
    private int seq;
    private long restarts;
    private Duration timeout = DEFAULT_TIMEOUT;

    private NlSocket(NetlinkChannel ch, int protocol) {
        this.ch = ch;
        this.protocol = protocol;
        this.seq = (int) (System.nanoTime() & 0x3fffffff);
    }

    /** Opens a request socket in the calling thread's network namespace. */
    public static NlSocket open(int protocol) throws ErrnoException {
        return open(protocol, NetlinkChannel.DEFAULT_RECEIVE_BUFFER);
    }

    /** As {@link #open(int)}, with a first user-space receive buffer of {@code receiveBuffer} bytes (it grows as needed). */
    static NlSocket open(int protocol, int receiveBuffer) throws ErrnoException {
        NetlinkChannel ch = NetlinkChannel.open(protocol, 0, receiveBuffer);
        try {
            ch.setOption(LibC.SOL_NETLINK, NETLINK_EXT_ACK, 1);
            ch.setOption(LibC.SOL_NETLINK, NETLINK_CAP_ACK, 1);
            if (protocol == NETLINK_ROUTE) ch.setOption(LibC.SOL_NETLINK, NETLINK_GET_STRICT_CHK, 1);
            ch.setBuffer(true, 4 << 20);
            ch.setBuffer(false, 1 << 20);
            ch.setReceiveTimeout(DEFAULT_TIMEOUT.toMillis());
            return new NlSocket(ch, protocol);
        } catch (ErrnoException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public int protocol() { return protocol; }

    /**
     * The ifindex of the link called {@code name} in this socket's namespace,
     * without a netlink round trip: ioctl(SIOCGIFINDEX) on this socket, which
     * does not wait for the rtnl lock (a namespace being torn down can hold it
     * for a second). Empty if there is no such link.
     */
    public OptionalInt linkIndex(String name) throws ErrnoException {
        return LibC.ifIndex(ch.fd(), name);
    }

    /**
     * Sets how long one wait for the kernel's next datagram may last before
     * the call fails with ETIMEDOUT (SO_RCVTIMEO on this socket only).
     */
    public void timeout(Duration t) throws ErrnoException {
        long ms = t.toMillis();
        if (ms <= 0) throw new IllegalArgumentException("netlink timeout must be positive, not " + t);
        ch.setReceiveTimeout(ms);
        timeout = Duration.ofMillis(ms);
    }

    public Duration timeout() { return timeout; }
    public int pid() { return ch.pid(); }

    long receiveBufferSize() { return ch.receiveBufferSize(); }

    /** How many GETs and dumps this socket has had to restart (interrupted or truncated), for tests and diagnostics. */
    public long restarts() { return restarts; }

    private int nextSeq() {
        seq = (seq + 1) & 0x7fffffff;
        if (seq == 0) seq = 1;
        return seq;
    }

    /** For tests: the sequence number the next request follows. */
    void seedSequence(int s) { seq = s & 0x7fffffff; }

    /** Sends one change request and waits for its ACK. */
    public void execute(NlRequest r) throws ErrnoException {
        Optional<ErrnoException> e = executeAll(List.of(r)).get(0);
        if (e.isPresent()) throw e.get();
    }

    /**
     * Sends requests pipelined and returns, per request, its error if any.
     * The kernel goes on past a failed request; callers wanting all-or-nothing
     * check the result and undo.
     */
    public List<Optional<ErrnoException>> executeAll(List<NlRequest> requests) throws ErrnoException {
        List<Optional<ErrnoException>> results = new ArrayList<>(requests.size());
        NlWriter w = writer;
        int i = 0;
        while (i < requests.size()) {
            w.reset();
            // ACKs are matched to requests by seq - firstSeq: keep a chunk's numbers contiguous (no wrap inside it).
            if (seq > 0x7fffffff - CHUNK_MESSAGES - 1) seq = 0;
            int first = i, firstSeq = -1;
            while (i < requests.size() && i - first < CHUNK_MESSAGES && (i == first || w.position() < CHUNK_BYTES)) {
                NlRequest r = requests.get(i);
                int s = nextSeq();
                if (firstSeq < 0) firstSeq = s;
                int start = w.beginMessage(r.type(), r.flags() | NLM_F_REQUEST | NLM_F_ACK, s, 0);
                w.bytes(r.bodyUnsafe());
                w.endMessage(start);
                i++;
            }
            byte[] data = w.toByteArray();
            ch.send(data, 0, data.length);
            collectAcks(requests.subList(first, i), firstSeq, results);
        }
        return results;
    }

    /**
     * Sends an nfnetlink batch as one datagram: {@code begin}, each of
     * {@code body} with NLM_F_ACK, {@code end}. The kernel runs the whole
     * batch inside the send and queues every answer before it returns, all
     * or nothing: each body message gets its ACK or its error, and a refusal
     * of the batch itself (no privilege, no such subsystem) comes as an error
     * for {@code begin}. Returns the other messages the kernel sent back for
     * body messages (NLM_F_ECHO), in the order received. Without {@code end}
     * (null) the kernel checks the whole batch, answers as usual, and commits nothing.
     *
     * @throws BatchError the error of the first refused message, named by its {@link NlRequest#what()}
     */
    public List<NlMessage> batch(NlRequest begin, List<NlRequest> body, NlRequest end) throws ErrnoException {
        Objects.requireNonNull(begin, "begin");
        if (seq > 0x7fffffff - body.size() - 3) seq = 0;
        NlWriter w = new NlWriter(4096 + body.size() * 256);
        int beginSeq = nextSeq();
        int s = w.beginMessage(begin.type(), begin.flags() | NLM_F_REQUEST, beginSeq, 0);
        w.bytes(begin.bodyUnsafe());
        w.endMessage(s);
        int firstSeq = -1;
        for (NlRequest r : body) {
            int q = nextSeq();
            if (firstSeq < 0) firstSeq = q;
            s = w.beginMessage(r.type(), r.flags() | NLM_F_REQUEST | NLM_F_ACK, q, 0);
            w.bytes(r.bodyUnsafe());
            w.endMessage(s);
        }
        if (end != null) {
            s = w.beginMessage(end.type(), end.flags() | NLM_F_REQUEST, nextSeq(), 0);
            w.bytes(end.bodyUnsafe());
            w.endMessage(s);
        }
        byte[] data = w.toByteArray();
        ch.send(data, 0, data.length);

        BatchError[] errors = new BatchError[body.size()];
        boolean[] done = new boolean[body.size()];
        int pending = body.size();
        BatchError batchError = null;
        List<NlMessage> echoes = new ArrayList<>();
        boolean failed = false;
        while (pending > 0 || failed) {
            byte[] d;
            if (failed) {
                // everything the kernel had to say is queued already: take what is left, then stop
                Optional<byte[]> more = ch.receive(true);
                if (more.isEmpty()) break;
                d = more.get();
            } else {
                d = receiveOrTimeout(body.isEmpty() ? begin.what() : body.get(0).what());
            }
            for (NlMessage m : NlMessage.parseAll(d, 0, d.length)) {
                int idx = m.seq() - firstSeq;
                boolean ours = firstSeq >= 0 && idx >= 0 && idx < body.size();
                if (m.type() == NLMSG_ERROR && m.payloadLength() >= 4) {
                    int err = m.payloadBuffer().getInt(0);
                    if (m.seq() == beginSeq && err != 0) {
                        batchError = new BatchError(error(begin.what(), -err, m), -1);
                        failed = true;
                    } else if (ours && !done[idx]) {
                        done[idx] = true;
                        pending--;
                        if (err != 0) {
                            errors[idx] = new BatchError(error(body.get(idx).what(), -err, m), idx);
                            failed = true;
                        }
                    }
                } else if (ours) {
                    echoes.add(m);
                }
            }
        }
        if (batchError != null) throw batchError;
        for (BatchError e : errors) if (e != null) throw e;
        return echoes;
    }

    /** A refusal of a {@link #batch}: {@link #index()} is the refused body message, or -1 for the batch itself. */
    public static final class BatchError extends ErrnoException {
        private final int index;

        BatchError(ErrnoException e, int index) {
            super(e.call(), e.errno(), e.detail().orElse(null));
            this.index = index;
        }

        public int index() { return index; }
    }

    private void collectAcks(List<NlRequest> chunk, int firstSeq, List<Optional<ErrnoException>> out) throws ErrnoException {
        int base = out.size();
        for (int k = 0; k < chunk.size(); k++) out.add(null);
        int pending = chunk.size();
        while (pending > 0) {
            pending -= matchAcks(receiveOrTimeout(chunk.get(0).what()), chunk, firstSeq, out, base);
        }
    }

    /**
     * Records the ACKs in datagram {@code d} for requests of {@code chunk}
     * (sequence numbers from {@code firstSeq}) into {@code out[base..]};
     * returns how many were new. A datagram may hold several messages;
     * others' and repeated ones are skipped. Headers are read in place:
     * most ACKs say "done" and need no message object.
     */
    static int matchAcks(byte[] d, List<NlRequest> chunk, int firstSeq, List<Optional<ErrnoException>> out, int base) {
        ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.nativeOrder());
        int matched = 0;
        int p = 0;
        while (p + NLMSG_HDRLEN <= d.length) {
            int len = b.getInt(p);
            if (len < NLMSG_HDRLEN || p + len > d.length) throw new DecodeException("nlmsg_len " + len + " overruns the " + d.length + "-byte datagram", p);
            int idx = b.getInt(p + 8) - firstSeq;
            if ((b.getShort(p + 4) & 0xffff) == NLMSG_ERROR && len >= NLMSG_HDRLEN + 4
                    && idx >= 0 && idx < chunk.size() && out.get(base + idx) == null) {
                int err = b.getInt(p + NLMSG_HDRLEN);
                out.set(base + idx, err == 0 ? Optional.empty()
                        : Optional.of(error(chunk.get(idx).what(), -err, NlMessage.parse(Arrays.copyOfRange(d, p, p + len)))));
                matched++;
            }
            p += align(len);
        }
        return matched;
    }

    /**
     * Sends a request expecting replies (a GET), returns them; the ACK ends the
     * exchange. Asked again (a bounded number of times) if a reply was larger
     * than the receive buffer, which has grown to hold it by then.
     */
    public List<NlMessage> query(NlRequest r) throws ErrnoException {
        return exchange(r, NLM_F_REQUEST | NLM_F_ACK | r.flags());
    }

    /** Runs a dump; restarts it (a bounded number of times) when the kernel flags it interrupted. */
    public List<NlMessage> dump(NlRequest r) throws ErrnoException {
        return exchange(r, NLM_F_REQUEST | NLM_F_DUMP | r.flags());
    }

    /**
     * One GET or dump, read to its end (NLMSG_DONE or the ACK) and restarted
     * when the kernel flags it interrupted (NLM_F_DUMP_INTR) or a datagram was
     * lost to a too small buffer; at most {@value #DUMP_RETRIES} attempts.
     */
    private List<NlMessage> exchange(NlRequest r, int flags) throws ErrnoException {
        for (int attempt = 1; ; attempt++) {
            int s = nextSeq();
            send(r, flags, s);
            List<NlMessage> out = new ArrayList<>();
            boolean interrupted = false, truncated = false, done = false;
            while (!done) {
                byte[] d;
                try {
                    d = receiveOrTimeout(r.what());
                } catch (ErrnoException e) {
                    if (!e.is(Errno.EMSGSIZE)) throw e;
                    truncated = true;   // the buffer has grown; read on to this exchange's end, then ask again
                    continue;
                }
                for (NlMessage m : NlMessage.parseAll(d, 0, d.length)) {
                    if (m.seq() != s) continue;
                    if ((m.flags() & NLM_F_DUMP_INTR) != 0) interrupted = true;
                    if (m.type() == NLMSG_DONE || m.type() == NLMSG_ERROR) {
                        int err = m.payloadLength() >= 4 ? m.payloadBuffer().getInt(0) : 0;
                        if (err < 0) throw error(r.what(), -err, m);
                        done = true;
                        break;
                    }
                    out.add(m);
                }
            }
            if (!interrupted && !truncated) return out;
            restarts++;
            if (attempt >= DUMP_RETRIES) {
                throw new ErrnoException(r.what() + " (" + (interrupted ? "dump interrupted by concurrent changes" : "reply larger than the receive buffer")
                        + " " + DUMP_RETRIES + " times)", interrupted ? Errno.EINTR : Errno.EMSGSIZE);
            }
        }
    }

    private void send(NlRequest r, int flags, int s) throws ErrnoException {
        NlWriter w = writer;
        w.reset();
        int start = w.beginMessage(r.type(), flags, s, 0);
        w.bytes(r.bodyUnsafe());
        w.endMessage(start);
        byte[] data = w.toByteArray();
        ch.send(data, 0, data.length);
    }

    byte[] receiveOrTimeout(String what) throws ErrnoException {
        return ch.receive(false).orElseThrow(
                () -> new ErrnoException(what + " (no reply from the kernel in " + timeout.toMillis() + " ms)", Errno.ETIMEDOUT));
    }

    /** Builds the exception for an NLMSG_ERROR/DONE carrying {@code errno}, with extended-ACK text. */
    static ErrnoException error(String what, int errno, NlMessage m) {
        return new ErrnoException(what, errno, extAckMessage(m).orElse(null));
    }

    static Optional<String> extAckMessage(NlMessage m) {
        if ((m.flags() & NLM_F_ACK_TLVS) == 0) return Optional.empty();
        ByteBuffer p = m.payloadBuffer().order(ByteOrder.nativeOrder());
        int off;
        if (m.type() == NLMSG_DONE) {
            off = 4;
        } else {
            // int error + the request's nlmsghdr (+ its payload unless the ACK is capped)
            int origLen = p.getInt(4);
            off = 4 + ((m.flags() & NLM_F_CAPPED) != 0 ? NLMSG_HDRLEN : align(origLen));
        }
        byte[] pl = m.payload();
        if (off >= pl.length) return Optional.empty();
        Attrs tlv = Attrs.parse(pl, off, pl.length - off);
        Optional<String> msg = tlv.string(NLMSGERR_ATTR_MSG).filter(s -> !s.isBlank());
        // The kernel may flag a missing attribute without any text (NL_SET_ERR_ATTR_MISS): say which one.
        var missing = tlv.u32(NLMSGERR_ATTR_MISS_TYPE);
        if (missing.isEmpty()) return msg;
        String miss = "missing attribute type " + missing.getAsInt();
        return Optional.of(msg.map(text -> text + " (" + miss + ")").orElse(miss));
    }

    @Override public void close() { ch.close(); }
}
