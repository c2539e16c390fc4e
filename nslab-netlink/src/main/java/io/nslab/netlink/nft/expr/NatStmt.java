package io.nslab.netlink.nft.expr;

import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.NlWriter;

import java.util.OptionalInt;

/**
 * {@code [ nat dnat ip addr_min reg 1 proto_min reg 2 flags 0x2 ]}: source or
 * destination NAT to the address (and port) held in registers.
 *
 * <pre>
 * NFTA_NAT_TYPE           1  be32  0 snat, 1 dnat
 * NFTA_NAT_FAMILY         2  be32  NFPROTO_IPV4 2, NFPROTO_IPV6 10
 * NFTA_NAT_REG_ADDR_MIN   3  be32  register holding the address
 * NFTA_NAT_REG_ADDR_MAX   4  be32  (ranges: not used by nslab)
 * NFTA_NAT_REG_PROTO_MIN  5  be32  register holding the port (be16)
 * NFTA_NAT_REG_PROTO_MAX  6  be32
 * NFTA_NAT_FLAGS          7  be32  NF_NAT_RANGE_*: 1 map ips, 2 proto specified, ...
 * </pre>
 */
public record NatStmt(int type, int family, OptionalInt regAddr, OptionalInt regProto, int flags) implements NfExpr {
    public static final String NAME = "nat";
    static final int TYPE = 1, FAMILY = 2, REG_ADDR_MIN = 3, REG_ADDR_MAX = 4, REG_PROTO_MIN = 5, REG_PROTO_MAX = 6, FLAGS = 7;
    public static final int SNAT = 0, DNAT = 1;
    /** linux/netfilter/nf_nat.h. */
    public static final int RANGE_MAP_IPS = 1, RANGE_PROTO_SPECIFIED = 2;

    @Override public String name() { return NAME; }

    @Override
    public void encodeData(NlWriter w) {
        Be.u32(w, TYPE, type);
        Be.u32(w, FAMILY, family);
        regAddr.ifPresent(r -> Be.u32(w, REG_ADDR_MIN, r));
        regProto.ifPresent(r -> Be.u32(w, REG_PROTO_MIN, r));
        if (flags != 0) Be.u32(w, FLAGS, flags);
    }

    /** The kernel lists a max register equal to the min one for a single address or port: that is no range. */
    static NatStmt decode(Attrs a) {
        int t = Be.req(a, TYPE), f = Be.req(a, FAMILY);
        OptionalInt addr = Be.u32(a, REG_ADDR_MIN), proto = Be.u32(a, REG_PROTO_MIN);
        if (t < 0 || f < 0 || !sameOrAbsent(Be.u32(a, REG_ADDR_MAX), addr) || !sameOrAbsent(Be.u32(a, REG_PROTO_MAX), proto)) return null;
        return new NatStmt(t, f, addr, proto, Be.u32(a, FLAGS).orElse(0));
    }

    private static boolean sameOrAbsent(OptionalInt max, OptionalInt min) {
        return max.isEmpty() || max.equals(min);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("[ nat ").append(type == DNAT ? "dnat" : "snat").append(family == 10 ? " ip6" : " ip");
        regAddr.ifPresent(r -> s.append(" addr_min reg ").append(r));
        regProto.ifPresent(r -> s.append(" proto_min reg ").append(r));
        if (flags != 0) s.append(" flags 0x").append(Integer.toHexString(flags));
        return s.append(" ]").toString();
    }
}
