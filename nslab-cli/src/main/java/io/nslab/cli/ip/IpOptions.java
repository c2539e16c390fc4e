package io.nslab.cli.ip;

import io.nslab.cli.CliException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * ip's global options as ip reads them (ip.c's main): "--json" is "-json", and an option may be cut to
 * any prefix, the first in ip's order winning ("-n" and "-net" are -netns, "-f" is -family, "-b" is
 * -batch). They are rewritten to nslab's spelling before anything else reads them; the ones nslab does
 * not implement are refused, naming them. "-h" stays nslab's help (ip would take it as -human).
 */
public final class IpOptions {
    private IpOptions() {}

    /** ip's options in ip's order; "=" marks the ones compared whole (strcmp), not by prefix. */
    private static final String[] ORDER = {"-loops", "-family", "=-4", "=-6", "=-0", "=-M", "=-B", "-human",
        "-human-readable", "-iec", "-stats", "-statistics", "-details", "-resolve", "-oneline", "-timestamp", "-tshort",
        "-Version", "-force", "-batch", "-brief", "-json", "-pretty", "-rcvbuf", "-color", "-help", "-netns",
        "-Numeric", "-all", "=-echo"};

    /** nslab's spelling of the ones it implements; the value-taking ones are in VALUED. */
    private static final Set<String> VALUED = Set.of("-family", "-batch", "-netns", "-loops", "-rcvbuf");

    /** ip's canonical option for what was typed, or null when ip has none (left for the usual error). */
    static String resolve(String typed) {
        String opt = typed.startsWith("--") ? typed.substring(1) : typed;
        if (opt.length() < 2) return null;
        for (String o : ORDER) {
            if (o.startsWith("=") ? o.substring(1).equals(opt) : o.startsWith(opt)) return o.startsWith("=") ? o.substring(1) : o;
        }
        return null;
    }

    /** {@code args} with the leading global options in nslab's spelling. */
    public static String[] canonical(String[] args) throws CliException {
        List<String> out = new ArrayList<>(args.length);
        int i = 0;
        while (i < args.length) {
            String a = args[i];
            if (!a.startsWith("-") || a.length() < 2 || a.equals("--")) break;
            String o = a.equals("-h") || a.equals("--help") ? "-help" : a.equals("--version") || a.equals("-V") ? "-Version" : resolve(a);
            // as ip: an unknown option, or one without its value, is a usage error (exit 255)
            if (o == null) throw CliException.invalid("option \"" + a + "\" is unknown (ip's global options: nslab --help)");
            if (VALUED.contains(o) && i + 1 >= args.length) throw CliException.invalid("option \"" + a + "\" needs an argument");
            switch (o) {
                case "-netns" -> out.addAll(List.of("-n", args[i + 1]));
                case "-batch" -> out.addAll(List.of("-b", args[i + 1]));
                case "-family" -> out.add(family(args[i + 1]));
                case "-4", "-6" -> out.add(o);
                case "-json" -> out.add("-j");
                case "-pretty" -> out.add("-p");
                case "-details" -> out.add("-d");
                case "-force" -> out.add("-force");
                case "-stats", "-statistics" -> out.add("-s");
                case "-brief" -> out.add("-br");
                case "-oneline" -> out.add("-o");
                case "-help" -> out.add("-h");
                case "-Version" -> out.add("-V");
                default -> throw CliException.invalid("option \"" + a + "\" (ip's " + o + ") is not supported by nslab");
            }
            i += VALUED.contains(o) ? 2 : 1;
        }
        for (; i < args.length; i++) out.add(args[i]);
        return out.toArray(String[]::new);
    }

    private static String family(String f) throws CliException {
        return switch (f) {
            case "inet" -> "-4";
            case "inet6" -> "-6";
            default -> throw CliException.invalid("-family " + f + ": only inet and inet6 are supported by nslab");
        };
    }
}
