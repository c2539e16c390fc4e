package io.nslab.cli.run;

import io.nslab.cli.CliException;
import io.nslab.cli.ip.Inet;
import io.nslab.cli.ip.IpCommand.Monitor;
import io.nslab.cli.out.NeighView;
import io.nslab.cli.out.Printer;
import io.nslab.netlink.monitor.Change;
import io.nslab.netlink.monitor.Event;
import io.nslab.netlink.monitor.Topic;
import io.nslab.netlink.netns.NetNsException;
import io.nslab.netlink.ErrnoException;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code monitor [link] [address] [route] [neigh] [rule]}: one line per kernel notification, as ip monitor prints them. */
final class MonitorOps {
    private MonitorOps() {}

    static void run(Monitor c, NsSession s, Printer p, PrintStream out) throws CliException {
        Set<Topic> topics = new LinkedHashSet<>();
        for (String o : c.objects()) {
            topics.add(switch (o) {
                case "link" -> Topic.LINK;
                case "address" -> Topic.ADDRESS;
                case "route" -> Topic.ROUTE;
                case "rule" -> Topic.RULE;
                default -> Topic.NEIGH;
            });
        }
        Topic[] t = topics.toArray(Topic[]::new);
        try (io.nslab.netlink.monitor.Monitor m = s.netns().isPresent()
                ? s.netns().get().call(() -> io.nslab.netlink.monitor.Monitor.open(t))
                : io.nslab.netlink.monitor.Monitor.open(t)) {
            Map<Integer, String> names = new HashMap<>();
            Map<Integer, Integer> flags = new HashMap<>();
            LinkViews.known(s, c.text(), names, flags);     // a veth shows "@peer", and M-DOWN while its peer is down
            for (;;) {
                Optional<Event> next = m.take();
                if (next.isEmpty()) return;
                Event e = next.get();
                String line = line(e, names, flags, p, c.label().isPresent());
                if (line != null) {
                    out.println(line);
                    out.flush();
                }
                if (out.checkError()) return;
            }
        } catch (NetNsException e) {
            throw CliException.failed(c.text() + ": " + e.getMessage());
        } catch (ErrnoException e) {
            throw Kernel.error(c.text(), e);
        }
    }

    private static String line(Event e, Map<Integer, String> names, Map<Integer, Integer> flags, Printer p, boolean label) {
        String del = "Deleted ";
        return switch (e) {
            case Event.LinkEvent l -> {
                if (l.change() == Change.NEW) {
                    names.put(l.index(), l.name());
                    flags.put(l.index(), l.flags());
                }
                String text = p.linkEventText(LinkViews.fromMessage(l.message(), names, flags));
                if (l.change() == Change.DEL) {
                    names.remove(l.index());
                    flags.remove(l.index());
                }
                yield (label ? "[LINK]" : "") + (l.change() == Change.DEL ? del : "") + text;
            }
            case Event.AddressEvent a -> (label ? "[ADDR]" : "") + (a.change() == Change.DEL ? del : "") + a.address().index() + ": "
                    + Kernel.name(names, a.address().index()) + p.addrText(AddrOps.view(a.address()), Kernel.name(names, a.address().index())).stripTrailing();
            case Event.RouteEvent r -> (label ? "[ROUTE]" : "") + (r.change() == Change.DEL ? del : "") + p.routeText(RouteOps.view(r.route(), names, true, false));
            case Event.NeighbourEvent n -> (label ? "[NEIGH]" : "") + (n.change() == Change.DEL ? del : "") + p.neighText(new NeighView(
                    n.neighbour().dst().map(Inet::format).orElse("?"), Optional.of(Kernel.name(names, n.neighbour().index())),
                    n.neighbour().lladdr(), n.neighbour().router(), false, n.neighbour().stateNames())) + " "; // ip's trailing space, as in neigh show
            case Event.RuleEvent r -> (label ? "[RULE]" : "") + (r.change() == Change.DEL ? del : "") + p.ruleText(NeighRuleOps.view(r.rule()));
            case Event.EventsLost l -> "events lost, resync";
            case Event.OtherEvent o -> null;
        };
    }
}
