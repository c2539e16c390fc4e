package io.nslab.cli.ip;

import io.nslab.cli.CliException;
import io.nslab.cli.ip.QdiscCommand.Verb;
import io.nslab.netlink.tc.Distribution;
import io.nslab.netlink.tc.Netem;
import io.nslab.netlink.tc.Percent;
import io.nslab.netlink.tc.QdiscKind;
import io.nslab.netlink.tc.Rate;
import io.nslab.netlink.tc.Size;
import io.nslab.netlink.tc.Tbf;
import io.nslab.netlink.tc.TcHandle;
import io.nslab.netlink.tc.TcTime;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * tc's {@code qdisc} grammar: {@code qdisc add|change|replace|del|show dev DEV [root | parent X:Y]
 * [handle X:] KIND OPTIONS}, with tc's prefix abbreviations for verbs and keywords. Pure: every
 * value (rates, sizes, times, percentages) is parsed here, so a bad word is one line naming it and
 * nothing is sent.
 */
final class QdiscParser {
    /** Kinds nslab can add without options (it has no model of their options). */
    private static final Set<String> PLAIN = Set.of("pfifo_fast", "pfifo", "bfifo", "htb", "prio", "fq_codel", "fq", "sfq",
            "noqueue", "ingress", "clsact", "cake", "red", "codel", "hfsc", "drr", "mq", "multiq", "pie", "fq_pie", "sch_plug");

    private QdiscParser() {}

    static IpCommand parse(Args a) throws CliException {
        Verb verb = Verb.SHOW;
        if (a.hasNext()) {
            String v = a.next();
            if (Args.matches(v, "add")) verb = Verb.ADD;
            else if (Args.matches(v, "change")) verb = Verb.CHANGE;
            else if (Args.matches(v, "replace")) verb = Verb.REPLACE;
            else if (Args.matches(v, "delete")) verb = Verb.DEL;
            else if (Args.matches(v, "show") || Args.matches(v, "list") || v.equals("ls")) verb = Verb.SHOW;
            else throw a.error("unknown command \"" + v + "\" (add, change, replace, del, show)");
        }
        Optional<String> dev = Optional.empty();
        TcHandle parent = null;
        TcHandle handle = TcHandle.UNSPEC;
        Optional<QdiscKind> kind = Optional.empty();
        while (a.hasNext()) {
            String w = a.next();
            if (w.equals("dev")) {
                if (dev.isPresent()) throw a.rejected("duplicate \"dev\"");
                dev = Optional.of(Names.ifname(a, a.value("dev")));
            } else if (w.equals("root")) {
                if (parent != null) throw a.rejected("\"root\" given twice, or with \"parent\"");
                parent = TcHandle.ROOT;
            } else if (w.equals("ingress") || w.equals("clsact")) {
                if (parent != null) throw a.rejected("\"" + w + "\" with a parent");
                parent = TcHandle.INGRESS;
                handle = TcHandle.of(0xffff, 0);
                kind = Optional.of(new QdiscKind.Other(w, new byte[0]));
            } else if (Args.matches(w, "parent")) {
                if (parent != null) throw a.rejected("\"parent\" given twice, or with \"root\"");
                parent = handle(a, "parent", a.value("parent"));
            } else if (Args.matches(w, "handle")) {
                handle = handle(a, "handle", a.value("handle"));
                if (handle.minor() != 0) throw a.rejected("invalid handle \"" + handle + "\" (a qdisc handle is MAJ:, without a minor)");
            } else if (verb == Verb.SHOW) {
                throw a.unknown(w);
            } else {
                kind = Optional.of(kind(a, w));
                break;
            }
        }
        if (a.hasNext()) throw a.unknown(a.peek());
        if (verb == Verb.SHOW) {
            if (parent != null || !handle.equals(TcHandle.UNSPEC)) throw a.rejected("show takes only \"dev DEV\"");
            return new QdiscCommand(a.text(), verb, dev, TcHandle.UNSPEC, TcHandle.UNSPEC, Optional.empty());
        }
        if (dev.isEmpty()) throw a.rejected("missing \"dev DEV\"");
        if (parent == null) throw a.rejected("missing \"root\" or \"parent X:Y\"");
        if (verb != Verb.DEL && kind.isEmpty()) throw a.rejected("missing qdisc kind (netem, tbf, ...)");
        return new QdiscCommand(a.text(), verb, dev, parent, handle, kind);
    }

    private static TcHandle handle(Args a, String kw, String v) throws CliException {
        try {
            return TcHandle.parse(v);
        } catch (IllegalArgumentException e) {
            throw a.rejected("invalid " + kw + " \"" + v + "\" (MAJ: or MAJ:MIN in hex, or root)");
        }
    }

    private static QdiscKind kind(Args a, String k) throws CliException {
        try {
            return switch (k) {
                case "netem" -> netem(a);
                case "tbf" -> tbf(a);
                default -> {
                    if (!PLAIN.contains(k)) throw a.rejected("unknown qdisc kind \"" + k + "\" (nslab configures netem and tbf; plain "
                            + String.join(", ", new TreeSet<>(PLAIN)) + ")");
                    if (a.hasNext()) throw a.rejected("options of \"" + k + "\" are not supported by nslab (\"" + a.peek() + "\"): only netem and tbf take options");
                    yield new QdiscKind.Other(k, new byte[0]);
                }
            };
        } catch (IllegalArgumentException e) {
            throw a.rejected(e.getMessage());
        }
    }

    private static boolean nextIsNumber(Args a) {
        if (!a.hasNext()) return false;
        char c = a.peek().charAt(0);
        return Character.isDigit(c) || c == '.';
    }

