package io.nslab.cli.ip;

import io.nslab.cli.CliException;
import io.nslab.netlink.route.BridgeSetting;
import io.nslab.netlink.route.BridgeSetting.Width;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.nslab.netlink.route.LinkConst.*;

/**
 * ip's keywords for bridge options ({@code type bridge ...}, iplink_bridge.c)
 * and bridge port options ({@code type bridge_slave ...},
 * iplink_bridge_slave.c), in ip's order: a keyword may be abbreviated, and the
 * first in this order that starts with what was typed wins, as in ip. Each
 * becomes a {@link BridgeSetting}, kept in the order typed (ip sends them so).
 */
public final class BridgeKeywords {
    private BridgeKeywords() {}

    /** How the word after a keyword is read: a number (C's base 0), on/off, or nothing (a flag). */
    enum Value { NUMBER, ON_OFF, FLAG, REFUSED }

    /** {@code exact}: ip compares with strcmp, not by prefix. */
    record Keyword(String word, int attr, Width width, Value value, boolean exact) {}

    private static Keyword n(String w, int attr, Width width) { return new Keyword(w, attr, width, Value.NUMBER, false); }
    private static Keyword onOff(String w, int attr) { return new Keyword(w, attr, Width.U8, Value.ON_OFF, false); }
    private static Keyword flag(String w, int attr) { return new Keyword(w, attr, Width.FLAG, Value.FLAG, false); }
    private static Keyword refused(String w, boolean exact) { return new Keyword(w, 0, Width.FLAG, Value.REFUSED, exact); }

    /** iplink_bridge.c's keywords, in its order. */
    static final List<Keyword> BRIDGE = List.of(
            n("forward_delay", IFLA_BR_FORWARD_DELAY, Width.U32), n("hello_time", IFLA_BR_HELLO_TIME, Width.U32),
            n("max_age", IFLA_BR_MAX_AGE, Width.U32), n("ageing_time", IFLA_BR_AGEING_TIME, Width.U32),
            n("stp_state", IFLA_BR_STP_STATE, Width.U32), n("priority", IFLA_BR_PRIORITY, Width.U16),
            n("vlan_filtering", IFLA_BR_VLAN_FILTERING, Width.U8), refused("vlan_protocol", false),
            n("group_fwd_mask", IFLA_BR_GROUP_FWD_MASK, Width.U16), refused("group_address", false),
            refused("no_linklocal_learn", true), flag("fdb_flush", IFLA_BR_FDB_FLUSH),
            n("vlan_default_pvid", IFLA_BR_VLAN_DEFAULT_PVID, Width.U16), n("vlan_stats_enabled", IFLA_BR_VLAN_STATS_ENABLED, Width.U8),
            n("vlan_stats_per_port", IFLA_BR_VLAN_STATS_PER_PORT, Width.U8), n("mcast_router", IFLA_BR_MCAST_ROUTER, Width.U8),
            n("mcast_snooping", IFLA_BR_MCAST_SNOOPING, Width.U8), refused("mcast_vlan_snooping", true),
            n("mcast_query_use_ifaddr", IFLA_BR_MCAST_QUERY_USE_IFADDR, Width.U8), n("mcast_querier", IFLA_BR_MCAST_QUERIER, Width.U8),
            n("mcast_hash_elasticity", IFLA_BR_MCAST_HASH_ELASTICITY, Width.U32), n("mcast_hash_max", IFLA_BR_MCAST_HASH_MAX, Width.U32),
            n("mcast_last_member_count", IFLA_BR_MCAST_LAST_MEMBER_CNT, Width.U32),
            n("mcast_startup_query_count", IFLA_BR_MCAST_STARTUP_QUERY_CNT, Width.U32),
            n("mcast_last_member_interval", IFLA_BR_MCAST_LAST_MEMBER_INTVL, Width.U64),
            n("mcast_membership_interval", IFLA_BR_MCAST_MEMBERSHIP_INTVL, Width.U64),
            n("mcast_querier_interval", IFLA_BR_MCAST_QUERIER_INTVL, Width.U64),
            n("mcast_query_interval", IFLA_BR_MCAST_QUERY_INTVL, Width.U64),
            n("mcast_query_response_interval", IFLA_BR_MCAST_QUERY_RESPONSE_INTVL, Width.U64),
            n("mcast_startup_query_interval", IFLA_BR_MCAST_STARTUP_QUERY_INTVL, Width.U64),
            n("mcast_stats_enabled", IFLA_BR_MCAST_STATS_ENABLED, Width.U8), n("mcast_igmp_version", IFLA_BR_MCAST_IGMP_VERSION, Width.U8),
            n("mcast_mld_version", IFLA_BR_MCAST_MLD_VERSION, Width.U8), n("nf_call_iptables", IFLA_BR_NF_CALL_IPTABLES, Width.U8),
            n("nf_call_ip6tables", IFLA_BR_NF_CALL_IP6TABLES, Width.U8), n("nf_call_arptables", IFLA_BR_NF_CALL_ARPTABLES, Width.U8));

