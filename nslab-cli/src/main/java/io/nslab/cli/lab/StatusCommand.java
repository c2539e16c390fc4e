package io.nslab.cli.lab;

import io.nslab.cli.CliException;
import io.nslab.cli.ExitCode;
import io.nslab.lab.engine.LabEngine;
import io.nslab.lab.engine.LabInspect;
import io.nslab.lab.engine.LabStatus;
import io.nslab.lab.model.Lab;
import io.nslab.lab.run.LabRuntime;
import io.nslab.lab.validate.Validator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code nslab status [LAB]}: the labs nslab knows of, their state and namespaces. */
@Command(name = "status", description = {"Show the labs that are up (or half up after a crash) and their namespaces;",
        "for one lab, its processes too, and with -o json its nodes, interfaces, routes, processes and the last verify result."})
public final class StatusCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Output output;

    @Parameters(paramLabel = "LAB", arity = "0..1", description = "one lab (default: all)")
    String lab;

    @Override public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        LabEngine engine = LabEngine.system();
        List<LabStatus> labs;
        if (lab == null) labs = engine.status();
        else {
            LabStatus s = engine.status(LabFiles.labName(lab));
            if (s.steps() == 0 && s.namespaces().isEmpty()) throw CliException.failed("status: no lab " + lab + " is up");
            labs = List.of(s);
        }
        if (output.json()) {
            List<Map<String, Object>> j = new ArrayList<>();
            for (LabStatus s : labs) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("lab", s.lab());
                m.put("state", s.state());
                m.put("file", s.file().orElse(null));
                m.put("steps", s.steps());
                m.put("namespaces", s.namespaces());
                m.put("missing", s.missing());
                m.put("busy", s.locked());
                if (lab != null) {
                    Optional<Lab> l = labOf(s);
                    // null when the file is fine; else why peers are missing (processes come from the journal)
                    m.put("file_problem", l.isPresent() ? null : s.file().map(f -> fileProblem(Path.of(f))).orElse("no file recorded"));
                    m.putAll(LabInspect.of(s, l, engine.dirs().lab(s.lab())));
                }
                m.put("bridge_trees", s.bridgeTrees());
                j.add(m);
            }
            out.println(Output.JSON.writeValueAsString(lab == null ? j : j.get(0)));
            return ExitCode.OK;
        }
        if (labs.isEmpty()) {
            out.println("no labs");
            return ExitCode.OK;
        }
        out.printf("%-16s %-8s %6s %5s  %s%n", "LAB", "STATE", "STEPS", "NODES", "FILE");
        for (LabStatus s : labs) {
            out.printf("%-16s %-8s %6d %5d  %s%n", s.lab(), s.state() + (s.locked() ? "*" : ""), s.steps(), s.namespaces().size(),
                    s.file().orElse("-"));
            if (lab != null) for (String ns : s.namespaces()) out.println("  netns " + ns + (s.missing().contains(ns) ? " (missing)" : ""));
            if (lab != null) {
                Optional<Lab> l = labOf(s);
                // without a readable, valid file the processes still show, from the run journal
                if (l.isEmpty() && s.file().isPresent()) out.println("  file " + s.file().get() + " " + fileProblem(Path.of(s.file().get()))
                        + ": processes from the run journal");
                for (LabRuntime.ProcInfo p : LabRuntime.processes(l, engine.dirs().lab(s.lab())))
                    out.println("  process " + p.node() + "[" + p.index() + "] " + p.state() + p.pid().map(x -> " pid " + x).orElse("")
                            + "  " + String.join(" ", p.cmd()));
            }
            if (lab != null) for (String t : s.bridgeTrees()) out.println("  bridge tree " + t);
        }
        return ExitCode.OK;
    }

    /** Why the lab's file gives no lab: gone, unreadable, or no longer this lab's valid file. */
    private static String fileProblem(Path f) {
        if (!Files.exists(f)) return "is gone";
        if (!Files.isRegularFile(f) || !Files.isReadable(f)) return "cannot be read";
        return "is not valid (or names another lab) now";
    }

    /** The lab as its file says now, when the file is still there and valid (for peers and process commands). */
    private static Optional<Lab> labOf(LabStatus s) {
        return s.file().map(Path::of).filter(Files::isRegularFile).flatMap(f -> Validator.check(f).lab())
                .filter(l -> l.name().equals(s.lab()));
    }
}
