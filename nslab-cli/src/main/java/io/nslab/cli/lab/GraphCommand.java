package io.nslab.cli.lab;

import io.nslab.cli.CliException;
import io.nslab.cli.ExitCode;
import io.nslab.cli.Problems;
import io.nslab.lab.graph.Graph;
import io.nslab.lab.model.Lab;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code nslab graph FILE}: the lab as a diagram, Mermaid on stdout or SVG + Mermaid files. */
@Command(name = "graph", description = {"Draw a lab: nodes, interfaces, addresses, bridges, NAT and published ports.",
        "Prints Mermaid (or SVG with --format svg); with -d DIR writes LAB.svg and LAB.mmd there."})
public final class GraphCommand implements Callable<Integer> {
    enum Format { mermaid, svg }

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "the lab file")
    Path file;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", description = "mermaid (default) or svg, for stdout")
    Format format = Format.mermaid;

    @Option(names = {"-d", "--dir"}, paramLabel = "DIR", description = "write LAB.svg and LAB.mmd into DIR instead")
    Path dir;

    @Override public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Lab lab = LabFiles.require(file, spec.commandLine().getErr());
        if (dir != null) {
            if (Files.exists(dir) && !Files.isDirectory(dir))
                throw CliException.usage("graph --dir " + Problems.oneLine(dir.toString()) + ": not a directory");
            for (Path p : Graphs.write(lab, dir)) out.println(p);
            return ExitCode.OK;
        }
        out.print(format == Format.svg ? Graph.svg(lab) : Graph.mermaid(lab));
        out.flush();
        return ExitCode.OK;
    }
}
