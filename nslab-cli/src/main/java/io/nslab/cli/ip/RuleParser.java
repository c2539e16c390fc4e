package io.nslab.cli.ip;

import io.nslab.cli.CliException;
import io.nslab.cli.ip.IpCommand.Op;
import io.nslab.cli.ip.IpCommand.RuleChange;
import io.nslab.cli.ip.IpCommand.RuleShow;
import io.nslab.cli.ip.IpCommand.RuleSpec;
import io.nslab.netlink.route.DsfieldNames;
import io.nslab.netlink.route.IpPrefix;

import java.util.Optional;
import java.util.OptionalInt;

/** {@code rule add|delete|show}. */
final class RuleParser {
    private RuleParser() {}

    static IpCommand parse(Args a) throws CliException {
        if (!a.hasNext()) return new RuleShow(a.text(), OptionalInt.empty());
        String v = a.next();
        if (Args.matches(v, "add")) return change(a, Op.ADD);
        if (Args.matches(v, "delete")) return change(a, Op.DEL);
        if (Args.matches(v, "list") || Args.matches(v, "show") || Args.matches(v, "lst")) {
            a.noMore();
            return new RuleShow(a.text(), OptionalInt.empty());
        }
        throw a.error("unknown command \"" + v + "\" (add, delete, show)");
    }

    private static IpCommand change(Args a, Op op) throws CliException {
        boolean not = false;
        Optional<IpPrefix> from = Optional.empty(), to = Optional.empty();
        OptionalInt prio = OptionalInt.empty();
        Optional<String> table = Optional.empty(), iif = Optional.empty(), oif = Optional.empty(), fwmark = Optional.empty(), action = Optional.empty();
        int family = 0, tos = 0;
        while (a.hasNext()) {
            String w = a.next();
            if (w.equals("tos") || (w.startsWith("ds") && Args.matches(w, "dsfield"))) {
                // iprule.c: "tos" whole, "dsfield" or a prefix; a name from rt_dsfield or a hex number
                String v = a.value(w);
                tos = DsfieldNames.parse(v).orElseThrow(() -> a.error("argument \"" + v + "\" is wrong: TOS value is invalid"));
                continue;
            }
            switch (w) {
                case "not" -> not = true;
                case "from" -> from = selector(a, a.value(w));
                case "to" -> to = selector(a, a.value(w));
                case "priority", "pref", "preference", "order" -> prio = a.optInt(w, 0, Integer.MAX_VALUE);
                case "table", "lookup" -> table = Optional.of(a.table(a.value(w)));
                case "iif", "dev" -> iif = Optional.of(Names.ifname(a, a.value(w)));
                case "oif" -> oif = Optional.of(Names.ifname(a, a.value(w)));
                case "fwmark" -> {
                    String m = a.value(w);
                    for (String part : m.split("/", 2)) a.parseInt("fwmark", part, 0, 0xffffffffL);
                    fwmark = Optional.of(m);
                }
                case "blackhole", "unreachable", "prohibit", "goto", "nop" -> action = Optional.of(w);
                case "-4", "inet" -> family = 2;
                case "-6", "inet6" -> family = 10;
                default -> throw a.unknown(w);
            }
        }
        int f = from.map(IpPrefix::family).orElse(to.map(IpPrefix::family).orElse(family == 0 ? 2 : family));
        if (from.isPresent() && to.isPresent() && from.get().family() != to.get().family()) throw a.refusedByKernel("from and to are of different families");
        if (op == Op.ADD && table.isEmpty() && action.isEmpty()) table = Optional.of("main");
        return new RuleChange(a.text(), op, new RuleSpec(f, not, from, to, prio, table, iif, oif, fwmark, action, tos));
    }

    /** {@code from}/{@code to}: empty for "all"/"any"/"default". */
    private static Optional<IpPrefix> selector(Args a, String s) throws CliException {
        if (s.equals("all") || s.equals("any") || s.equals("default")) return Optional.empty();
        return Optional.of(a.prefix(s));
    }
}
