package io.nslab.cli.run;

import io.nslab.cli.CliException;
import io.nslab.cli.Globals;
import io.nslab.cli.ip.IpCommand;
import io.nslab.cli.ip.IpCommand.*;

import java.util.Optional;

/**
 * ip's output forms -s, -brief and -oneline. nslab prints them for {@code link show} and {@code addr show}
 * as ip does; where ip ignores them (changes, route and rule listings, netns) they change nothing here
 * either; where ip prints something else that nslab does not (neighbour counters, flush rounds, route get's
 * cache line, monitor, tc), the command is refused naming the option, before anything runs.
 */
final class OutputForms {
    private OutputForms() {}

    static void check(IpCommand c, Globals g) throws CliException {
        Optional<String> refused = refused(c, g);
        if (refused.isPresent()) throw CliException.invalid(c.text() + ": " + refused.get() + " is not supported by nslab with this command");
    }

    private static Optional<String> refused(IpCommand c, Globals g) {
        boolean tc = c instanceof IpCommand.Tc;
        if (g.stats() > 0 && (tc || c instanceof NeighShow || c instanceof NeighGet || c instanceof RouteGet
                || c instanceof RouteFlush || c instanceof AddrFlush || c instanceof Monitor)) return Optional.of("-s");
        // -s -d adds each kind's extended counters (a bridge's multicast statistics), which nslab does not read
        if (g.stats() > 0 && g.details() && !g.brief() && (c instanceof LinkShow || c instanceof AddrShow)) return Optional.of("-s with -d");
        // tuntap show -d lists the processes attached to each device, which nslab does not look for
        if (g.details() && c instanceof TuntapShow) return Optional.of("-d");
        if (g.oneline() && (tc || c instanceof Monitor || c instanceof RouteGet)) return Optional.of("-oneline");
        if (g.brief() && (tc || c instanceof Monitor)) return Optional.of("-brief");
        return Optional.empty();
    }
}
