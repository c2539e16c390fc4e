package io.nslab.netlink.route;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What to add or delete: {@code ip rule add [not] [from P] [to P] [fwmark M[/MASK]]
 * [tos T] [iif D] [oif D] [priority N] [table T | blackhole | unreachable | prohibit | goto N]}.
 * On add, unset action means "lookup" (FR_ACT_TO_TBL) and unset table main,
 * as iproute2 does; on delete, unset fields match any rule.
 */
public record RuleSpec(int family, Optional<IpPrefix> from, Optional<IpPrefix> to, OptionalInt priority, OptionalInt table,
                       OptionalInt fwmark, OptionalInt fwmask, Optional<String> iif, Optional<String> oif,
                       OptionalInt action, OptionalInt gotoPriority, boolean invert, int tos) {
    public RuleSpec {
        Objects.requireNonNull(from);
        Objects.requireNonNull(to);
        Objects.requireNonNull(priority);
        Objects.requireNonNull(table);
        Objects.requireNonNull(fwmark);
        Objects.requireNonNull(fwmask);
        Objects.requireNonNull(iif);
        Objects.requireNonNull(oif);
        Objects.requireNonNull(action);
        Objects.requireNonNull(gotoPriority);
        int f = family;
        for (IpPrefix p : new IpPrefix[] {from.orElse(null), to.orElse(null)}) {
            if (p == null) continue;
            if (f == AddressFamily.UNSPEC) f = p.family();
            else if (f != p.family()) throw new IllegalArgumentException("rule: " + p + " is not of the rule's family " + AddressFamily.name(f));
        }
        table.ifPresent(t -> { if (t == 0) throw new IllegalArgumentException("rule: table 0 is not a table"); });
        if (tos < 0 || tos > 255) throw new IllegalArgumentException("rule: tos " + tos + " is not a byte");
    }

    /** IPv4 unless a prefix says otherwise (like {@code ip rule}); use {@link #family(int)} for {@code ip -6 rule}. */
    public static RuleSpec create() {
        return new RuleSpec(AddressFamily.UNSPEC, Optional.empty(), Optional.empty(), OptionalInt.empty(), OptionalInt.empty(),
                OptionalInt.empty(), OptionalInt.empty(), Optional.empty(), Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), false, 0);
    }

    public RuleSpec family(int f) { return new RuleSpec(f, from, to, priority, table, fwmark, fwmask, iif, oif, action, gotoPriority, invert, tos); }
    public RuleSpec from(IpPrefix p) { return new RuleSpec(family, Optional.of(p), to, priority, table, fwmark, fwmask, iif, oif, action, gotoPriority, invert, tos); }
    public RuleSpec to(IpPrefix p) { return new RuleSpec(family, from, Optional.of(p), priority, table, fwmark, fwmask, iif, oif, action, gotoPriority, invert, tos); }
    public RuleSpec priority(int p) { return new RuleSpec(family, from, to, OptionalInt.of(p), table, fwmark, fwmask, iif, oif, action, gotoPriority, invert, tos); }
    /** {@code lookup T} (sets the action to FR_ACT_TO_TBL when none is set). */
    public RuleSpec table(int t) { return new RuleSpec(family, from, to, priority, OptionalInt.of(t), fwmark, fwmask, iif, oif, action, gotoPriority, invert, tos); }
    public RuleSpec fwmark(int m) { return new RuleSpec(family, from, to, priority, table, OptionalInt.of(m), fwmask, iif, oif, action, gotoPriority, invert, tos); }
    public RuleSpec fwmark(int m, int mask) { return new RuleSpec(family, from, to, priority, table, OptionalInt.of(m), OptionalInt.of(mask), iif, oif, action, gotoPriority, invert, tos); }
    public RuleSpec iif(String d) { return new RuleSpec(family, from, to, priority, table, fwmark, fwmask, Optional.of(d), oif, action, gotoPriority, invert, tos); }
    public RuleSpec oif(String d) { return new RuleSpec(family, from, to, priority, table, fwmark, fwmask, iif, Optional.of(d), action, gotoPriority, invert, tos); }
    /** FR_ACT_*: FR_ACT_BLACKHOLE, FR_ACT_UNREACHABLE, FR_ACT_PROHIBIT, FR_ACT_NOP... */
    public RuleSpec action(int a) { return new RuleSpec(family, from, to, priority, table, fwmark, fwmask, iif, oif, OptionalInt.of(a), gotoPriority, invert, tos); }
    /** {@code goto N}: continue at the rule with priority N. */
    public RuleSpec gotoRule(int p) { return new RuleSpec(family, from, to, priority, table, fwmark, fwmask, iif, oif, OptionalInt.of(RtConst.FR_ACT_GOTO), OptionalInt.of(p), invert, tos); }
    /** {@code not}: the selector is inverted. */
    public RuleSpec not() { return new RuleSpec(family, from, to, priority, table, fwmark, fwmask, iif, oif, action, gotoPriority, true, tos); }
    /** {@code tos T} / {@code dsfield T}: fib_rule_hdr.tos, the TOS (DS field) byte the rule matches. */
    public RuleSpec tos(int t) { return new RuleSpec(family, from, to, priority, table, fwmark, fwmask, iif, oif, action, gotoPriority, invert, t); }

    public int effectiveFamily() { return family == AddressFamily.UNSPEC ? AddressFamily.INET : family; }

    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (invert) sb.append("not ");
        sb.append("from ").append(from.map(IpPrefix::toString).orElse("all"));
        to.ifPresent(t -> sb.append(" to ").append(t));
        if (tos != 0) sb.append(" tos 0x").append(String.format("%02x", tos));
        fwmark.ifPresent(m -> sb.append(" fwmark 0x").append(Integer.toHexString(m)));
        fwmask.ifPresent(m -> sb.append("/0x").append(Integer.toHexString(m)));
        iif.ifPresent(i -> sb.append(" iif ").append(i));
        oif.ifPresent(o -> sb.append(" oif ").append(o));
        priority.ifPresent(p -> sb.append(" priority ").append(Integer.toUnsignedString(p)));
        table.ifPresent(t -> sb.append(" lookup ").append(RouteNames.table(t)));
        return sb.toString();
    }
}
