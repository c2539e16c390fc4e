package io.nslab.cli.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nslab.cli.CliException;
import io.nslab.cli.ExitCode;
import io.nslab.lab.engine.LabEngine;
import io.nslab.lab.engine.LabStatus;
import io.nslab.lab.events.LabEvent;
import io.nslab.lab.events.LabEvents;
import io.nslab.netlink.ErrnoException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code nslab events LAB [-j]}: link, address, route and neighbour changes in every node, until interrupted,
 * or until the lab is taken down: then a last line {@code lab LAB down} ({@code {"object":"lab","change":"del",
 * "lab":LAB,"state":"down"}} with -j) and exit 0.
 */
@Command(name = "events", description = {"Stream link, address, route and neighbour changes of every node of a lab, named by node",
        "and interface, until interrupted (or the lab goes down); -j prints one JSON object per line."})
public final class EventsCommand implements Callable<Integer> {
    /** One object per line (Output.JSON indents). */
    private static final ObjectMapper LINES = new ObjectMapper();

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "LAB", description = "the lab's name (or its file)")
    String lab;

    @Option(names = {"-j", "--json"}, description = "one JSON object per line")
    boolean json;

    @Override public Integer call() throws Exception {
        String name = LabFiles.labName(lab);
        LabStatus s = LabEngine.system().status(name);
        Map<String, String> nodes = new LinkedHashMap<>();
        for (String ns : s.namespaces()) if (!s.missing().contains(ns)) nodes.put(ns.substring(ns.indexOf('.') + 1), ns);
        if (nodes.isEmpty()) throw CliException.failed("events: no lab " + name + " is up");
        PrintWriter out = spec.commandLine().getOut();
        try (LabEvents ev = LabEvents.open(name, nodes)) {
            if (!json) out.println("events " + name + ": watching " + nodes.size() + " node(s); Ctrl-C to stop");
            out.flush();
            for (;;) {
                Optional<LabEvent> e = ev.take();
                if (e.isEmpty()) return ExitCode.OK;
                out.println(json ? LINES.writeValueAsString(e.get().json()) : e.get().text());
                out.flush();
                if (out.checkError()) return ExitCode.OK;
            }
        } catch (ErrnoException e) {
            throw CliException.failed("events " + name + ": " + e.getMessage());
        }
    }
}
