package io.nslab.netlink.nft.expr;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable value as registers hold it (NFTA_DATA_VALUE): addresses and
 * ports in network byte order, interface names NUL-padded, one-byte fields
 * as one byte.
 */
public record Data(byte[] bytes) implements Immediate.Value {
    /** NFT_DATA_VALUE_MAXLEN. */
    public static final int MAX = 64;

    public Data {
        bytes = bytes.clone();
        if (bytes.length == 0 || bytes.length > MAX) throw new IllegalArgumentException("nf_tables data of " + bytes.length + " bytes");
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    public static Data of(int... unsignedBytes) {
        byte[] b = new byte[unsignedBytes.length];
        for (int i = 0; i < b.length; i++) b[i] = (byte) unsignedBytes[i];
        return new Data(b);
    }

    /** A big-endian value of {@code len} bytes. */
    public static Data be(long v, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) b[i] = (byte) (v >>> (8 * (len - 1 - i)));
        return new Data(b);
    }

    /** A 32-bit value in host (little-endian) order, as ct state bits and fib results are. */
    public static Data host32(int v) {
        return new Data(new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)});
    }

    /** The value as an unsigned big-endian number (up to 8 bytes). */
    public long be() {
        long v = 0;
        for (byte x : bytes) v = (v << 8) | (x & 0xff);
        return v;
    }

    /** The first four bytes as a host-order (little-endian) int. */
    public int host32() {
        int v = 0;
        for (int i = Math.min(4, bytes.length) - 1; i >= 0; i--) v = (v << 8) | (bytes[i] & 0xff);
        return v;
    }

    public boolean isZero() {
        for (byte x : bytes) if (x != 0) return false;
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Data d && Arrays.equals(d.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "0x" + HexFormat.of().formatHex(bytes);
    }
}
