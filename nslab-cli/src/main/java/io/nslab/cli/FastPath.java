package io.nslab.cli;

import io.nslab.cli.ip.IpParser;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * iproute2-style invocations ({@code nslab [-n NS] [-j] ... OBJECT ...} and
 * {@code nslab -batch FILE}) parsed without building the picocli model: that
 * model loads ~170 classes, a good part of a batch's JVM start. Anything else
 * (help, version, nslab's own commands, an unknown option) goes to picocli,
 * which accepts the same options, so both paths mean the same thing.
 */
final class FastPath {
    private static final Set<String> FLAGS = Set.of("-j", "-json", "-p", "-pretty", "-d", "-details", "-4", "-6", "-force",
            "-s", "-br", "-o");
    /** Global options taking a value, to find where the object word starts (Main uses it too). */
    static final Set<String> VALUED = Set.of("-n", "-netns", "-b", "-batch");

    /** The verbs of nslab's own {@code net} (Docker-style networks); with any other verb, {@code net} is ip's netns. */
    static final Set<String> DOCKER_NET = Set.of("create", "connect", "disconnect", "ls", "list", "inspect", "rm", "remove", "batch", "help");

    private FastPath() {}

    /** The exit code if this invocation was handled here; empty to let picocli handle it. */
    static Optional<Integer> run(PrintStream out, PrintStream err, InputStream in, String[] args, Set<String> ownCommands) {
        NslabCommand c = new NslabCommand(out, err, in);
        int i = 0;
        while (i < args.length && args[i].startsWith("-") && args[i].length() > 1) {
            String o = args[i];
            if (FLAGS.contains(o)) {
                switch (o) {
                    case "-j", "-json" -> c.json = true;
                    case "-p", "-pretty" -> c.pretty = true;
                    case "-d", "-details" -> c.details = true;
                    case "-4" -> c.v4 = true;
                    case "-6" -> c.v6 = true;
                    case "-s" -> c.stats = Arrays.copyOf(c.stats, c.stats.length + 1);
                    case "-br" -> c.brief = true;
                    case "-o" -> c.oneline = true;
                    default -> c.force = true;
                }
                i++;
            } else if (VALUED.contains(o) && i + 1 < args.length) {
                if (o.equals("-n") || o.equals("-netns")) c.netns = args[i + 1];
                else c.batch = args[i + 1];
                i += 2;
            } else {
                return Optional.empty();
            }
        }
        if (i == args.length) return c.batch != null ? Optional.of(c.call()) : Optional.empty();
        if (args[i].equals("net") && i + 1 < args.length && !DOCKER_NET.contains(args[i + 1]) && !args[i + 1].startsWith("-")) {
            // ip's "net" is netns; nslab's Docker-style "net" keeps its own verbs, every other verb is ip's
            return Optional.of(c.runIp("netns", Arrays.asList(args).subList(i + 1, args.length)));
        }
        // iproute2's bridge tool: its own options and objects follow the word
        if (args[i].equals("bridge")) return Optional.of(c.runBridge(Arrays.asList(args).subList(i + 1, args.length)));
        if (ownCommands.contains(args[i])) return Optional.empty();
        try {
            Optional<String> obj = IpParser.resolveObject(args[i]);
            if (obj.isEmpty()) return Optional.empty();
            return Optional.of(c.runIp(obj.get(), Arrays.asList(args).subList(i + 1, args.length)));
        } catch (CliException e) {
            return Optional.empty();
        }
    }
}
