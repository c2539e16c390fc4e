package io.nslab.netlink.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One netlink attribute: its type as sent (flag bits included) and its raw
 * value. Immutable; the value array is never exposed.
 */
public final class Attr {
    private final int type;
    private final byte[] value;
    /** Where the value starts in the buffer it was decoded from (0 if built), so nested decode errors point into it. Not part of equality. */
    private final int valueOffset;

    public Attr(int type, byte[] value) {
        this.type = type & 0xffff;
        this.value = value.clone();
        this.valueOffset = 0;
    }

    /** Constructor that adopts the array; for the codec's own use. */
    static Attr adopt(int type, byte[] value, int valueOffset) {
        return new Attr(type, value, valueOffset);
    }

    private Attr(int type, byte[] value, int valueOffset) {
        this.type = type & 0xffff;
        this.value = value;
        this.valueOffset = valueOffset;
    }

    /** The type without NLA_F_NESTED / NLA_F_NET_BYTEORDER. */
    public int kind() { return type & Netlink.NLA_TYPE_MASK; }
    public int rawType() { return type; }
    public boolean nestedFlag() { return (type & Netlink.NLA_F_NESTED) != 0; }
    public int length() { return value.length; }
    public byte[] bytes() { return value.clone(); }

    ByteBuffer buf() { return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()); }

    public int u8() { need(1); return value[0] & 0xff; }
    public int u16() { need(2); return buf().getShort(0) & 0xffff; }
    /** A big-endian 16-bit value (ports, VLAN protocol). */
    public int be16() { need(2); return ((value[0] & 0xff) << 8) | (value[1] & 0xff); }
    public int u32() { need(4); return buf().getInt(0); }
    public long u64() { need(8); return buf().getLong(0); }
    public int s32() { return u32(); }

    /** A NUL-terminated (or not) string. */
    public String string() {
        int n = 0;
        while (n < value.length && value[n] != 0) n++;
        return new String(value, 0, n, StandardCharsets.UTF_8);
    }

    public Attrs nested() { return Attrs.parse(value, 0, value.length, valueOffset); }

    private void need(int n) {
        if (value.length < n) throw new DecodeException("attribute " + kind() + " has " + value.length + " bytes, needs " + n, valueOffset);
    }

    @Override public boolean equals(Object o) {
        return o instanceof Attr a && a.type == type && Arrays.equals(a.value, value);
    }

    @Override public int hashCode() { return 31 * type + Arrays.hashCode(value); }

    @Override public String toString() { return "Attr[" + kind() + (nestedFlag() ? ",nested" : "") + "=" + HexFormat.of().formatHex(value) + "]"; }
}
