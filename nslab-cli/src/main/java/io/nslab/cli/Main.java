package io.nslab.cli;

import io.nslab.cli.capture.CaptureCommand;
import io.nslab.cli.cni.CniCommand;
import io.nslab.cli.ip.IpOptions;
import io.nslab.cli.ip.IpParser;
import io.nslab.cli.lab.LabCommands;
import io.nslab.cli.net.NetCommand;
import picocli.CommandLine;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Entry point. {@link #run} is the whole CLI as a function (testable in
 * process); {@link #main} only exits with its result.
 *
 * <h2>Adding a command</h2>
 * nslab's own commands are picocli classes registered in {@code nslabCommands()}
 * below with one line each: {@code l.add(command("net", NetCommand::new))} or
 * {@code l.addAll(LabCommands.ALL)}. They print
 * through {@code spec.commandLine().getOut()/getErr()} (wired to run's streams)
 * and return an exit code from {@link ExitCode}. iproute2 objects are
 * registered automatically from {@link IpParser#SUPPORTED}.
 */
public final class Main {
    /**
     * nslab's own (non-iproute2) commands: name -> factory of a picocli
     * {@code @Command} object. REGISTER NEW COMMANDS in {@link #nslabCommands},
     * one line each. An exact name here wins over an iproute2 abbreviation
     * ("net" is not taken as "netns").
     */
    static final List<Map.Entry<String, Supplier<Object>>> NSLAB_COMMANDS = nslabCommands();

    private static List<Map.Entry<String, Supplier<Object>>> nslabCommands() {
        List<Map.Entry<String, Supplier<Object>>> l = new ArrayList<>();
        l.add(command("net", NetCommand::new));
        l.add(command("capture", CaptureCommand::new));
        l.add(command("cni", CniCommand::new));
        l.addAll(LabCommands.ALL);
        return List.copyOf(l);
    }

    /** One entry of {@link #NSLAB_COMMANDS}. */
    static Map.Entry<String, Supplier<Object>> command(String name, Supplier<Object> factory) {
        return Map.entry(name, factory);
    }

    private Main() {}

    public static void main(String[] args) {
        int code = run(System.out, System.err, System.in, args);
        System.out.flush();
        System.exit(code);
    }

    /** Runs nslab with stdin from {@link System#in}. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        return run(out, err, System.in, args);
    }

    /** Runs nslab; returns the exit code (see {@link ExitCode}). */
    public static int run(PrintStream out, PrintStream err, InputStream in, String... args) {
        return run(out, err, in, NSLAB_COMMANDS, args);
    }

    /** {@link #run} with a given set of nslab commands (tests register their own). */
    static int run(PrintStream out, PrintStream err, InputStream in, List<Map.Entry<String, Supplier<Object>>> commands, String... args) {
        try {
            args = IpOptions.canonical(args);
            Set<String> own = new HashSet<>();
            for (var e : commands) own.add(e.getKey());
            var fast = FastPath.run(out, err, in, args, own);
            if (fast.isPresent()) return fast.get();
            var chosen = only(commands, args);
            // one nslab command named exactly: the iproute2 objects' models are not needed either
            CommandLine cl = commandLine(out, err, in, chosen, chosen == commands, args);
            try {
                return cl.execute(normalize(cl, args));
            } finally {
                // Commands that end with print (not println) leave text in these writers.
                cl.getOut().flush();
                cl.getErr().flush();
            }
        } catch (CliException e) {
            return Problems.report(e, new PrintWriter(err, true, StandardCharsets.UTF_8));
        } catch (RuntimeException | Error e) {
            // outside picocli's handlers (the fast path, building the command tree)
            return Problems.report(e, args, new PrintWriter(err, true, StandardCharsets.UTF_8));
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * The one nslab command the arguments name, when they name one exactly:
     * picocli builds a command's model by reflection, so building all of them
     * for every run costs a short command most of its time. Anything else
     * (help, an iproute2 object, an unknown word) gets the whole tree.
     */
    static List<Map.Entry<String, Supplier<Object>>> only(List<Map.Entry<String, Supplier<Object>>> commands, String[] args) {
        int i = objectWord(args);
        if (i >= args.length) return commands;
        for (var e : commands) if (e.getKey().equals(args[i])) return List.of(e);
        return commands;
    }

    /** Where the object (or command) word starts, after the global options. */
    private static int objectWord(String[] a) {
        int i = 0;
        while (i < a.length && a[i].startsWith("-") && a[i].length() > 1) {
            i += FastPath.VALUED.contains(a[i]) ? 2 : 1;
        }
        return i;
    }

    static CommandLine commandLine(PrintStream out, PrintStream err, InputStream in, List<Map.Entry<String, Supplier<Object>>> commands,
                                           boolean ipObjects, String... args) {
        CommandLine cl = new CommandLine(new NslabCommand(out, err, in));
        cl.setPosixClusteredShortOptionsAllowed(false);
        for (String obj : ipObjects ? IpParser.SUPPORTED : List.<String>of()) {
            CommandLine sub = new CommandLine(new IpObjectCommand(obj));
            sub.setStopAtPositional(true);
            sub.setUnmatchedOptionsArePositionalParams(true);
            cl.addSubcommand(obj, sub);
        }
        for (var e : commands) {
            CommandLine sub = new CommandLine(e.getValue().get());
            // -h/--help on every nslab command, whether or not its class asks for it
            if (sub.getCommandSpec().optionsMap().get("--help") == null) sub.getCommandSpec().mixinStandardHelpOptions(true);
            cl.addSubcommand(e.getKey(), sub);
        }
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        // Environment problems are one line naming what is missing (ExitCode.ENVIRONMENT);
        // only a bug is an internal error, its stack trace in a crash file (Problems).
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            cl.getOut().flush();
            return Problems.report(ex, args, cl.getErr());
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("nslab: " + Problems.oneLine(ex.getMessage()));
            return ExitCode.USAGE;
        });
        return cl;
    }


    /**
     * Rewrites an abbreviated iproute2 object ({@code a}, {@code l}, {@code r},
     * {@code n}, {@code addr}...) to its canonical subcommand name, using ip's
     * first-match order. nslab's own commands win on an exact name.
     */
    static String[] normalize(CommandLine cl, String[] args) throws CliException {
        String[] a = Arrays.copyOf(args, args.length);
        int i = objectWord(a);
        if (i >= a.length) return a;
        if (cl.getSubcommands().containsKey(a[i])) return a;
        var obj = IpParser.resolveObject(a[i]);
        if (obj.isEmpty()) throw CliException.usage("unknown object \"" + a[i] + "\" (ip objects: " + String.join(", ", IpParser.SUPPORTED) + "; nslab's own commands: nslab --help)");
        a[i] = obj.get();
        return a;
    }
}
