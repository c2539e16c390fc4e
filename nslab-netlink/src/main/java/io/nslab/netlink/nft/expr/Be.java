package io.nslab.netlink.nft.expr;

import io.nslab.netlink.wire.Attr;
import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.NlWriter;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** nf_tables sends every integer attribute in network byte order (NLA_BE32, NLA_BE64). */
public final class Be {
    private Be() {}

    public static void u32(NlWriter w, int type, int v) {
        w.attr(type, new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    public static void u64(NlWriter w, int type, long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) b[i] = (byte) (v >>> (56 - 8 * i));
        w.attr(type, b);
    }

    public static OptionalInt u32(Attrs a, int type) {
        Optional<Attr> x = a.get(type);
        if (x.isEmpty() || x.get().length() != 4) return OptionalInt.empty();
        byte[] b = x.get().bytes();
        return OptionalInt.of(((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff));
    }

    public static OptionalLong u64(Attrs a, int type) {
        Optional<Attr> x = a.get(type);
        if (x.isEmpty() || x.get().length() != 8) return OptionalLong.empty();
        byte[] b = x.get().bytes();
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (b[i] & 0xff);
        return OptionalLong.of(v);
    }

    /** A required attribute; -1 (never a valid value here) when absent, so decoders can reject the shape. */
    static int req(Attrs a, int type) {
        return u32(a, type).orElse(-1);
    }
}
