package io.nslab.cli.cni;

import io.nslab.cli.CliException;
import io.nslab.cli.ExitCode;
import io.nslab.cli.Problems;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** {@code nslab cni}: nslab as a CNI plugin for container runtimes (docs/cni.md). */
@Command(name = "cni", description = "nslab as a CNI plugin for container runtimes.", mixinStandardHelpOptions = true,
        subcommands = {CniCommand.Install.class, CniCommand.Serve.class})
public final class CniCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "install", description = "Put the executable nslab (the CNI plugin) in DIR (default /opt/cni/bin).",
            mixinStandardHelpOptions = true)
    static final class Install implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "plugin directory (default /opt/cni/bin)")
        Path dir = Path.of("/opt/cni/bin");

        @Option(names = "--socket", paramLabel = "PATH", description = "where the script looks for `nslab cni serve` (default /run/nslab/cni.sock)")
        Path socket = CniServer.DEFAULT_SOCKET;

        @Option(names = "--no-cache", description = "skip training the start-up cache (the plugin then starts ~100 ms slower)")
        boolean noCache;

        @Override
        public Integer call() {
            // the jar when run as ./nslab; the module and class path when embedded (tests)
            String cp = Stream.of(System.getProperty("jdk.module.path"), System.getProperty("java.class.path"))
                    .filter(s -> s != null && !s.isEmpty()).collect(Collectors.joining(File.pathSeparator));
            try {
                CniInstall.Installed i = CniInstall.install(dir, cp, Path.of(System.getProperty("java.home")), !noCache, socket);
                spec.commandLine().getOut().println("nslab cni install: " + i.plugin() + " (classes " + i.classPath()
                        + (i.cached() ? ", start-up cache trained" : noCache ? "" : ", no start-up cache: its training failed") + ")");
                return ExitCode.OK;
            } catch (IOException e) {
                return Problems.report(new CliException(ExitCode.ENVIRONMENT, "nslab cni install " + dir + ": " + e.getMessage()),
                        spec.commandLine().getErr());
            }
        }
    }

    @Command(name = "serve", description = "Serve the plugin's calls from one resident process on a Unix socket (the installed script uses it when it listens).",
            mixinStandardHelpOptions = true)
    static final class Serve implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--socket", paramLabel = "PATH", description = "socket to listen on (default /run/nslab/cni.sock)")
        Path socket = CniServer.DEFAULT_SOCKET;

        @Override
        public Integer call() {
            try (CniServer s = new CniServer(socket)) {
                spec.commandLine().getErr().println("nslab cni serve: listening on " + socket);
                spec.commandLine().getErr().flush();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // exiting anyway
                    }
                }));
                s.serve();
                return ExitCode.OK;
            } catch (IOException e) {
                return Problems.report(new CliException(ExitCode.ENVIRONMENT, "nslab cni serve " + socket + ": " + e.getMessage()),
                        spec.commandLine().getErr());
            }
        }
    }
}