    /** iplink_bridge_slave.c's keywords, in its order. */
    static final List<Keyword> PORT = List.of(
            flag("fdb_flush", IFLA_BRPORT_FLUSH), n("state", IFLA_BRPORT_STATE, Width.U8), n("priority", IFLA_BRPORT_PRIORITY, Width.U16),
            n("cost", IFLA_BRPORT_COST, Width.U32), onOff("hairpin", IFLA_BRPORT_MODE), onOff("guard", IFLA_BRPORT_GUARD),
            onOff("root_block", IFLA_BRPORT_PROTECT), onOff("fastleave", IFLA_BRPORT_FAST_LEAVE), onOff("learning", IFLA_BRPORT_LEARNING),
            onOff("flood", IFLA_BRPORT_UNICAST_FLOOD), onOff("mcast_flood", IFLA_BRPORT_MCAST_FLOOD),
            onOff("bcast_flood", IFLA_BRPORT_BCAST_FLOOD), onOff("mcast_to_unicast", IFLA_BRPORT_MCAST_TO_UCAST),
            onOff("proxy_arp", IFLA_BRPORT_PROXYARP), onOff("proxy_arp_wifi", IFLA_BRPORT_PROXYARP_WIFI),
            n("mcast_router", IFLA_BRPORT_MULTICAST_ROUTER, Width.U8), onOff("mcast_fast_leave", IFLA_BRPORT_FAST_LEAVE),
            onOff("neigh_suppress", IFLA_BRPORT_NEIGH_SUPPRESS), n("group_fwd_mask", IFLA_BRPORT_GROUP_FWD_MASK, Width.U16),
            onOff("vlan_tunnel", IFLA_BRPORT_VLAN_TUNNEL), onOff("isolated", IFLA_BRPORT_ISOLATED), onOff("locked", IFLA_BRPORT_LOCKED),
            refused("backup_port", false), refused("nobackup_port", false));

    /** {@code type bridge OPTIONS}: the rest of the words, as settings in the order typed. */
    public static List<BridgeSetting> bridge(Args a) throws CliException { return parse(a, BRIDGE, "bridge"); }

    /** {@code type bridge_slave OPTIONS}. */
    public static List<BridgeSetting> port(Args a) throws CliException { return parse(a, PORT, "bridge_slave"); }

    private static List<BridgeSetting> parse(Args a, List<Keyword> table, String kind) throws CliException {
        List<BridgeSetting> out = new ArrayList<>();
        while (a.hasNext()) {
            String w = a.next();
            Keyword k = find(table, w).orElseThrow(() -> a.error(kind + ": unknown option \"" + w + "\""));
            switch (k.value()) {
                case REFUSED -> throw a.unsupported(kind + " " + k.word());
                case FLAG -> out.add(BridgeSetting.flag(k.attr()));
                case ON_OFF -> out.add(BridgeSetting.onOff(k.attr(), a.onOff(k.word())));
                case NUMBER -> out.add(new BridgeSetting(k.attr(), k.width(), number(a, k.word(), a.value(k.word()), k.width())));
            }
        }
        if (out.isEmpty()) throw a.error("\"type " + kind + "\" without options");
        return out;
    }

    static Optional<Keyword> find(List<Keyword> table, String typed) {
        for (Keyword k : table) {
            if (k.exact() ? k.word().equals(typed) : Args.matches(typed, k.word())) return Optional.of(k);
        }
        return Optional.empty();
    }

    /** C's strtoul with base 0, as ip's get_u8/u16/u32/u64 read it: decimal, 0x hex, 0 octal; within the width. */
    public static long number(Args a, String kw, String v, Width width) throws CliException {
        try {
            long n;
            if (v.startsWith("0x") || v.startsWith("0X")) n = Long.parseUnsignedLong(v.substring(2), 16);
            else if (v.length() > 1 && v.startsWith("0")) n = Long.parseUnsignedLong(v.substring(1), 8);
            else n = Long.parseUnsignedLong(v);
            if (width != Width.U64 && Long.compareUnsigned(n, width.max) > 0) throw a.error("invalid " + kw + " \"" + v + "\"");
            return n;
        } catch (NumberFormatException e) {
            throw a.error("invalid " + kw + " \"" + v + "\"");
        }
    }
}
