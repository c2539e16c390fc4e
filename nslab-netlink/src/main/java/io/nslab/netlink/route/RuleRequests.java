package io.nslab.netlink.route;

import io.nslab.netlink.NlRequest;
import io.nslab.netlink.wire.NlWriter;

import static io.nslab.netlink.route.RtConst.*;
import static io.nslab.netlink.wire.Netlink.*;

/** Pure builders of policy rule requests, byte-compatible with iproute2 (rule-*, dump-rule fixtures). */
public final class RuleRequests {
    private RuleRequests() {}

    /** {@code ip rule add}: fails if the same rule exists. */
    public static NlRequest add(RuleSpec s) {
        return new NlRequest(RTM_NEWRULE, NLM_F_CREATE | NLM_F_EXCL, body(s, true), "rule add " + s.describe());
    }

    /** {@code ip rule del}: deletes the first rule matching the given fields. */
    public static NlRequest del(RuleSpec s) {
        return new NlRequest(RTM_DELRULE, 0, body(s, false), "rule del " + s.describe());
    }

    /** Deletes a rule exactly as the kernel reported it. */
    public static NlRequest del(Rule r) {
        NlWriter w = new NlWriter(64);
        w.u8(r.family()).u8(r.dstLength()).u8(r.srcLength()).u8(r.tos()).u8(r.table() < 256 ? r.table() : RT_TABLE_UNSPEC)
                .u8(0).u8(0).u8(r.action()).u32(r.flags() & Rule.FIB_RULE_INVERT);
        r.src().ifPresent(a -> w.attrIp(FRA_SRC, a));
        r.dst().ifPresent(a -> w.attrIp(FRA_DST, a));
        r.fwmark().ifPresent(m -> w.attrU32(FRA_FWMARK, m));
        r.fwmask().ifPresent(m -> w.attrU32(FRA_FWMASK, m));
        r.iif().ifPresent(d -> w.attrString(FRA_IIFNAME, d));
        r.oif().ifPresent(d -> w.attrString(FRA_OIFNAME, d));
        if (r.table() >= 256) w.attrU32(FRA_TABLE, r.table());
        r.gotoPriority().ifPresent(g -> w.attrU32(FRA_GOTO, g));
        w.attrU32(FRA_PRIORITY, r.priority());
        return new NlRequest(RTM_DELRULE, 0, w.toByteArray(), "rule del " + r);
    }

    /** {@code ip rule show} (IPv4), {@code ip -6 rule show}, or every family with UNSPEC. */
    public static NlRequest dump(int family) {
        NlWriter w = new NlWriter(12);
        w.u8(family).zeros(11);
        return new NlRequest(RTM_GETRULE, 0, w.toByteArray(), "rule show");
    }

    /** fib_rule_hdr (tos in it) + FRA_SRC, FRA_DST, FRA_FWMARK, FRA_FWMASK, FRA_IIFNAME, FRA_OIFNAME, FRA_TABLE, FRA_GOTO, FRA_PRIORITY. */
    private static byte[] body(RuleSpec s, boolean add) {
        int table = s.table().orElse(add && s.action().isEmpty() ? RT_TABLE_MAIN : RT_TABLE_UNSPEC);
        int action = s.action().orElse(add ? FR_ACT_TO_TBL : FR_ACT_UNSPEC);
        NlWriter w = new NlWriter(96);
        w.u8(s.effectiveFamily()).u8(s.to().map(IpPrefix::length).orElse(0)).u8(s.from().map(IpPrefix::length).orElse(0)).u8(s.tos())
                .u8(table < 256 ? table : RT_TABLE_UNSPEC).u8(0).u8(0).u8(action).u32(s.invert() ? Rule.FIB_RULE_INVERT : 0);
        s.from().ifPresent(p -> w.attrIp(FRA_SRC, p.address()));
        s.to().ifPresent(p -> w.attrIp(FRA_DST, p.address()));
        s.fwmark().ifPresent(m -> w.attrU32(FRA_FWMARK, m));
        s.fwmask().ifPresent(m -> w.attrU32(FRA_FWMASK, m));
        s.iif().ifPresent(d -> w.attrString(FRA_IIFNAME, d));
        s.oif().ifPresent(d -> w.attrString(FRA_OIFNAME, d));
        if (table >= 256) w.attrU32(FRA_TABLE, table);
        s.gotoPriority().ifPresent(g -> w.attrU32(FRA_GOTO, g));
        s.priority().ifPresent(p -> w.attrU32(FRA_PRIORITY, p));
        return w.toByteArray();
    }
}
