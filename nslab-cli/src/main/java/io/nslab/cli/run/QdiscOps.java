package io.nslab.cli.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nslab.cli.CliException;
import io.nslab.cli.ip.QdiscCommand;
import io.nslab.cli.out.Printer;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.tc.Netem;
import io.nslab.netlink.tc.Percent;
import io.nslab.netlink.tc.Qdisc;
import io.nslab.netlink.tc.QdiscKindMissingException;
import io.nslab.netlink.tc.QdiscSpec;
import io.nslab.netlink.tc.Qdiscs;
import io.nslab.netlink.tc.Size;
import io.nslab.netlink.tc.Tbf;
import io.nslab.netlink.tc.TcHandle;
import io.nslab.netlink.tc.TcTime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** {@code qdisc add/change/replace/del/show}: through the library's Qdiscs; output like {@code tc [-j] qdisc show}. */
final class QdiscOps {
    private QdiscOps() {}

    static void run(QdiscCommand c, NsSession s, Printer printer) throws CliException {
        Qdiscs q;
        try {
            q = s.rtnl().qdiscs();
        } catch (RuntimeException e) {
            throw e;
        }
        if (c.verb() == QdiscCommand.Verb.SHOW) {
            show(c, s, q, printer);
            return;
        }
        String dev = c.dev().orElseThrow();
        int index = Kernel.index(s, dev, c.text());
        QdiscSpec spec = new QdiscSpec(c.dev(), OptionalInt.of(index), c.parent(), c.handle(), c.kind());
        try {
            switch (c.verb()) {
                case ADD -> q.add(spec);
                case CHANGE -> q.change(spec);
                case REPLACE -> q.replace(spec);
                case DEL -> q.del(spec);
                default -> throw new IllegalStateException();
            }
        } catch (QdiscKindMissingException e) {
            throw CliException.failed(c.text() + ": kernel lacks the " + e.kind() + " qdisc (" + e.config() + ")");
        } catch (ErrnoException e) {
            throw Kernel.error(c.text(), e);
        }
    }

    private static void show(QdiscCommand c, NsSession s, Qdiscs q, Printer printer) throws CliException {
        List<Qdisc> list;
        try {
            list = c.dev().isPresent() ? q.dump(Kernel.index(s, c.dev().get(), c.text())) : q.dump();
        } catch (ErrnoException e) {
            throw Kernel.error(c.text(), e);
        }
        Map<Integer, String> names = c.dev().isPresent() ? Map.of() : Kernel.names(s, c.text());
        boolean all = c.dev().isEmpty();
        if (printer.json()) {
            ArrayNode a = JsonNodeFactory.instance.arrayNode();
            for (Qdisc x : list) a.add(json(x, all ? Kernel.name(names, x.ifindex()) : null));
            printer.emit(a);
        } else {
            List<String> lines = new ArrayList<>();
            for (Qdisc x : list) lines.add(text(x, all ? Kernel.name(names, x.ifindex()) : null));
            printer.lines(lines);
        }
    }

    static String handle(TcHandle h) { return Integer.toHexString(h.major()) + ":"; }

    /** tc's line: {@code qdisc tbf 1: [dev D] root refcnt 2 rate 10Mbit burst 4Kb lat 400ms }. */
    static String text(Qdisc q, String dev) {
        StringBuilder b = new StringBuilder("qdisc ").append(q.kind().name()).append(' ').append(handle(q.handle())).append(' ');
        if (dev != null) b.append("dev ").append(dev).append(' ');
        if (q.isRoot()) b.append("root ");
        else if (q.parent().equals(TcHandle.INGRESS)) b.append("parent ffff:fff1 ");
        else b.append("parent ").append(q.parent()).append(' ');
        if (q.refcnt() != 1) b.append("refcnt ").append(q.refcnt()).append(' ');
        switch (q.kind()) {
            case Tbf t -> {
                b.append("rate ").append(t.rate()).append(" burst ").append(size(t.burst()));
                t.peakrate().ifPresent(p -> b.append(" peakrate ").append(p).append(" minburst ").append(size(t.mtu().orElseThrow())));
                b.append(" lat ").append(t.latency()).append(' ');
            }
            case Netem n -> {
                b.append("limit ").append(n.limit());
                if (n.delay().nanos() != 0) {
                    b.append(" delay ").append(n.delay());
                    if (n.jitter().nanos() != 0) b.append("  ").append(n.jitter());
                    if (!n.delayCorrelation().isZero()) b.append(' ').append(n.delayCorrelation());
                }
                n.distribution().ifPresent(d -> b.append(" distribution ").append(d));
                pct(b, "loss", n.loss(), n.lossCorrelation());
                pct(b, "duplicate", n.duplicate(), n.duplicateCorrelation());
                pct(b, "reorder", n.reorder(), n.reorderCorrelation());
                pct(b, "corrupt", n.corrupt(), n.corruptCorrelation());
                n.rate().ifPresent(r -> b.append(" rate ").append(r));
                if (n.gap() != 0) b.append(" gap ").append(n.gap());
                b.append(' ');
            }
            default -> { }
        }
        return b.toString();
    }