    private static Netem netem(Args a) throws CliException {
        Netem n = Netem.of();
        boolean reorderGiven = false;
        Optional<String> dist = Optional.empty();
        while (a.hasNext()) {
            String w = a.next();
            if (Args.matches(w, "limit")) {
                n = n.withLimit(a.intValue("limit", 0, Integer.MAX_VALUE));
            } else if (Args.matches(w, "latency") || Args.matches(w, "delay")) {
                TcTime d = TcTime.parse(a.value(w), w);
                TcTime j = new TcTime(0);
                Percent c = Percent.ZERO;
                if (nextIsNumber(a)) {
                    j = TcTime.parse(a.next(), "jitter");
                    if (nextIsNumber(a)) c = Percent.parse(a.next(), "delay correlation");
                }
                n = n.withDelay(d, j, c);
            } else if (Args.matches(w, "distribution")) {
                dist = Optional.of(a.value("distribution"));
            } else if (Args.matches(w, "loss") || Args.matches(w, "drop")) {
                String v = a.value(w);
                if (v.equals("random")) v = a.value("loss random");
                else if (v.equals("state") || v.equals("gemodel")) throw a.rejected("loss model \"" + v + "\" is not supported by nslab (loss [random] PERCENT [CORRELATION])");
                Percent p = Percent.parse(v, "loss");
                n = n.withLoss(p, nextIsNumber(a) ? Percent.parse(a.next(), "loss correlation") : Percent.ZERO);
            } else if (Args.matches(w, "duplicate")) {
                Percent p = Percent.parse(a.value(w), "duplicate");
                n = n.withDuplicate(p, nextIsNumber(a) ? Percent.parse(a.next(), "duplicate correlation") : Percent.ZERO);
            } else if (Args.matches(w, "corrupt")) {
                Percent p = Percent.parse(a.value(w), "corrupt");
                n = n.withCorrupt(p, nextIsNumber(a) ? Percent.parse(a.next(), "corrupt correlation") : Percent.ZERO);
            } else if (Args.matches(w, "reorder")) {
                Percent p = Percent.parse(a.value(w), "reorder");
                Percent c = nextIsNumber(a) ? Percent.parse(a.next(), "reorder correlation") : Percent.ZERO;
                reorderGiven = true;
                n = new Netem(n.limit(), n.delay(), n.jitter(), n.delayCorrelation(), n.distribution(), n.loss(), n.lossCorrelation(),
                        n.duplicate(), n.duplicateCorrelation(), p, c, n.gap(), n.corrupt(), n.corruptCorrelation(), n.rate());
            } else if (Args.matches(w, "gap")) {
                n = n.withGap(a.intValue("gap", 0, Integer.MAX_VALUE));
            } else if (Args.matches(w, "rate")) {
                n = n.withRate(Rate.parse(a.value("rate")));
                if (nextIsNumber(a) || (a.hasNext() && a.peek().startsWith("-"))) throw a.rejected("netem rate packet overhead/cell size are not supported by nslab");
            } else {
                throw a.rejected("unknown netem option \"" + w + "\"");
            }
        }
        if (reorderGiven && !n.reorder().isZero()) {
            if (n.delay().nanos() == 0) throw a.rejected("reordering needs a delay (netem delay TIME reorder PERCENT)");
            if (n.gap() == 0) n = n.withGap(1);
        }
        if (dist.isPresent()) {
            if (n.jitter().nanos() == 0) throw a.rejected("distribution \"" + dist.get() + "\" needs a delay with jitter (delay TIME JITTER)");
            n = n.withDistribution(Distribution.load(dist.get()));
        }
        return n;
    }

    private static Tbf tbf(Args a) throws CliException {
        Rate rate = null, peak = null;
        Size burst = null, limit = null, mtu = null;
        TcTime latency = null;
        while (a.hasNext()) {
            String w = a.next();
            if (Args.matches(w, "rate")) rate = Rate.parse(a.value("rate"));
            else if (Args.matches(w, "burst") || Args.matches(w, "buffer") || Args.matches(w, "maxburst")) burst = Size.parse(a.value(w), "burst");
            else if (Args.matches(w, "limit")) limit = Size.parse(a.value(w), "limit");
            else if (Args.matches(w, "latency")) latency = TcTime.parse(a.value(w), "latency");
            else if (Args.matches(w, "peakrate")) peak = Rate.parse(a.value(w));
            else if (Args.matches(w, "mtu") || Args.matches(w, "minburst")) mtu = Size.parse(a.value(w), "mtu");
            else throw a.rejected("unknown tbf option \"" + w + "\"");
        }
        if (rate == null) throw a.rejected("tbf: the \"rate\" parameter is mandatory");
        if (burst == null) throw a.rejected("tbf: the \"burst\" parameter is mandatory");
        if (limit == null && latency == null) throw a.rejected("tbf: either \"limit\" or \"latency\" is required");
        if (limit != null && latency != null) throw a.rejected("tbf: \"limit\" and \"latency\" are mutually exclusive");
        if (peak != null && mtu == null) throw a.rejected("tbf: when \"peakrate\" is given, \"mtu\" must be too");
        Optional<Rate> p = Optional.ofNullable(peak);
        Optional<Size> m = p.isPresent() ? Optional.ofNullable(mtu) : Optional.empty();
        if (latency != null) return Tbf.withLatency(rate, burst, latency, p, m);
        Tbf t = Tbf.withLimit(rate, burst, limit);
        return p.isPresent() ? t.withPeakrate(p.get(), m.get()) : t;
    }
}
