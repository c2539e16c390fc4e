package io.nslab.cli.run;

import io.nslab.cli.CliException;
import io.nslab.cli.ip.Inet;
import io.nslab.cli.ip.IpCommand.*;
import io.nslab.cli.out.NeighView;
import io.nslab.cli.out.Printer;
import io.nslab.cli.out.RuleView;
import io.nslab.netlink.NlRequest;
import io.nslab.netlink.route.AddressFamily;
import io.nslab.netlink.route.Neighbour;
import io.nslab.netlink.route.NeighbourNames;
import io.nslab.netlink.route.NeighbourRequests;
import io.nslab.netlink.route.NeighbourSpec;
import io.nslab.netlink.route.RouteNames;
import io.nslab.netlink.route.DsfieldNames;
import io.nslab.netlink.route.Rule;
import io.nslab.netlink.route.RuleRequests;
import io.nslab.netlink.route.RuleSpec;
import io.nslab.netlink.ErrnoException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static io.nslab.netlink.route.RtConst.*;

/** {@code neigh add/del/replace/show/flush} and {@code rule add/del/show}. */
final class NeighRuleOps {
    private NeighRuleOps() {}

    static Planned planNeigh(NeighChange c, NsSession s) throws CliException {
        NeighbourSpec n = NeighbourSpec.of(Kernel.index(s, c.dev(), c.text()), c.addr());
        if (c.lladdr().isPresent()) n = n.withLladdr(c.lladdr().get());
        if (c.nud().isPresent()) n = n.withState(NeighbourNames.parseState(c.nud().get()).orElseThrow(() -> CliException.usage(c.text() + ": invalid nud")));
        int flags = (c.router() ? NTF_ROUTER : 0) | (c.proxy() ? NTF_PROXY : 0);
        if (flags != 0) n = n.withFlags(flags);
        NlRequest r = switch (c.op()) {
            case ADD -> NeighbourRequests.add(n);
            case DEL -> NeighbourRequests.del(n);
            case REPLACE, CHANGE -> NeighbourRequests.replace(n);
        };
        return Planned.of(c.text(), r);
    }

    /** ip's filter: an entry is shown when its state is one asked for, or it is a proxy or externally learned entry. */
    static boolean wanted(Neighbour n, int states) {
        if ((n.state() & states) != 0) return true;
        if ((n.flags() & (NTF_PROXY | NTF_EXT_LEARNED)) != 0) return true;
        return n.state() == 0 && (states & 0x100) != 0;
    }

    /** {@code neigh get}: the one entry, with its device named, as ip prints it. */
    static NeighView get(NeighGet g, NsSession s) throws CliException {
        int idx = Kernel.index(s, g.dev(), g.text());
        try {
            Neighbour n = s.rtnl().neighbours().get(g.addr(), idx, g.proxy());
            return new NeighView(n.dst().map(Inet::format).orElse("?"), Optional.of(Kernel.name(Kernel.names(s, g.text()), n.index())),
                    // as ip's print_neigh: no state word for an entry without one (a proxy entry)
                    n.lladdr(), n.router(), (n.flags() & NTF_PROXY) != 0, n.state() == 0 ? List.of() : n.stateNames());
        } catch (ErrnoException e) {
            throw Kernel.error(g.text(), e);
        }
    }

    static List<NeighView> neighbours(NsSession s, OptionalInt family, Optional<String> dev, int states, String text) throws CliException {
        OptionalInt idx = dev.isPresent() ? OptionalInt.of(Kernel.index(s, dev.get(), text)) : OptionalInt.empty();
        Map<Integer, String> names = Kernel.names(s, text);
        List<NeighView> out = new ArrayList<>();
        try {
            for (Neighbour n : s.rtnl().neighbours().dump(family.orElse(AddressFamily.UNSPEC), idx)) {
                if (n.family() != AddressFamily.INET && n.family() != AddressFamily.INET6) continue;
                if (idx.isPresent() && n.index() != idx.getAsInt()) continue;
                if (!wanted(n, states)) continue;
                out.add(new NeighView(n.dst().map(Inet::format).orElse("?"), dev.isPresent() ? Optional.empty() : Optional.of(Kernel.name(names, n.index())),
                        n.lladdr(), n.router(), (n.flags() & NTF_PROXY) != 0, n.stateNames()));
            }
        } catch (ErrnoException e) {
            throw Kernel.error(text, e);
        }
        return out;
    }

