package io.nslab.netlink.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** One netlink message: header fields and the raw payload after the header. */
public record NlMessage(int type, int flags, int seq, int pid, byte[] payload) {
    public NlMessage {
        payload = payload.clone();
    }

    @Override public byte[] payload() { return payload.clone(); }

    /** The payload as a little-endian read-only buffer, without copying. */
    public ByteBuffer payloadBuffer() { return ByteBuffer.wrap(payload).asReadOnlyBuffer().order(ByteOrder.nativeOrder()); }

    public int payloadLength() { return payload.length; }

    /** Attributes that follow a fixed header of {@code headerLen} bytes. */
    public Attrs attrs(int headerLen) {
        int h = Netlink.align(headerLen);
        if (payload.length < h) throw new DecodeException("message type " + type + " shorter than its " + headerLen + "-byte header", Netlink.NLMSG_HDRLEN);
        return Attrs.parse(payload, h, payload.length - h);
    }

    public byte[] encode() {
        NlWriter w = new NlWriter(Netlink.NLMSG_HDRLEN + payload.length);
        int s = w.beginMessage(type, flags, seq, pid);
        w.bytes(payload);
        w.endMessage(s);
        return w.toByteArray();
    }

    /** Splits a datagram into messages. */
    public static List<NlMessage> parseAll(byte[] data, int off, int len) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.nativeOrder());
        List<NlMessage> out = new ArrayList<>();
        int p = off, end = off + len;
        while (p + Netlink.NLMSG_HDRLEN <= end) {
            int mlen = b.getInt(p);
            if (mlen < Netlink.NLMSG_HDRLEN || p + mlen > end) throw new DecodeException("nlmsg_len " + mlen + " overruns the " + len + "-byte datagram", p);
            int type = b.getShort(p + 4) & 0xffff, flags = b.getShort(p + 6) & 0xffff;
            int seq = b.getInt(p + 8), pid = b.getInt(p + 12);
            byte[] pl = Arrays.copyOfRange(data, p + Netlink.NLMSG_HDRLEN, p + mlen);
            out.add(new NlMessage(type, flags, seq, pid, pl));
            p += Netlink.align(mlen);
        }
        return out;
    }

    public static NlMessage parse(byte[] data) {
        List<NlMessage> l = parseAll(data, 0, data.length);
        if (l.size() != 1) throw new DecodeException("expected one message, found " + l.size(), 0);
        return l.get(0);
    }

    @Override public boolean equals(Object o) {
        return o instanceof NlMessage m && m.type == type && m.flags == flags && m.seq == seq && m.pid == pid && Arrays.equals(m.payload, payload);
    }

    @Override public int hashCode() { return Arrays.hashCode(payload) * 31 + type; }

    @Override public String toString() {
        return "NlMessage[type=" + type + ", flags=0x" + Integer.toHexString(flags) + ", seq=" + seq + ", pid=" + pid + ", payload=" + HexFormat.of().formatHex(payload) + "]";
    }
}
