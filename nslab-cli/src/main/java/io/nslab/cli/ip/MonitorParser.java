package io.nslab.cli.ip;

import io.nslab.cli.CliException;
import io.nslab.cli.ip.IpCommand.Monitor;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/** {@code monitor [link] [address] [route] [neigh] [rule] [all] [label]}. */
final class MonitorParser {
    private MonitorParser() {}

    private static final List<String> OBJECTS = List.of("link", "address", "route", "neigh", "rule", "all");
    private static final List<String> ALL = List.of("link", "address", "route", "neigh", "rule");

    static IpCommand parse(Args a) throws CliException {
        List<String> objs = new ArrayList<>();
        Optional<String> label = Optional.empty();
        while (a.hasNext()) {
            String w = a.next();
            if (w.equals("label")) {
                label = Optional.of("label");
                continue;
            }
            String m = null;
            for (String o : OBJECTS) if (Args.matches(w, o) || (o.equals("neigh") && Args.matches(w, "neighbour"))) { m = o; break; }
            if (m == null) throw a.error("unknown monitor object \"" + w + "\" (link, address, route, neigh, rule, all)");
            if (m.equals("all")) objs.addAll(ALL);
            else objs.add(m);
        }
        if (objs.isEmpty()) objs.addAll(ALL);
        return new Monitor(a.text(), List.copyOf(new LinkedHashSet<>(objs)), label);
    }
}
