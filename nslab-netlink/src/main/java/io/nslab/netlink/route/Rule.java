package io.nslab.netlink.route;

import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.DecodeException;
import io.nslab.netlink.wire.NlMessage;
import io.nslab.netlink.wire.NlWriter;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

import static io.nslab.netlink.route.RtConst.*;

/**
 * A policy routing rule as the kernel reports it (struct fib_rule_hdr +
 * FRA_*). {@code table} is the real table id (FRA_TABLE when present);
 * {@code action} is FR_ACT_*; {@code priority} 0 is the kernel's "local" rule,
 * which it sends without FRA_PRIORITY. Attributes are kept whole.
 */
public record Rule(int family, int dstLength, int srcLength, int tos, int table, int action, int flags,
                   Optional<InetAddress> src, Optional<InetAddress> dst, int priority,
                   OptionalInt fwmark, OptionalInt fwmask, Optional<String> iif, Optional<String> oif,
                   OptionalInt gotoPriority, OptionalInt protocol, Attrs attrs) {
    /** sizeof(struct fib_rule_hdr). */
    public static final int HEADER_LEN = 12;
    /** {@code not}: FIB_RULE_INVERT of linux/fib_rules.h (the generator emits FRA_/FR_ACT_ names only). */
    public static final int FIB_RULE_INVERT = 0x2;

    public Rule {
        Objects.requireNonNull(src);
        Objects.requireNonNull(dst);
        Objects.requireNonNull(fwmark);
        Objects.requireNonNull(fwmask);
        Objects.requireNonNull(iif);
        Objects.requireNonNull(oif);
        Objects.requireNonNull(gotoPriority);
        Objects.requireNonNull(protocol);
        Objects.requireNonNull(attrs);
    }

    /** {@code from PREFIX}, empty for "from all". */
    public Optional<IpPrefix> from() { return src.map(a -> new IpPrefix(a, srcLength)); }

    /** {@code to PREFIX}, empty for any destination. */
    public Optional<IpPrefix> to() { return dst.map(a -> new IpPrefix(a, dstLength)); }

    public boolean inverted() { return (flags & FIB_RULE_INVERT) != 0; }

    public static Rule decode(NlMessage m) {
        if (m.type() != RTM_NEWRULE && m.type() != RTM_DELRULE) {
            throw new DecodeException("message type " + m.type() + " is not a rule message", 4);
        }
        return decodeBody(m.payload());
    }

    public static Rule decodeBody(byte[] p) {
        if (p.length < HEADER_LEN) throw new DecodeException("rule message shorter than fib_rule_hdr (" + p.length + " bytes)", 16);
        ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.nativeOrder());
        int family = b.get(0) & 0xff, dlen = b.get(1) & 0xff, slen = b.get(2) & 0xff, tos = b.get(3) & 0xff;
        int htable = b.get(4) & 0xff, action = b.get(7) & 0xff, flags = b.getInt(8);
        Attrs a = Attrs.parse(p, HEADER_LEN, p.length - HEADER_LEN);
        return new Rule(family, dlen, slen, tos, a.u32(FRA_TABLE).orElse(htable), action, flags, IpPrefix.attrAddress(a, FRA_SRC), IpPrefix.attrAddress(a, FRA_DST),
                a.u32(FRA_PRIORITY).orElse(0), a.u32(FRA_FWMARK), a.u32(FRA_FWMASK), a.string(FRA_IIFNAME), a.string(FRA_OIFNAME),
                a.u32(FRA_GOTO), a.u8(FRA_PROTOCOL), a);
    }

    public byte[] encodeBody() {
        NlWriter w = new NlWriter(HEADER_LEN + 64);
        w.u8(family).u8(dstLength).u8(srcLength).u8(tos).u8(table < 256 ? table : RT_TABLE_UNSPEC).u8(0).u8(0).u8(action).u32(flags);
        attrs.write(w);
        return w.toByteArray();
    }

    /** Like {@code ip rule}: {@code 1000: from 10.0.0.0/8 lookup 100}. */
    @Override public String toString() {
        StringBuilder sb = new StringBuilder("Rule[");
        sb.append(Integer.toUnsignedString(priority)).append(": ");
        if (inverted()) sb.append("not ");
        sb.append("from ").append(from().map(IpPrefix::toString).orElse("all"));
        to().ifPresent(t -> sb.append(" to ").append(t));
        fwmark.ifPresent(m -> sb.append(" fwmark 0x").append(Integer.toHexString(m)));
        iif.ifPresent(i -> sb.append(" iif ").append(i));
        oif.ifPresent(o -> sb.append(" oif ").append(o));
        sb.append(switch (action) {
            case FR_ACT_TO_TBL -> " lookup " + RouteNames.table(table);
            case FR_ACT_GOTO -> " goto " + gotoPriority.stream().mapToObj(Integer::toString).findFirst().orElse("?");
            case FR_ACT_NOP -> " nop";
            case FR_ACT_BLACKHOLE -> " blackhole";
            case FR_ACT_UNREACHABLE -> " unreachable";
            case FR_ACT_PROHIBIT -> " prohibit";
            default -> " action " + action;
        });
        return sb.append(']').toString();
    }
}
