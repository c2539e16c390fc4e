package io.nslab.netlink.tc;

import io.nslab.netlink.NlRequest;
import io.nslab.netlink.wire.Netlink;
import io.nslab.netlink.wire.NlWriter;

import static io.nslab.netlink.tc.TcConst.*;

/** The RTM_*QDISC requests, byte for byte as tc sends them (see the golden fixtures). Needs a resolved ifindex. */
public final class QdiscRequests {
    private QdiscRequests() {}

    /** {@code tc qdisc add}: NLM_F_CREATE | NLM_F_EXCL. */
    public static NlRequest add(QdiscSpec s) { return change(s, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL, "qdisc add "); }

    /** {@code tc qdisc change}: no flags (the qdisc must exist). */
    public static NlRequest change(QdiscSpec s) { return change(s, 0, "qdisc change "); }

    /** {@code tc qdisc replace}: NLM_F_CREATE | NLM_F_REPLACE. */
    public static NlRequest replace(QdiscSpec s) { return change(s, Netlink.NLM_F_CREATE | Netlink.NLM_F_REPLACE, "qdisc replace "); }

    /** {@code tc qdisc del}: the kind is sent only when given. */
    public static NlRequest del(QdiscSpec s) {
        return new NlRequest(RTM_DELQDISC, 0, body(s), "qdisc del " + s.describe());
    }

    /** {@code tc qdisc show [dev D]}: a dump, filtered by ifindex when {@code ifindex != 0}. */
    public static NlRequest dump(int ifindex) {
        NlWriter w = new NlWriter(32);
        tcmsg(w, ifindex, 0, 0);
        return new NlRequest(RTM_GETQDISC, 0, w.toByteArray(), "qdisc show");
    }

    private static NlRequest change(QdiscSpec s, int flags, String verb) {
        if (s.kind().isEmpty()) throw new IllegalArgumentException(verb + s.describe() + ": no qdisc kind");
        return new NlRequest(RTM_NEWQDISC, flags, body(s), verb + s.describe());
    }

    private static byte[] body(QdiscSpec s) {
        NlWriter w = new NlWriter(1200);
        tcmsg(w, s.index().orElseThrow(() -> new IllegalArgumentException("qdisc " + s.describe() + ": ifindex not resolved")),
                s.handle().value(), s.parent().value());
        s.kind().ifPresent(k -> {
            w.attrString(TCA_KIND, k.name());
            switch (k) {
                case Netem n -> n.encode(w);
                case Tbf t -> {
                    int o = w.beginNest(TCA_OPTIONS);
                    t.encode(w);
                    w.endNest(o);
                }
                case QdiscKind.Other x -> {
                    if (x.options().length > 0) w.attr(TCA_OPTIONS, x.options());
                }
            }
        });
        return w.toByteArray();
    }

    private static void tcmsg(NlWriter w, int ifindex, int handle, int parent) {
        w.u8(0).u8(0).u16(0).u32(ifindex).u32(handle).u32(parent).u32(0);
    }
}
