package io.nslab.cli.net;

import io.nslab.cli.CliException;
import io.nslab.cli.ExitCode;
import io.nslab.cli.Problems;
import io.nslab.net.NetEngine;
import io.nslab.net.NetException;
import io.nslab.net.NetKernel;
import io.nslab.net.NetStore;
import io.nslab.net.NetlinkKernel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code nslab net}: Docker-style networks (create, connect, disconnect, ls,
 * inspect, rm). Thin: parsing here, everything else in {@link NetEngine}.
 * Exit codes are nslab's ({@link io.nslab.cli.ExitCode}): 0 done, 2 refused or failed (one line
 * on stderr), 1 usage when run through nslab's Main.
 */
@Command(name = "net", description = "Docker-style bridge networks: NAT, published ports, address management.",
        mixinStandardHelpOptions = true,
        subcommands = {NetCreate.class, NetConnect.class, NetDisconnect.class, NetLs.class, NetInspect.class, NetRm.class,
                NetBatch.class})
public final class NetCommand implements Runnable {
    public static final int OK = ExitCode.OK, FAILED = ExitCode.FAILED;

    @Spec CommandSpec spec;

    private final Supplier<NetEngine> engine;

    /** The real thing: state in {@code $NSLAB_STATE_DIR/networks} or /var/lib/nslab/networks, kernel over netlink. */
    public NetCommand() {
        this(() -> new NetEngine(NetStore.fromEnvironment(), new NetlinkKernel()));
    }

    public NetCommand(Supplier<NetEngine> engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    /** For tests and embedding: a given store and kernel. */
    public NetCommand(NetStore store, NetKernel kernel) {
        this(() -> new NetEngine(store, kernel));
    }

    /** Standalone entry ({@code java -cp ... io.nslab.cli.net.NetCommand create ...}); nslab's Main registers this command as {@code net}. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new NetCommand()).execute(args));
    }

    Supplier<NetEngine> engineSupplier() {
        return engine;
    }

    NetEngine engine() {
        return engine.get();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Base of the subcommands: runs the action, turns a NetException into one line and exit code 1. */
    abstract static class Sub implements Callable<Integer> {
        @Spec CommandSpec spec;
        @CommandLine.ParentCommand NetCommand parent;

        PrintWriter out() { return spec.commandLine().getOut(); }

        PrintWriter err() { return spec.commandLine().getErr(); }

        @Override
        public final Integer call() {
            try {
                int rc = execute(parent.engine());
                out().flush();
                return rc;
            } catch (NetException e) {
                // a store it cannot read or write (permission, read-only): the machine's problem, said as such;
                // a refusal for want of a privilege gets its hint in report()
                CliException c = e.getCause() instanceof FileSystemException
                        ? Problems.environment(e.getCause()).map(x -> new CliException(x.exitCode(), "network store: " + x.getMessage()))
                                .orElseThrow()
                        : new CliException(FAILED, e.getMessage());
                return Problems.report(c, spec.commandLine().getErr());
            }
        }

        abstract int execute(NetEngine engine) throws NetException;
    }
}
