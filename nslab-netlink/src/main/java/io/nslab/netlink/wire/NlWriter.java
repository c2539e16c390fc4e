package io.nslab.netlink.wire;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Appends netlink messages and attributes to a growable little-endian (host
 * order) buffer. Lengths of messages and nests are patched when they end.
 */
public final class NlWriter {
    private ByteBuffer buf;

    public NlWriter(int capacity) {
        buf = ByteBuffer.allocate(Math.max(64, capacity)).order(ByteOrder.nativeOrder());
    }

    public NlWriter() { this(4096); }

    private void ensure(int n) {
        if (buf.remaining() >= n) return;
        int cap = Math.max(buf.capacity() * 2, buf.position() + n);
        ByteBuffer nb = ByteBuffer.allocate(cap).order(ByteOrder.nativeOrder());
        buf.flip();
        nb.put(buf);
        buf = nb;
    }

    public int position() { return buf.position(); }

    /** Starts a message; returns its offset, for {@link #endMessage}. */
    public int beginMessage(int type, int flags, int seq, int pid) {
        ensure(Netlink.NLMSG_HDRLEN);
        int start = buf.position();
        buf.putInt(0).putShort((short) type).putShort((short) flags).putInt(seq).putInt(pid);
        return start;
    }

    public void endMessage(int start) {
        pad();
        buf.putInt(start, buf.position() - start);
    }

    public NlWriter u8(int v) { ensure(1); buf.put((byte) v); return this; }
    public NlWriter u16(int v) { ensure(2); buf.putShort((short) v); return this; }
    public NlWriter u32(int v) { ensure(4); buf.putInt(v); return this; }
    public NlWriter u64(long v) { ensure(8); buf.putLong(v); return this; }
    public NlWriter bytes(byte[] v) { ensure(v.length); buf.put(v); return this; }
    public NlWriter zeros(int n) { ensure(n); for (int i = 0; i < n; i++) buf.put((byte) 0); return this; }

    public NlWriter pad() {
        int p = buf.position();
        return zeros(Netlink.align(p) - p);
    }

    public NlWriter attr(int type, byte[] value) {
        ensure(4 + value.length + 3);
        buf.putShort((short) (4 + value.length)).putShort((short) type).put(value);
        return pad();
    }

    public NlWriter attrFlag(int type) { return attr(type, new byte[0]); }
    public NlWriter attrU8(int type, int v) { return attr(type, new byte[] {(byte) v}); }
    public NlWriter attrU16(int type, int v) {
        ensure(8);
        buf.putShort((short) 6).putShort((short) type).putShort((short) v);
        return pad();
    }
    /** A 16-bit value in network byte order (ports, VLAN protocol). */
    public NlWriter attrBe16(int type, int v) { return attr(type, new byte[] {(byte) (v >>> 8), (byte) v}); }
    public NlWriter attrU32(int type, int v) {
        ensure(8);
        buf.putShort((short) 8).putShort((short) type).putInt(v);
        return this;
    }
    public NlWriter attrU64(int type, long v) {
        ensure(12);
        buf.putShort((short) 12).putShort((short) type).putLong(v);
        return this;
    }
    /** A NUL-terminated string, as the kernel's NLA_NUL_STRING / NLA_STRING expect. */
    public NlWriter attrString(int type, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return attr(type, Arrays.copyOf(b, b.length + 1));
    }
    public NlWriter attrIp(int type, InetAddress a) { return attr(type, a.getAddress()); }

    /** Starts a nested attribute (NLA_F_NESTED set when {@code flag}); returns its offset. */
    public int beginNest(int type, boolean flag) {
        ensure(4);
        int start = buf.position();
        buf.putShort((short) 0).putShort((short) (flag ? type | Netlink.NLA_F_NESTED : type));
        return start;
    }

    public int beginNest(int type) { return beginNest(type, false); }

    public void endNest(int start) {
        buf.putShort(start, (short) (buf.position() - start));
    }

    public byte[] toByteArray() { return Arrays.copyOf(buf.array(), buf.position()); }

    /** The bytes written so far, as a read-only view. */
    public ByteBuffer view() { return ByteBuffer.wrap(buf.array(), 0, buf.position()).asReadOnlyBuffer().order(ByteOrder.nativeOrder()); }

    public void reset() { buf.clear(); }
}
