package io.nslab.netlink.tc;

import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.NlRequest;
import io.nslab.netlink.NlSocket;
import io.nslab.netlink.wire.NlMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Queueing disciplines over one rtnetlink socket: {@code tc qdisc add/change/replace/del/show}.
 * Get one from {@code Rtnl.qdiscs()}. A kind the kernel lacks fails with a
 * {@link QdiscKindMissingException} naming its CONFIG_ option; the kernel changes nothing then.
 */
public final class Qdiscs {
    private final NlSocket socket;

    public Qdiscs(NlSocket socket) { this.socket = socket; }

    public void add(QdiscSpec s) throws ErrnoException { send(QdiscRequests.add(resolved(s, "qdisc add")), s); }
    public void change(QdiscSpec s) throws ErrnoException { send(QdiscRequests.change(resolved(s, "qdisc change")), s); }
    public void replace(QdiscSpec s) throws ErrnoException { send(QdiscRequests.replace(resolved(s, "qdisc replace")), s); }
    public void del(QdiscSpec s) throws ErrnoException { send(QdiscRequests.del(resolved(s, "qdisc del")), s); }

    /** Every qdisc in the namespace. */
    public List<Qdisc> dump() throws ErrnoException { return dump(0); }

    /** The qdiscs of one ifindex (0 = all). */
    public List<Qdisc> dump(int ifindex) throws ErrnoException {
        List<Qdisc> out = new ArrayList<>();
        for (NlMessage m : socket.dump(QdiscRequests.dump(ifindex))) {
            if (m.type() != TcConst.RTM_NEWQDISC) continue;
            Qdisc q = Qdisc.decode(m);
            if (ifindex != 0 && q.ifindex() != ifindex) continue;
            out.add(q);
        }
        return out;
    }

    /** The qdiscs of a device by name. */
    public List<Qdisc> list(String device) throws ErrnoException {
        return dump(index(device, "qdisc show dev " + device));
    }

    private void send(NlRequest r, QdiscSpec s) throws ErrnoException {
        try {
            socket.execute(r);
        } catch (ErrnoException e) {
            throw missing(r.what(), s, e);
        }
    }

    /** ENOENT with "Specified qdisc kind is unknown." becomes a {@link QdiscKindMissingException}. */
    public static ErrnoException missing(String what, QdiscSpec s, ErrnoException e) {
        if (s.kind().isPresent() && e.is(Errno.ENOENT) && e.detail().map(d -> d.contains("qdisc kind is unknown")).orElse(false)) {
            QdiscKind k = s.kind().get();
            return new QdiscKindMissingException(what, k.name(), k.config().orElse("CONFIG_NET_SCH_" + k.name().toUpperCase(Locale.ROOT)),
                    e.errno(), e.detail().orElse(""));
        }
        return e;
    }

    private QdiscSpec resolved(QdiscSpec s, String verb) throws ErrnoException {
        if (s.index().isPresent()) return s;
        return s.withIndex(index(s.device().orElseThrow(), verb + " " + s.describe()));
    }

    private int index(String device, String what) throws ErrnoException {
        var i = socket.linkIndex(device);
        if (i.isPresent()) return i.getAsInt();
        throw new ErrnoException(what, Errno.ENODEV, "Cannot find device \"" + device + "\"");
    }
}
