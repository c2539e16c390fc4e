package io.nslab.netlink.wire;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * An ordered, immutable list of attributes. Lookups return the first match;
 * attributes nobody asked for are kept, so decode then encode loses nothing.
 */
public final class Attrs {
    public static final Attrs EMPTY = new Attrs(List.of());
    private final List<Attr> list;

    private Attrs(List<Attr> list) { this.list = list; }

    public static Attrs of(List<Attr> attrs) { return new Attrs(List.copyOf(attrs)); }

    public List<Attr> list() { return list; }
    public boolean isEmpty() { return list.isEmpty(); }
    public int size() { return list.size(); }

    public Optional<Attr> get(int kind) {
        for (Attr a : list) if (a.kind() == kind) return Optional.of(a);
        return Optional.empty();
    }

    public List<Attr> all(int kind) {
        List<Attr> r = new ArrayList<>();
        for (Attr a : list) if (a.kind() == kind) r.add(a);
        return r;
    }

    public boolean has(int kind) { return get(kind).isPresent(); }
    public OptionalInt u8(int kind) { return get(kind).map(a -> OptionalInt.of(a.u8())).orElse(OptionalInt.empty()); }
    public OptionalInt u16(int kind) { return get(kind).map(a -> OptionalInt.of(a.u16())).orElse(OptionalInt.empty()); }
    public OptionalInt be16(int kind) { return get(kind).map(a -> OptionalInt.of(a.be16())).orElse(OptionalInt.empty()); }
    public OptionalInt u32(int kind) { return get(kind).map(a -> OptionalInt.of(a.u32())).orElse(OptionalInt.empty()); }
    public OptionalLong u64(int kind) { return get(kind).map(a -> OptionalLong.of(a.u64())).orElse(OptionalLong.empty()); }
    public Optional<String> string(int kind) { return get(kind).map(Attr::string); }
    public Optional<byte[]> bytes(int kind) { return get(kind).map(Attr::bytes); }
    public Attrs nested(int kind) { return get(kind).map(Attr::nested).orElse(EMPTY); }

    public Optional<InetAddress> ip(int kind) {
        return get(kind).map(a -> {
            try { return InetAddress.getByAddress(a.bytes()); }
            catch (UnknownHostException e) { throw new DecodeException("attribute " + kind + " is not an address (" + a.length() + " bytes)", 0); }
        });
    }

    /** Parses attributes from {@code data[off, off+len)}; error offsets are indexes into {@code data}. */
    public static Attrs parse(byte[] data, int off, int len) {
        return parse(data, off, len, 0);
    }

    /** As {@link #parse(byte[], int, int)}, {@code data} itself starting at {@code base} of an enclosing buffer. */
    static Attrs parse(byte[] data, int off, int len, int base) {
        if (len == 0) return EMPTY;
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.nativeOrder());
        List<Attr> out = new ArrayList<>();
        int p = off, end = off + len;
        while (p + 4 <= end) {
            int alen = b.getShort(p) & 0xffff;
            int type = b.getShort(p + 2) & 0xffff;
            if (alen < 4 || p + alen > end) throw new DecodeException("attribute type " + (type & Netlink.NLA_TYPE_MASK) + " length " + alen + " overruns its container", base + p);
            byte[] v = new byte[alen - 4];
            System.arraycopy(data, p + 4, v, 0, v.length);
            out.add(Attr.adopt(type, v, base + p + 4));
            p += Netlink.align(alen);
        }
        return new Attrs(Collections.unmodifiableList(out));
    }

    /** Encodes this list into a fresh byte array (aligned). */
    public byte[] encode() {
        NlWriter w = new NlWriter(64);
        write(w);
        return w.toByteArray();
    }

    public void write(NlWriter w) {
        for (Attr a : list) w.attr(a.rawType(), a.bytes());
    }

    public static Builder builder() { return new Builder(); }

    public static final class Builder {
        private final List<Attr> l = new ArrayList<>();
        public Builder add(Attr a) { l.add(a); return this; }
        public Builder addAll(Attrs a) { l.addAll(a.list); return this; }
        public Attrs build() { return Attrs.of(l); }
    }

    @Override public boolean equals(Object o) { return o instanceof Attrs a && a.list.equals(list); }
    @Override public int hashCode() { return list.hashCode(); }
    @Override public String toString() { return list.toString(); }
}
