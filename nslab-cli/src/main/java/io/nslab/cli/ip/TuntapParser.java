package io.nslab.cli.ip;

import io.nslab.cli.CliException;
import io.nslab.cli.ip.IpCommand.TuntapAdd;
import io.nslab.cli.ip.IpCommand.TuntapDel;
import io.nslab.cli.ip.IpCommand.TuntapShow;

import java.util.Optional;
import java.util.function.Function;
import java.util.OptionalInt;

/** {@code tuntap add|delete|show} (also spelled {@code tap}). */
final class TuntapParser {
    private TuntapParser() {}

    /** A number, or (as ip) a local user or group name. */
    private static int id(Args a, String kw, Function<String, OptionalInt> byName) throws CliException {
        String v = a.value(kw);
        if (v.chars().allMatch(Character::isDigit) && !v.isEmpty()) return a.parseInt(kw, v, 0, Integer.MAX_VALUE);
        return byName.apply(v).orElseThrow(() -> a.error("invalid " + kw + " \"" + v + "\" (no such " + kw + ")"));
    }

    static IpCommand parse(Args a) throws CliException {
        if (!a.hasNext()) return new TuntapShow(a.text());
        String v = a.next();
        if (Args.matches(v, "show") || Args.matches(v, "list") || Args.matches(v, "lst")) {
            a.noMore();
            return new TuntapShow(a.text());
        }
        boolean add = Args.matches(v, "add");
        if (!add && !Args.matches(v, "delete")) throw a.error("unknown command \"" + v + "\" (add, delete, show)");
        String name = null;
        Optional<Boolean> tap = Optional.empty();
        boolean mq = false, pi = false, vnet = false;
        OptionalInt user = OptionalInt.empty(), group = OptionalInt.empty();
        while (a.hasNext()) {
            String w = a.next();
            switch (w) {
                case "dev", "name" -> name = a.dev(name, a.value(w));
                case "mode" -> {
                    String m = a.value(w);
                    if (!m.equals("tun") && !m.equals("tap")) throw a.error("invalid mode \"" + m + "\" (tun, tap)");
                    tap = Optional.of(m.equals("tap"));
                }
                case "multi_queue" -> mq = true;
                case "pi" -> pi = true;
                case "vnet_hdr" -> vnet = true;
                case "one_queue" -> { }
                case "user" -> user = OptionalInt.of(id(a, w, Accounts::uid));
                case "group" -> group = OptionalInt.of(id(a, w, Accounts::gid));
                default -> name = a.dev(name, w);
            }
        }
        if (name == null) throw a.error("missing device name (\"tuntap " + (add ? "add" : "del") + " dev NAME mode tun|tap\")");
        if (tap.isEmpty()) throw a.error("missing \"mode tun|tap\"");
        if (add) return new TuntapAdd(a.text(), name, tap.get(), mq, pi, vnet, user, group);
        return new TuntapDel(a.text(), name, tap.get());
    }
}
