package io.nslab.cli.bridge;

import io.nslab.cli.CliException;
import io.nslab.cli.ExitCode;
import io.nslab.cli.Globals;
import io.nslab.cli.Problems;
import io.nslab.cli.ip.Args;
import io.nslab.cli.ip.Names;
import io.nslab.cli.run.BridgeOps;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * {@code nslab bridge [OPTIONS] OBJECT ...}: iproute2's {@code bridge} tool.
 * Its own options come first ({@code -j}, {@code -p}, {@code -d}, {@code -n NS},
 * by prefix in the tool's order, as bridge.c reads them); nslab's global
 * options given before {@code bridge} apply too. Failures exit 255, as the
 * tool's do (environment problems and bugs keep nslab's 3 and 70).
 */
public final class BridgeTool {
    /** The tool's exit status for every failure ({@code return -1} from main). */
    public static final int FAILED = 255;

    /** bridge.c's options in its order (the first that starts with what was typed wins); null = not covered by nslab. */
    private static final String[][] OPTIONS = {{"-help", null}, {"-Version", null}, {"-stats", null}, {"-statistics", null},
        {"-details", "d"}, {"-oneline", null}, {"-timestamp", null}, {"-family", null}, {"-netns", "n"}, {"-color", null},
        {"-compressvlans", null}, {"-force", null}, {"-json", "j"}, {"-pretty", "p"}, {"-batch", null}};

    private BridgeTool() {}

    /** Runs {@code bridge ARGS} with nslab's globals {@code g} as the starting point. */
    public static int run(Globals g, List<String> args, PrintStream out, PrintStream err) {
        PrintWriter w = new PrintWriter(err, true, StandardCharsets.UTF_8);
        try {
            int i = 0;
            Optional<String> ns = g.netns();
            boolean json = g.json(), pretty = g.pretty(), details = g.details();
            while (i < args.size() && args.get(i).startsWith("-") && args.get(i).length() > 1) {
                String o = args.get(i);
                if (o.equals("--")) { i++; break; }
                String opt = o.startsWith("--") ? o.substring(1) : o;
                String[] hit = null;
                for (String[] k : OPTIONS) if (Args.matches(opt, k[0])) { hit = k; break; }
                if (opt.equals("-4") || opt.equals("-6")) hit = new String[] {opt, null};
                if (hit == null) throw CliException.usage("bridge: Option \"" + o + "\" is unknown, try \"bridge help\"");
                if (hit[1] == null) throw CliException.usage("bridge: option \"" + o + "\" (bridge's " + hit[0] + ") is not supported by nslab");
                switch (hit[1]) {
                    case "d" -> details = true;
                    case "j" -> json = true;
                    case "p" -> pretty = true;
                    default -> {
                        if (i + 1 >= args.size()) throw CliException.usage("bridge: \"" + o + "\" needs a namespace name");
                        ns = Optional.of(args.get(++i));
                        Names.checkNetns(ns.get());
                    }
                }
                i++;
            }
            BridgeCommand c = BridgeParser.parse(args.subList(i, args.size()));
            return BridgeOps.run(c, new Globals(ns, json, details, pretty, g.family(), g.force(), 0, false, false), out, err);
        } catch (CliException e) {
            int code = Problems.report(e, w);
            return code == ExitCode.USAGE || code == ExitCode.FAILED ? FAILED : code;
        } finally {
            out.flush();
        }
    }
}