    static void flushNeigh(NeighFlush c, NsSession s) throws CliException {
        int idx = Kernel.index(s, c.dev().orElseThrow(), c.text());
        try {
            List<NlRequest> reqs = new ArrayList<>();
            for (Neighbour n : s.rtnl().neighbours().dump(c.family().orElse(AddressFamily.UNSPEC), OptionalInt.of(idx))) {
                if (n.index() == idx && wanted(n, c.states())) reqs.add(NeighbourRequests.del(n));
            }
            s.socket().executeAll(reqs);
        } catch (ErrnoException e) {
            throw Kernel.error(c.text(), e);
        }
    }

    static Planned planRule(RuleChange c) throws CliException {
        RuleSpec r = RuleSpec.create().family(c.spec().family());
        if (c.spec().from().isPresent()) r = r.from(c.spec().from().get());
        if (c.spec().to().isPresent()) r = r.to(c.spec().to().get());
        if (c.spec().priority().isPresent()) r = r.priority(c.spec().priority().getAsInt());
        if (c.spec().table().isPresent()) r = r.table(RouteOps.table(c.spec().table().get(), c.text()));
        if (c.spec().iif().isPresent()) r = r.iif(c.spec().iif().get());
        if (c.spec().oif().isPresent()) r = r.oif(c.spec().oif().get());
        if (c.spec().fwmark().isPresent()) {
            String[] m = c.spec().fwmark().get().split("/", 2);
            int mark = (int) Long.decode(m[0]).longValue();
            r = m.length > 1 ? r.fwmark(mark, (int) Long.decode(m[1]).longValue()) : r.fwmark(mark);
        }
        if (c.spec().action().isPresent()) {
            r = r.action(switch (c.spec().action().get()) {
                case "blackhole" -> FR_ACT_BLACKHOLE;
                case "unreachable" -> FR_ACT_UNREACHABLE;
                case "prohibit" -> FR_ACT_PROHIBIT;
                case "nop" -> FR_ACT_NOP;
                default -> throw CliException.usage(c.text() + ": action \"" + c.spec().action().get() + "\" is not supported");
            });
        }
        if (c.spec().not()) r = r.not();
        if (c.spec().tos() != 0) r = r.tos(c.spec().tos());
        return Planned.of(c.text(), switch (c.op()) {
            case ADD -> RuleRequests.add(r);
            default -> RuleRequests.del(r);
        });
    }

    static void showRules(RuleShow c, NsSession s, OptionalInt globalFamily, Printer p) throws CliException {
        List<RuleView> out = new ArrayList<>();
        try {
            for (Rule r : s.rtnl().rules().dump(c.family().orElse(globalFamily.orElse(AddressFamily.INET)))) out.add(view(r));
        } catch (ErrnoException e) {
            throw Kernel.error(c.text(), e);
        }
        p.rules(out);
    }

    /** A rule as ip prints it: "lookup TABLE" unless its action is not to look one up. */
    static RuleView view(Rule r) {
        Optional<String> action = switch (r.action()) {
            case FR_ACT_BLACKHOLE -> Optional.of("blackhole");
            case FR_ACT_UNREACHABLE -> Optional.of("unreachable");
            case FR_ACT_PROHIBIT -> Optional.of("prohibit");
            case FR_ACT_NOP -> Optional.of("nop");
            default -> Optional.empty();
        };
        int max = r.family() == AddressFamily.INET ? 32 : 128;
        return new RuleView(Integer.toUnsignedLong(r.priority()), r.inverted(), r.src().map(Inet::format),
                r.src().isPresent() && r.srcLength() != max ? OptionalInt.of(r.srcLength()) : OptionalInt.empty(),
                r.dst().map(Inet::format),
                r.dst().isPresent() && r.dstLength() != max ? OptionalInt.of(r.dstLength()) : OptionalInt.empty(),
                r.tos() != 0 ? Optional.of(DsfieldNames.name(r.tos())) : Optional.empty(), r.iif(), r.oif(),
                r.fwmark().isPresent() ? Optional.of("0x" + Integer.toHexString(r.fwmark().getAsInt()) + r.fwmask().stream().filter(m -> m != -1).mapToObj(m -> "/0x" + Integer.toHexString(m)).findFirst().orElse("")) : Optional.empty(),
                action.isPresent() ? Optional.empty() : Optional.of(RouteNames.table(r.table())), action);
    }
}
