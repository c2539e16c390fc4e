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
        boolean mq = false, pi = false, vnet = false, oneQueue = false;
        OptionalInt user = OptionalInt.empty(), group = OptionalInt.empty();
        // iptuntap.c's parse_args: keywords by prefix in its order; any other word is the name
        while (a.hasNext()) {
            String w = a.next();
            if (Args.matches(w, "mode")) {
                String m = a.value(w);
                boolean isTap;
                if (Args.matches(m, "tun")) isTap = false;
                else if (Args.matches(m, "tap")) isTap = true;
                else throw a.error("Unknown tunnel mode \"" + m + "\"");
                if (tap.isPresent() && tap.get() != isTap) throw a.error("You managed to ask for more than one tunnel mode.");
                tap = Optional.of(isTap);
            } else if (add && Args.matches(w, "user")) {
                user = OptionalInt.of(id(a, w, Accounts::uid));
            } else if (add && Args.matches(w, "group")) {
                group = OptionalInt.of(id(a, w, Accounts::gid));
            } else if (Args.matches(w, "pi")) {
                pi = true;
            } else if (Args.matches(w, "one_queue")) {
                oneQueue = true;
            } else if (Args.matches(w, "vnet_hdr")) {
                vnet = true;
            } else if (Args.matches(w, "multi_queue")) {
                mq = true;
            } else if (Args.matches(w, "dev")) {
                // ip: "dev" may name the device again, the last one counts
                name = Names.ifname(a, a.value(w));
            } else {
                String n = Args.matches(w, "name") ? a.value(w) : w;
                if (name != null) throw a.error("duplicate \"name\": \"" + n + "\" is the second value");
                name = Names.ifname(a, n);
            }
        }
        if (tap.isEmpty()) throw a.rejected("You failed to specify a tunnel mode");
        // no name: the kernel picks the first free tunN/tapN (ip sends an empty ifr_name)
        if (add) return new TuntapAdd(a.text(), Optional.ofNullable(name), tap.get(), mq, pi, vnet, oneQueue, user, group);
        return new TuntapDel(a.text(), Optional.ofNullable(name), tap.get(), mq, pi, vnet, oneQueue);
    }
}
