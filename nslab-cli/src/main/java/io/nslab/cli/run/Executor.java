package io.nslab.cli.run;

import io.nslab.cli.CliException;
import io.nslab.cli.ExitCode;
import io.nslab.cli.Globals;
import io.nslab.cli.ip.IpCommand.*;
import io.nslab.cli.ip.IpCommand;
import io.nslab.cli.ip.QdiscCommand;
import io.nslab.cli.out.AddrView;
import io.nslab.cli.out.LinkView;
import io.nslab.cli.out.Printer;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.NlRequest;
import io.nslab.netlink.route.AddressFamily;
import io.nslab.netlink.route.LinkKind;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Runs parsed commands. A change is first {@linkplain #plan planned} into
 * requests (every name and namespace it needs looked up, so a command that
 * cannot work is refused before anything is sent), then sent; a batch sends
 * the plans of consecutive lines for one namespace pipelined.
 */
final class Executor implements AutoCloseable {
    final Sessions sessions = new Sessions();
    final Globals globals;
    final Printer printer;
    final PrintStream out;
    final PrintStream err;

    Executor(Globals globals, PrintStream out, PrintStream err) {
        this.globals = globals;
        this.out = out;
        this.err = err;
        this.printer = new Printer(out, globals.json(), globals.pretty(), globals.details(), globals.stats(), globals.brief(), globals.oneline());
    }

    Optional<String> where(Optional<String> lineNs) {
        return lineNs.isPresent() ? lineNs : globals.netns();
    }

    /** Runs {@code c} in {@code ns} (empty = the global -n, or the current namespace); returns the exit status. */
    int execute(IpCommand c, Optional<String> ns) throws CliException {
        if (isPlannable(c)) {
            NsSession s = sessions.get(where(ns), c.text());
            send(s, List.of(plan(c, s)));
            return ExitCode.OK;
        }
        return run(c, ns);
    }

    /** Commands that become requests without reading anything but names. */
    static boolean isPlannable(IpCommand c) {
        return switch (c) {
            case AddrChange a -> true;
            case RouteChange r -> true;
            case LinkAdd a -> !(a.kind().orElse(null) instanceof LinkKind.Tuntap);
            case LinkSet s -> true;
            case LinkDel d -> true;
            case NeighChange n -> true;
            case RuleChange r -> true;
            default -> false;
        };
    }

    Planned plan(IpCommand c, NsSession s) throws CliException {
        return switch (c) {
            case AddrChange a -> AddrOps.plan(a, s);
            case RouteChange r -> RouteOps.plan(r, s);
            case LinkAdd a -> LinkOps.planAdd(a, s, sessions);
            case LinkSet l -> LinkOps.planSet(l, s, sessions);
            case LinkDel d -> LinkOps.planDel(d, s);
            case NeighChange n -> NeighRuleOps.planNeigh(n, s);
            case RuleChange r -> NeighRuleOps.planRule(r);
            default -> throw new IllegalArgumentException("not plannable: " + c);
        };
    }

    /** Sends plans of one namespace pipelined; the first failure is thrown, worded for its command. */
    static void send(NsSession s, List<Planned> plans) throws CliException {
        List<NlRequest> reqs = new ArrayList<>();
        for (Planned p : plans) reqs.addAll(p.requests());
        if (reqs.isEmpty()) return;
        List<Optional<ErrnoException>> results;
        try {
            results = s.socket().executeAll(reqs);
        } catch (ErrnoException e) {
            throw Kernel.error(plans.get(0).text(), e);
        }
        int i = 0;
        for (Planned p : plans) {
            for (int k = 0; k < p.requests().size(); k++, i++) {
                if (results.get(i).isPresent()) throw new Failed(p, Kernel.error(p.text(), p.explain().apply(results.get(i).get())));
            }
        }
    }

    /** A failed request within a pipelined group: which plan it was. */
    static final class Failed extends CliException {
        final transient Planned plan;

        Failed(Planned plan, CliException e) {
            super(e.exitCode(), e.getMessage());
            this.plan = plan;
        }
    }

    /** Commands that read state or need more than requests. */
    int run(IpCommand c, Optional<String> lineNs) throws CliException {
        Optional<String> ns = where(lineNs);
        OptionalInt fam = globals.family();
        switch (c) {
            case NetnsAdd a -> NetnsOps.add(a, sessions);
            case NetnsDel d -> NetnsOps.del(d, sessions);
            case NetnsAttach a -> NetnsOps.attach(a);
            case NetnsList l -> NetnsOps.list(l, printer, sessions.get(ns, c.text()));
            case NetnsListId l -> NetnsOps.listId(l, printer, sessions.get(ns, c.text()));
            case NetnsIdentify i -> NetnsOps.identify(i, printer);
            case NetnsPids p -> NetnsOps.pids(p, printer);
            case NetnsSet st -> NetnsOps.set(st);
            case NetnsExec e -> {
                return NetnsOps.exec(e, out, err);
            }
            case LinkShow l -> {
                NsSession s = sessions.get(ns, c.text());
                LinkShow all = new LinkShow(l.text(), l.dev(), false, l.type(), l.master());
                List<LinkView> links = LinkOps.show(all, s, printer.wantsStats(), AddressFamily.UNSPEC, globals.details() && !globals.brief());
                printer.links(globals.json() ? links : LinkViews.withNetnsNames(links, s), LinkOps.withheld(links, l.upOnly()));
            }
            case LinkAdd a when a.kind().orElse(null) instanceof LinkKind.Tuntap t -> {
                NsSession s = sessions.get(ns, c.text());
                LinkOps.addTuntap(c.text(), a.name(), t, s);
            }
            case TuntapAdd t -> {
                NsSession s = sessions.get(ns, c.text());
                LinkKind.Tuntap k = new LinkKind.Tuntap(t.tap() ? LinkKind.TuntapMode.TAP : LinkKind.TuntapMode.TUN,
                        t.user().isPresent() ? OptionalLong.of(t.user().getAsInt()) : OptionalLong.empty(),
                        t.group().isPresent() ? OptionalLong.of(t.group().getAsInt()) : OptionalLong.empty(),
                        t.pi(), t.vnetHdr(), t.multiQueue(), t.oneQueue());
                try {
                    LinkOps.addTuntap(c.text(), t.name(), k, s);
                } catch (CliException e) {
                    // iptuntap.c reports a failed ioctl and returns -1: status 1, whatever the errno
                    throw e.exitCode() == ExitCode.FAILED ? CliException.usage(e.getMessage()) : e;
                }
            }
            case TuntapDel d -> LinkOps.delTuntap(d, sessions.get(ns, c.text()));
            case TuntapShow t -> TuntapOps.show(t, sessions.get(ns, c.text()), printer, err);
            case AddrShow a -> {
                NsSession s = sessions.get(ns, c.text());
                int family = a.family().orElse(fam.orElse(AddressFamily.UNSPEC));
                // as ip: the whole listing asks for the family's own link dump, one device a plain get
                List<LinkView> links = LinkOps.show(new LinkShow(a.text(), a.dev(), false, Optional.empty(), Optional.empty()), s,
                        printer.wantsStats() && !globals.oneline(), a.dev().isPresent() ? AddressFamily.UNSPEC : family,
                        globals.details() && !globals.brief() && !globals.oneline());
                Map<Integer, List<AddrView>> addrs = AddrOps.views(s, family, OptionalInt.empty(), a.scope(), c.text());
                if (a.family().isPresent() || fam.isPresent()) links = links.stream().filter(l -> addrs.containsKey(l.ifindex())).toList();
                if (!globals.json()) links = LinkViews.withNetnsNames(links, s);
                printer.addresses(links, addrs, a.family().isPresent() || fam.isPresent(), LinkOps.withheld(links, a.upOnly()));
            }
            case AddrFlush f -> AddrOps.flush(f, sessions.get(ns, c.text()), fam);
            case RouteShow r -> RouteOps.show(r, sessions.get(ns, c.text()), fam, printer, globals.details());
            case RouteGet g -> RouteOps.get(g, sessions.get(ns, c.text()), printer, globals.details());
            case RouteFlush f -> RouteOps.flush(f, sessions.get(ns, c.text()), fam);
            case NeighShow n -> printer.neighbours(NeighRuleOps.neighbours(sessions.get(ns, c.text()), n.family().isPresent() ? n.family() : fam, n.dev(), n.states(), c.text()));
            case NeighGet g -> printer.neighbours(List.of(NeighRuleOps.get(g, sessions.get(ns, c.text()))));
            case NeighFlush f -> NeighRuleOps.flushNeigh(f, sessions.get(ns, c.text()));
            case RuleShow r -> NeighRuleOps.showRules(r, sessions.get(ns, c.text()), fam, printer);
            case Monitor m -> MonitorOps.run(m, sessions.get(ns, c.text()), printer, out);
            case QdiscCommand q -> QdiscOps.run(q, sessions.get(ns, c.text()), printer);
            default -> throw CliException.failed(c.text() + ": not supported by nslab yet");
        }
        return ExitCode.OK;
    }

    @Override public void close() {
        sessions.close();
    }
}
