package io.nslab.cli.lab;

import io.nslab.cli.CliException;
import io.nslab.cli.ExitCode;
import io.nslab.lab.apply.LabBusyException;
import io.nslab.lab.engine.DownResult;
import io.nslab.lab.engine.LabEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code nslab down FILE|LAB}: removes exactly what the lab's journal says it made. */
@Command(name = "down", description = {"Remove exactly what a lab created (from its journal, also after a crash), nothing else;",
        "--recover: when the journal does not check, what carries the lab's mark."})
public final class DownCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Output output;

    @Parameters(paramLabel = "FILE|LAB", description = "the lab file or the lab's name")
    String target;

    @Option(names = "--recover", description = {"for a lab whose journal does not check: remove the namespaces named LAB.NODE whose lo",
            "carries the lab's mark (nslab:lab:LAB), say what is left alone, and remove the lab's state"})
    boolean recover;

    @Override public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String lab = LabFiles.labName(target);
        DownResult r;
        try {
            PrintWriter err = spec.commandLine().getErr();
            r = recover ? LabEngine.system().recover(lab, new ProgressPrinter(err), line -> { err.println("nslab: " + line); err.flush(); })
                    : LabEngine.system().down(lab, new ProgressPrinter(err));
        } catch (LabBusyException e) {
            throw CliException.failed(e.getMessage());
        }
        if (output.json()) {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("lab", r.lab());
            j.put("undone", r.undone());
            j.put("namespaces", r.namespaces());
            j.put("problems", r.problems());
            j.put("ms", Math.round(r.took().toNanos() / 1e5) / 10.0);
            out.println(Output.JSON.writeValueAsString(j));
        } else if (r.undone() == 0 && r.clean()) {
            out.println("down " + lab + ": nothing to remove");
        } else {
            out.printf(Locale.ROOT, "down %s: removed %d namespace(s) and %d step(s) in %.1f ms%n", lab, r.namespaces().size(),
                    r.undone(), r.took().toNanos() / 1e6);
        }
        if (!r.clean()) throw CliException.failed("down " + lab + ": could not remove: " + String.join("; ", r.problems()));
        return ExitCode.OK;
    }
}
