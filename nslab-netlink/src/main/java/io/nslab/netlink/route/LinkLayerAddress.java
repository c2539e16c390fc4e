package io.nslab.netlink.route;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A link-layer (hardware) address, usually a 6-byte Ethernet MAC. Immutable;
 * printed and parsed as {@code 02:00:00:00:00:10}, like {@code ip link}.
 */
public final class LinkLayerAddress {
    private final byte[] bytes;

    private LinkLayerAddress(byte[] bytes) { this.bytes = bytes; }

    public static LinkLayerAddress of(byte[] bytes) {
        if (bytes.length == 0 || bytes.length > 32) throw new IllegalArgumentException("link-layer address of " + bytes.length + " bytes");
        return new LinkLayerAddress(bytes.clone());
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff} (also with {@code -} separators). */
    public static LinkLayerAddress parse(String s) {
        String[] parts = s.trim().split("[:\\-]");
        if (parts.length < 1 || parts.length > 32) throw new IllegalArgumentException("bad link-layer address \"" + s + "\"");
        byte[] b = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 2) throw new IllegalArgumentException("bad link-layer address \"" + s + "\"");
            try {
                b[i] = (byte) Integer.parseInt(parts[i], 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad link-layer address \"" + s + "\"");
            }
        }
        return new LinkLayerAddress(b);
    }

    public byte[] bytes() { return bytes.clone(); }
    public int length() { return bytes.length; }

    @Override public boolean equals(Object o) { return o instanceof LinkLayerAddress a && Arrays.equals(a.bytes, bytes); }
    @Override public int hashCode() { return Arrays.hashCode(bytes); }
    @Override public String toString() { return HexFormat.ofDelimiter(":").formatHex(bytes); }
}
