package io.nslab.lab.load;

import io.nslab.lab.model.IfRef;
import io.nslab.lab.model.Impair;
import io.nslab.lab.model.Impairment;
import io.nslab.lab.model.Problem;
import io.nslab.lab.model.Src;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code impair:} map of a link, a link end or an interface: {@code {delay: 50ms, jitter: 5ms, loss: 1%,
 * duplicate: 0.1%, corrupt: 0.1%, reorder: 1%, rate: 10mbit}}. Every bad key or value is a problem at its place.
 */
final class ImpairReader {
    private ImpairReader() {}

    /** The {@code impair:} field of {@code owner}, if written; empty (with problems) when it is wrong. */
    static Optional<Impairment> read(Fields owner, IfRef at, List<Problem> problems) {
        return settings(owner, problems).map(s -> new Impairment(at, s.impair(), s.src()));
    }

    record Settings(Impair impair, Src src) {}

    static Optional<Settings> settings(Fields owner, List<Problem> problems) {
        Optional<Tree> v = owner.get("impair");
        if (v.isEmpty()) return Optional.empty();
        if (!(v.get() instanceof Tree.MapNode m)) {
            owner.wrongType("impair", "a map like {delay: 50ms, loss: 1%, rate: 10mbit}", v.get());
            return Optional.empty();
        }
        Fields f = new Fields(m, owner.what() + " impair", new HashSet<>(Impair.KEYS), problems);
        Map<String, String> given = new LinkedHashMap<>();
        boolean ok = m.entries().keySet().stream().allMatch(Impair.KEYS::contains);
        for (String k : Impair.KEYS) {
            Optional<String> text = f.text(k);
            if (f.has(k) && text.isEmpty()) ok = false;
            if (text.isEmpty()) continue;
            try {
                probe(k, text.get());
                given.put(k, text.get());
            } catch (IllegalArgumentException e) {
                f.problem(k, e.getMessage(), hint(k));
                ok = false;
            }
        }
        if (!ok) return Optional.empty();
        if (given.isEmpty()) {
            problems.add(new Problem(m.loc(), owner.what() + ": 'impair' is empty", "give at least one of " + String.join(", ", Impair.KEYS)));
            return Optional.empty();
        }
        try {
            return Optional.of(new Settings(Impair.of(given), new Src(m.loc(), f.locations())));
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(m.loc(), owner.what() + " impair: " + e.getMessage(), "add 'delay:'"));
            return Optional.empty();
        }
    }

    /** Parses one value on its own, so its problem is reported at its place. */
    private static void probe(String key, String value) {
        Impair base = key.equals("jitter") || key.equals("reorder") ? Impair.NONE.with("delay", "1ms") : Impair.NONE;
        base.with(key, value);
    }

    private static String hint(String key) {
        return switch (key) {
            case "delay", "jitter" -> "a time like 50ms, 1.5ms or 200us";
            case "rate" -> "a rate like 10mbit, 512kbit or 1gbit";
            default -> "a percentage 0..100, like 1% or 0.1%";
        };
    }
}
