package io.nslab.cli.lab;

import io.nslab.cli.CliException;
import io.nslab.cli.ExitCode;
import io.nslab.lab.engine.Demo;
import io.nslab.lab.engine.LabEngine;
import io.nslab.lab.model.Lab;
import io.nslab.lab.validate.Validator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code nslab demo [FILE]}: validate, up, verify, graph, down, with the time
 * of each phase. Without FILE it runs the embedded S10 "hand-made Docker
 * bridge" lab. Ctrl-C at any moment leaves nothing behind.
 */
@Command(name = "demo", description = {"Run a lab end to end: validate, up, verify, graph, down, timing each phase.",
        "Without FILE: the embedded S10 hand-made Docker bridge (nginx and gitlab behind NAT, published on 8080/9090).",
        "Interrupting it (Ctrl-C) removes everything it made."})
public final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..1", description = "a lab file (default: the embedded S10 lab)")
    Path file;

    @Option(names = "--timeout", paramLabel = "MS", description = "per-probe timeout in milliseconds (default ${DEFAULT-VALUE})")
    int timeoutMillis = 1500;

    @Option(names = "--table", description = "print the verify table")
    boolean table;

    @Override public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Lab lab = file == null ? Validator.defaultLab() : LabFiles.require(file, spec.commandLine().getErr());
        out.println("nslab demo: lab " + lab.name() + lab.description().map(d -> " (" + d + ")").orElse(""));
        out.flush();
        Demo demo = new Demo(LabEngine.system(), lab, Duration.ofMillis(timeoutMillis), Graphs.writer());
        Thread hook = new Thread(demo::interrupt, "nslab-demo-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        Demo.Result r;
        long start = System.nanoTime();
        try {
            r = demo.run(p -> {
                out.printf(Locale.ROOT, "  %-9s %8.1f ms  %s%n", p.name(), p.took().toNanos() / 1e6, p.detail());
                out.flush();
            });
        } catch (IllegalStateException e) {
            throw CliException.failed("demo: " + e.getMessage());
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it cleans up
            }
        }
        double upDown = r.phases().stream().filter(p -> p.name().equals("up") || p.name().equals("down"))
                .mapToLong(p -> p.took().toNanos()).sum() / 1e6;
        if (table || !r.passed()) r.verify().ifPresent(rep -> out.print(rep.table()));
        out.printf(Locale.ROOT, "demo %s: %s; up+down %.1f ms, total %.1f ms; nothing left behind%n", lab.name(),
                r.passed() ? "all checks passed" : "SOME CHECKS FAILED", upDown, (System.nanoTime() - start) / 1e6);
        return r.passed() ? ExitCode.OK : ExitCode.FAILED;
    }
}
