package io.nslab.netlink.tc;

import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.DecodeException;
import io.nslab.netlink.wire.NlMessage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

import static io.nslab.netlink.tc.TcConst.*;

/**
 * A qdisc as the kernel reports it (RTM_NEWQDISC), or as a request carries it.
 * {@code refcnt} is tcm_info (tc's "refcnt"). {@link #options()} keeps the raw
 * TCA_OPTIONS payload whatever the kind; {@link #kind()} is the typed model for
 * netem and tbf, {@link QdiscKind.Other} for the rest.
 *
 * <pre>
 * struct tcmsg (20 bytes): 0 u8 family, 1 u8 pad, 2 u16 pad, 4 s32 ifindex, 8 u32 handle, 12 u32 parent, 16 u32 info
 * TCA_KIND string, TCA_OPTIONS (kind specific), TCA_STATS/TCA_STATS2/TCA_XSTATS (ignored)
 * </pre>
 */
public record Qdisc(int ifindex, TcHandle handle, TcHandle parent, int refcnt, QdiscKind kind, byte[] options) {
    public Qdisc {
        options = options.clone();
    }

    @Override public byte[] options() { return options.clone(); }

    public boolean isRoot() { return parent.equals(TcHandle.ROOT); }

    public static Qdisc decode(NlMessage m) {
        byte[] p = m.payload();
        if (p.length < TCMSG_LEN) throw new DecodeException("tcmsg shorter than 20 bytes", 0);
        ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.nativeOrder());
        Attrs a = Attrs.parse(p, TCMSG_LEN, p.length - TCMSG_LEN);
        String kind = a.string(TCA_KIND).orElse("");
        byte[] opts = a.bytes(TCA_OPTIONS).orElse(new byte[0]);
        return new Qdisc(b.getInt(4), new TcHandle(b.getInt(8)), new TcHandle(b.getInt(12)), b.getInt(16), kind(kind, opts), opts);
    }

    static QdiscKind kind(String kind, byte[] opts) {
        try {
            return switch (kind) {
                case "netem" -> opts.length >= NETEM_QOPT_LEN ? Netem.decode(opts) : new QdiscKind.Other(kind, opts);
                case "tbf" -> Tbf.decode(Attrs.parse(opts, 0, opts.length));
                default -> new QdiscKind.Other(kind, opts);
            };
        } catch (RuntimeException e) {
            // a layout this model does not know: keep it raw
            return new QdiscKind.Other(kind, opts);
        }
    }

    @Override public boolean equals(Object o) {
        return o instanceof Qdisc q && q.ifindex == ifindex && q.handle.equals(handle) && q.parent.equals(parent)
                && q.refcnt == refcnt && q.kind.equals(kind) && Arrays.equals(q.options, options);
    }

    @Override public int hashCode() { return Objects.hash(ifindex, handle, parent, kind); }

    @Override public String toString() {
        return "Qdisc[" + kind.name() + " " + handle + " ifindex " + ifindex + (isRoot() ? " root" : " parent " + parent) + " " + kind + "]";
    }
}
