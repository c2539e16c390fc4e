package io.nslab.cli.run;

import io.nslab.cli.CliException;
import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.NlRequest;
import io.nslab.netlink.NlSocket;
import io.nslab.netlink.route.LinkConst;
import io.nslab.netlink.route.LinkKindMissingException;
import io.nslab.netlink.route.RtConst;
import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.NlMessage;
import io.nslab.netlink.wire.NlWriter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Small kernel look-ups the commands share, and the one wording for kernel errors. */
final class Kernel {
    private Kernel() {}

    /**
     * A refused request as one line: {@code TEXT: ENODEV (No such device)}, the errno by name and text as
     * everywhere in nslab (ip prints the text only), plus the kernel's extended-ACK text.
     */
    static CliException error(String text, ErrnoException e) {
        if (e instanceof LinkKindMissingException m) {
            return CliException.failed(text + ": kernel lacks " + m.option().feature() + " support (" + m.option().config() + ")");
        }
        // as ip: a missing device is exit status 1, like a usage error (nothing was changed)
        if (e.detail().map(s -> s.startsWith("Cannot find device")).orElse(false)) return CliException.usage(text + ": " + e.detail().get());
        String d = e.detail().map(s -> ": " + s).orElse("");
        return CliException.failed(text + ": " + Errno.nameAndText(e.errno()) + d);
    }

    /** The ifindex of {@code dev} in the session's namespace, cached; a missing device is a one-line error. */
    static int index(NsSession s, String dev, String text) throws CliException {
        OptionalInt i = lookup(s, dev, text);
        if (i.isEmpty()) throw noDevice(s, dev, text);
        return i.getAsInt();
    }

    static CliException noDevice(NsSession s, String dev, String text) {
        return CliException.usage(text + ": Cannot find device \"" + dev + "\"" + s.name().map(n -> " in namespace \"" + n + "\"").orElse(""));
    }

    /**
     * Checks that {@code dev} exists before a change by name is sent: known
     * names (seen, or made by an earlier line) cost nothing, others one look-up.
     */
    static void requireExists(NsSession s, String dev, String text) throws CliException {
        if (s.known.contains(dev) || s.ifindex.containsKey(dev)) return;
        index(s, dev, text);
    }

    static OptionalInt lookup(NsSession s, String dev, String text) throws CliException {
        Integer c = s.ifindex.get(dev);
        if (c != null) return OptionalInt.of(c);
        s.beforeLookup.run();
        try {
            // one ioctl on the namespace's socket: no round trip, and no wait for the rtnl lock
            OptionalInt i = s.socket().linkIndex(dev);
            if (i.isPresent()) {
                s.ifindex.put(dev, i.getAsInt());
                s.known.add(dev);
            }
            return i;
        } catch (ErrnoException e) {
            // not a name the ioctl takes: ask over netlink
        }
        NlWriter w = new NlWriter(48);
        w.zeros(16);
        w.attrString(LinkConst.IFLA_IFNAME, dev);
        w.attrU32(LinkConst.IFLA_EXT_MASK, RtConst.RTEXT_FILTER_SKIP_STATS);
        try {
            for (NlMessage m : s.socket().query(new NlRequest(RtConst.RTM_GETLINK, 0, w.toByteArray(), text))) {
                if (m.type() == RtConst.RTM_NEWLINK) {
                    int idx = m.payloadBuffer().order(ByteOrder.nativeOrder()).getInt(4);
                    s.ifindex.put(dev, idx);
                    s.known.add(dev);
                    return OptionalInt.of(idx);
                }
            }
            return OptionalInt.empty();
        } catch (ErrnoException e) {
            if (e.is(Errno.ENODEV)) return OptionalInt.empty();
            throw error(text, e);
        }
    }

    /** ifindex -> name of every link in the namespace (one dump), for printing routes, addresses, neighbours. */
    static Map<Integer, String> names(NsSession s, String text) throws CliException {
        NlWriter w = new NlWriter(32);
        w.zeros(16);
        w.attrU32(LinkConst.IFLA_EXT_MASK, RtConst.RTEXT_FILTER_SKIP_STATS);
        Map<Integer, String> out = new HashMap<>();
        try {
            for (NlMessage m : s.socket().dump(new NlRequest(RtConst.RTM_GETLINK, 0, w.toByteArray(), text))) {
                if (m.type() != RtConst.RTM_NEWLINK) continue;
                byte[] p = m.payload();
                int idx = ByteBuffer.wrap(p).order(ByteOrder.nativeOrder()).getInt(4);
                Attrs.parse(p, 16, p.length - 16).string(LinkConst.IFLA_IFNAME).ifPresent(n -> out.put(idx, n));
            }
        } catch (ErrnoException e) {
            throw error(text, e);
        }
        return out;
    }

    static String name(Map<Integer, String> names, int index) {
        return Optional.ofNullable(names.get(index)).orElse("if" + index);
    }

    /** Sends requests pipelined; throws the first failure. */
    static void executeAll(NsSession s, List<NlRequest> reqs, String text) throws CliException {
        try {
            for (Optional<ErrnoException> r : s.socket().executeAll(reqs)) {
                if (r.isPresent()) throw error(text, r.get());
            }
        } catch (ErrnoException e) {
            throw error(text, e);
        }
    }
}
