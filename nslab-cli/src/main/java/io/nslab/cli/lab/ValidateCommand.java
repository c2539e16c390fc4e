package io.nslab.cli.lab;

import io.nslab.cli.CliException;
import io.nslab.cli.ExitCode;
import io.nslab.cli.Problems;
import io.nslab.lab.model.Lab;
import io.nslab.lab.model.Problem;
import io.nslab.lab.validate.Report;
import io.nslab.lab.validate.Validator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code nslab validate FILE}: every problem at once, file:line:column first; never touches the kernel. */
@Command(name = "validate", description = "Check a lab file without touching the kernel: every problem at once, with file:line:column.")
public final class ValidateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "the lab file (YAML or JSON)")
    Path file;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        try {
            LabFiles.checkText(file);
        } catch (CliException e) {
            return Problems.report(e, err);
        }
        Report r = Validator.check(file);
        if (!r.ok()) {
            for (Problem p : r.problems()) err.println(p);
            err.println(file + ": " + r.problems().size() + " problem(s)");
            return ExitCode.USAGE;
        }
        Lab lab = r.orThrow();
        out.printf("%s: lab %s is valid: %d nodes, %d links, %d interfaces, %d expectations%n", file, lab.name(),
                lab.nodes().size(), lab.links().size(), lab.interfaces().size(), lab.expectations().size());
        return ExitCode.OK;
    }
}
