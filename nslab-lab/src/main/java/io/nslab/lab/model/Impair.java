package io.nslab.lab.model;

import io.nslab.netlink.tc.Netem;
import io.nslab.netlink.tc.Percent;
import io.nslab.netlink.tc.QdiscKind;
import io.nslab.netlink.tc.Rate;
import io.nslab.netlink.tc.Size;
import io.nslab.netlink.tc.Tbf;
import io.nslab.netlink.tc.TcTime;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How an interface's outgoing traffic is impaired: {@code delay}, {@code jitter}, {@code loss},
 * {@code duplicate}, {@code corrupt}, {@code reorder} and {@code rate}, as the lab key
 * {@code impair:} and {@code nslab impair} write them (tc's units: {@code 50ms}, {@code 1%}, {@code 10mbit}).
 *
 * <p>As a root qdisc ({@link #qdisc()}): {@code rate} alone is a {@link Tbf} (a token bucket, in every
 * kernel with {@code CONFIG_NET_SCH_TBF}); anything else is one {@link Netem}, which then also carries the
 * rate (netem's own {@code rate}: each packet leaves after its serialization time at that rate), so delay and
 * rate compose in one qdisc and {@code tc qdisc show} shows what the file says.
 */
public record Impair(Optional<TcTime> delay, Optional<TcTime> jitter, Optional<Percent> loss, Optional<Percent> duplicate,
                     Optional<Percent> corrupt, Optional<Percent> reorder, Optional<Rate> rate) {
    /** The keys, in the order they are written. */
    public static final List<String> KEYS = List.of("delay", "jitter", "loss", "duplicate", "corrupt", "reorder", "rate");
    public static final Impair NONE = new Impair(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty());

    /** tbf's queue beyond its bucket: 100 ms at the rate, at least 64 KiB (see {@link #qdisc()}). */
    static final TcTime TBF_QUEUE = TcTime.ofMillis(100);
    static final long TBF_MIN_QUEUE = 64 * 1024;

    public Impair {
        if (jitter.isPresent() && delay.isEmpty()) throw new IllegalArgumentException("jitter needs a delay");
        if (reorder.isPresent() && delay.isEmpty()) throw new IllegalArgumentException("reorder needs a delay (reordered packets are the ones sent at once, the others wait)");
    }

    public boolean isEmpty() { return equals(NONE); }

    /** Anything but a rate needs netem ({@code CONFIG_NET_SCH_NETEM}). */
    public boolean needsNetem() {
        return delay.isPresent() || jitter.isPresent() || loss.isPresent() || duplicate.isPresent() || corrupt.isPresent() || reorder.isPresent();
    }

    /** The kind of the root qdisc that makes it: tbf or netem (empty for {@link #NONE}). */
    public String kindName() { return isEmpty() ? "none" : needsNetem() ? "netem" : "tbf"; }

    /** The root qdisc that makes this impairment. */
    public QdiscKind qdisc() {
        if (isEmpty()) throw new IllegalStateException("no impairment");
        if (!needsNetem()) {
            // a veth hands tbf whole GSO super-packets (up to 64 KiB) that it splits into frames: a queue
            // smaller than one of them drops most of its frames, and TCP falls well short of the rate
            Rate r = rate.orElseThrow();
            long queue = Math.max(TBF_MIN_QUEUE, r.bytesPerSecond() * TBF_QUEUE.micros() / 1_000_000);
            return Tbf.withLimit(r, burst(r), Size.bytes(burst(r).bytes() + queue));
        }
        Netem n = Netem.of();
        if (delay.isPresent()) n = n.withDelay(delay.get(), jitter.orElse(new TcTime(0)), Percent.ZERO);
        if (loss.isPresent()) n = n.withLoss(loss.get());
        if (duplicate.isPresent()) n = n.withDuplicate(duplicate.get(), Percent.ZERO);
        if (corrupt.isPresent()) n = n.withCorrupt(corrupt.get(), Percent.ZERO);
        if (reorder.isPresent()) n = n.withReorder(reorder.get(), Percent.ZERO);
        if (rate.isPresent()) n = n.withRate(rate.get());
        return n;
    }

    /**
     * tbf's bucket: 10 ms of traffic at the rate, at least 4 KiB (two full frames). Smaller buckets
     * need a timer per packet and fall short of the rate at 100 mbit and more; tc's own rule of thumb is
     * at least rate/HZ.
     */
    static Size burst(Rate r) {
        return Size.bytes(Math.max(4096, r.bytesPerSecond() / 100));
    }

    /** What a root qdisc the kernel reports amounts to, in these terms; empty when it is not one nslab makes. */
    public static Optional<Impair> of(QdiscKind k) {
        return switch (k) {
            case Tbf t -> Optional.of(NONE.withRate(t.rate()));
            case Netem n -> {
                Impair i = NONE;
                if (n.delay().nanos() > 0) i = new Impair(Optional.of(n.delay()), n.jitter().nanos() > 0 ? Optional.of(n.jitter()) : Optional.empty(),
                        i.loss, i.duplicate, i.corrupt, i.reorder, i.rate);
                if (!n.loss().isZero()) i = new Impair(i.delay, i.jitter, Optional.of(n.loss()), i.duplicate, i.corrupt, i.reorder, i.rate);
                if (!n.duplicate().isZero()) i = new Impair(i.delay, i.jitter, i.loss, Optional.of(n.duplicate()), i.corrupt, i.reorder, i.rate);
                if (!n.corrupt().isZero()) i = new Impair(i.delay, i.jitter, i.loss, i.duplicate, Optional.of(n.corrupt()), i.reorder, i.rate);
                if (!n.reorder().isZero() && n.delay().nanos() > 0) i = new Impair(i.delay, i.jitter, i.loss, i.duplicate, i.corrupt, Optional.of(n.reorder()), i.rate);
                if (n.rate().isPresent()) i = i.withRate(n.rate().get());
                yield Optional.of(i);
            }
            case QdiscKind.Other o -> Optional.empty();
        };
    }

    public Impair withRate(Rate r) { return new Impair(delay, jitter, loss, duplicate, corrupt, reorder, Optional.of(r)); }

    /** One setting by its key ({@code "loss", "1%"}); an {@link IllegalArgumentException} naming the key and value otherwise. */
    public Impair with(String key, String value) {
        String k = key.toLowerCase(Locale.ROOT);
        return switch (k) {
            case "delay" -> new Impair(Optional.of(TcTime.parse(value, "delay")), jitter, loss, duplicate, corrupt, reorder, rate);
            case "jitter" -> new Impair(delay, Optional.of(TcTime.parse(value, "jitter")), loss, duplicate, corrupt, reorder, rate);
            case "loss" -> new Impair(delay, jitter, Optional.of(Percent.parse(value, "loss")), duplicate, corrupt, reorder, rate);
            case "duplicate" -> new Impair(delay, jitter, loss, Optional.of(Percent.parse(value, "duplicate")), corrupt, reorder, rate);
            case "corrupt" -> new Impair(delay, jitter, loss, duplicate, Optional.of(Percent.parse(value, "corrupt")), reorder, rate);
            case "reorder" -> new Impair(delay, jitter, loss, duplicate, corrupt, Optional.of(Percent.parse(value, "reorder")), rate);
            case "rate" -> new Impair(delay, jitter, loss, duplicate, corrupt, reorder, Optional.of(Rate.parse(value)));
            default -> throw new IllegalArgumentException("unknown impairment '" + key + "' (known: " + String.join(", ", KEYS) + ")");
        };
    }

    /**
     * {@code delay 50ms jitter 5ms loss 1% rate 10mbit}: key-value words, as {@link #toString()} writes
     * them, in any order; {@code none} is {@link #NONE}. Jitter and reorder need a delay.
     */
    public static Impair parse(List<String> words) {
        if (words.size() == 1 && words.get(0).equals("none")) return NONE;
        Map<String, String> given = new LinkedHashMap<>();
        for (int k = 0; k < words.size(); k += 2) {
            String key = words.get(k).toLowerCase(Locale.ROOT);
            if (!KEYS.contains(key))
                throw new IllegalArgumentException("unknown impairment '" + words.get(k) + "' (known: " + String.join(", ", KEYS) + ")");
            if (given.containsKey(key)) throw new IllegalArgumentException("'" + key + "' given twice");
            if (k + 1 >= words.size()) throw new IllegalArgumentException("'" + key + "' needs a value");
            given.put(key, words.get(k + 1));
        }
        return of(given);
    }

    /** From key -> value text; applied in {@link #KEYS} order, so a delay is there before its jitter. */
    public static Impair of(Map<String, String> settings) {
        Impair i = NONE;
        for (String k : KEYS) if (settings.containsKey(k)) i = i.with(k, settings.get(k));
        return i;
    }

    /**
     * The same impairment as the kernel holds it: times to the microsecond, percentages as the
     * kernel's u32, rates to the byte per second (what a dump gives back).
     */
    public boolean sameAs(Impair o) {
        return micros(delay).equals(micros(o.delay)) && micros(jitter).equals(micros(o.jitter)) && some(loss).equals(some(o.loss))
                && some(duplicate).equals(some(o.duplicate)) && some(corrupt).equals(some(o.corrupt)) && some(reorder).equals(some(o.reorder))
                && rate.map(Rate::bytesPerSecond).equals(o.rate.map(Rate::bytesPerSecond));
    }

    /** 0% is what the kernel reports as nothing. */
    private static Optional<Percent> some(Optional<Percent> p) {
        return p.filter(x -> !x.isZero());
    }

    private static Optional<Long> micros(Optional<TcTime> t) {
        return t.map(x -> Math.round(x.nanos() / 1000.0)).filter(x -> x != 0);
    }

    /** {@code delay 50ms jitter 5ms loss 1% rate 10Mbit}, or {@code none}. */
    @Override public String toString() {
        List<String> w = new ArrayList<>();
        delay.ifPresent(v -> w.add("delay " + v));
        jitter.ifPresent(v -> w.add("jitter " + v));
        loss.ifPresent(v -> w.add("loss " + v));
        duplicate.ifPresent(v -> w.add("duplicate " + v));
        corrupt.ifPresent(v -> w.add("corrupt " + v));
        reorder.ifPresent(v -> w.add("reorder " + v));
        rate.ifPresent(v -> w.add("rate " + v));
        return w.isEmpty() ? "none" : String.join(" ", w);
    }
}
