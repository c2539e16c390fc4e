package io.nslab.cli.ip;

import io.nslab.cli.CliException;

import java.util.List;
import java.util.Optional;

/**
 * iproute2's argument syntax for the objects nslab covers, with ip's
 * abbreviations (an object or verb may be shortened to any prefix, the first
 * match in ip's own order wins). Pure: no kernel access, every check that can
 * be made on the words alone is made here, so a bad line changes nothing.
 * This class resolves the object and hands its words to that object's parser
 * ({@link LinkParser}, {@link AddrParser}, ...), which share {@link Args}.
 */
public final class IpParser {
    /** ip's object table in ip's order (first prefix match wins); null = known to ip, not covered by nslab. */
    private static final String[][] OBJECTS = {
        {"address", "address"}, {"addrlabel", null}, {"maddress", null}, {"route", "route"}, {"rule", "rule"},
        {"neighbor", "neighbour"}, {"neighbour", "neighbour"}, {"ntable", null}, {"ntbl", null}, {"link", "link"},
        {"l2tp", null}, {"fou", null}, {"ila", null}, {"macsec", null}, {"tunnel", null}, {"tuntap", "tuntap"},
        {"tap", "tuntap"}, {"token", null}, {"tcpmetrics", null}, {"tcp_metrics", null}, {"monitor", "monitor"},
        {"xfrm", null}, {"mroute", null}, {"mrule", null}, {"netns", "netns"}, {"netconf", null}, {"vrf", null},
        {"sr", null}, {"nexthop", null}, {"mptcp", null}, {"ioam", null}, {"stats", null},
        {"qdisc", "qdisc"}, // tc's object (QdiscParser); no ip object starts with q
    };

    /** The iproute2 objects nslab implements, by canonical name. */
    public static final List<String> SUPPORTED = List.of("address", "route", "rule", "neighbour", "link", "tuntap", "monitor", "netns", "qdisc");

    private IpParser() {}

    /**
     * The canonical object for what the user typed: empty if ip knows no such
     * object; a {@link CliException} if ip has it but nslab does not.
     */
    public static Optional<String> resolveObject(String typed) throws CliException {
        for (String[] o : OBJECTS) {
            if (Args.matches(typed, o[0])) {
                if (o[1] == null) throw CliException.invalid(typed + ": object \"" + o[0] + "\" is not supported by nslab (supported: " + String.join(", ", SUPPORTED) + ")");
                return Optional.of(o[1]);
            }
        }
        return Optional.empty();
    }

    /** Parses {@code OBJECT [COMMAND ARGS...]}. */
    public static IpCommand parse(List<String> words) throws CliException {
        if (words.isEmpty()) throw CliException.usage("missing object (one of " + String.join(", ", SUPPORTED) + ")");
        String obj = resolveObject(words.get(0))
                .orElseThrow(() -> CliException.usage("unknown object \"" + words.get(0) + "\" (try one of " + String.join(", ", SUPPORTED) + ")"));
        return parse(obj, words.subList(1, words.size()));
    }

    /** Parses the arguments of an already resolved object. */
    public static IpCommand parse(String object, List<String> args) throws CliException {
        String display = displayName(object);
        Args a = new Args(args, (display + " " + String.join(" ", args)).strip());
        return switch (object) {
            case "netns" -> NetnsParser.parse(a);
            case "link" -> LinkParser.parse(a);
            case "tuntap" -> TuntapParser.parse(a);
            case "address" -> AddrParser.parse(a);
            case "route" -> RouteParser.parse(a);
            case "neighbour" -> NeighParser.parse(a);
            case "rule" -> RuleParser.parse(a);
            case "monitor" -> MonitorParser.parse(a);
            case "qdisc" -> QdiscParser.parse(a);
            default -> throw CliException.usage("unknown object \"" + object + "\"");
        };
    }

    private static String displayName(String object) {
        return switch (object) {
            case "address" -> "addr";
            case "neighbour" -> "neigh";
            default -> object;
        };
    }
}