    private static void pct(StringBuilder b, String what, Percent p, Percent corr) {
        if (p.isZero()) return;
        b.append(' ').append(what).append(' ').append(p);
        if (!corr.isZero()) b.append(' ').append(corr);
    }

    /** tc's sprint_size: Mb / Kb when within 1 KiB / 16 bytes of a multiple, else bytes. */
    static String size(Size s) {
        double v = s.bytes();
        if (v >= 1024 * 1024 && Math.abs(1024 * 1024 * Math.rint(v / (1024 * 1024)) - v) < 1024) return fmt(Math.rint(v / (1024 * 1024))) + "Mb";
        if (v >= 1024 && Math.abs(1024 * Math.rint(v / 1024) - v) < 16) return fmt(Math.rint(v / 1024)) + "Kb";
        return s.bytes() + "b";
    }

    private static String fmt(double d) { return Long.toString((long) d); }

    /** tc -j qdisc show's keys. */
    static ObjectNode json(Qdisc q, String dev) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("kind", q.kind().name());
        o.put("handle", handle(q.handle()));
        if (dev != null) o.put("dev", dev);
        if (q.isRoot()) o.put("root", true);
        else o.put("parent", q.parent().equals(TcHandle.INGRESS) ? "ffff:fff1" : q.parent().toString());
        if (q.refcnt() != 1) o.put("refcnt", q.refcnt());
        ObjectNode opt = f.objectNode();
        switch (q.kind()) {
            case Tbf t -> {
                opt.put("rate", t.rate().bytesPerSecond());
                opt.put("burst", t.burst().bytes());
                t.peakrate().ifPresent(p -> {
                    opt.put("peakrate", p.bytesPerSecond());
                    opt.put("minburst", t.mtu().orElseThrow().bytes());
                });
                opt.put("lat", t.latency().micros());
                o.set("options", opt);
            }
            case Netem n -> {
                opt.put("limit", n.limit());
                ObjectNode d = f.objectNode();
                d.put("delay", seconds(n.delay()));
                d.put("jitter", seconds(n.jitter()));
                d.put("correlation", n.delayCorrelation().percent() / 100);
                opt.set("delay", d);
                n.distribution().ifPresent(x -> opt.put("distribution", x.name()));
                opt.set("loss-random", pj(n.loss(), n.lossCorrelation(), "loss"));
                opt.set("duplicate", pj(n.duplicate(), n.duplicateCorrelation(), "duplicate"));
                opt.set("reorder", pj(n.reorder(), n.reorderCorrelation(), "reorder"));
                opt.set("corrupt", pj(n.corrupt(), n.corruptCorrelation(), "corrupt"));
                n.rate().ifPresent(r -> {
                    ObjectNode rr = f.objectNode();
                    rr.put("rate", r.bytesPerSecond());
                    rr.put("packetoverhead", 0);
                    rr.put("cellsize", 0);
                    rr.put("celloverhead", 0);
                    opt.set("rate", rr);
                });
                opt.put("ecn", false);
                opt.put("gap", n.gap());
                o.set("options", opt);
            }
            default -> { }
        }
        return o;
    }

    private static double seconds(TcTime t) { return t.nanos() / 1e9; }

    private static ObjectNode pj(Percent p, Percent corr, String key) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put(key, p.percent() / 100);
        n.put("correlation", corr.percent() / 100);
        return n;
    }
}
