package io.nslab.cli.run;

import io.nslab.cli.out.Detail;
import io.nslab.netlink.wire.Attrs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

import static io.nslab.netlink.route.LinkConst.*;

/** A bridge's and a bridge port's {@code ip -d} fields, in iproute2 6.1's order (iplink_bridge.c, iplink_bridge_slave.c). */
final class BridgeDetails {
    private BridgeDetails() {}

    /** if_bridge.h enum br_boolopt_id. */
    private static final int BR_BOOLOPT_NO_LL_LEARN = 0, BR_BOOLOPT_MCAST_VLAN_SNOOPING = 1;

    static List<Detail> bridge(Attrs t) {
        DetailFields f = new DetailFields();
        f.u("forward_delay", "forward_delay", t.u32(IFLA_BR_FORWARD_DELAY));
        f.u("hello_time", "hello_time", t.u32(IFLA_BR_HELLO_TIME));
        f.u("max_age", "max_age", t.u32(IFLA_BR_MAX_AGE));
        f.u("ageing_time", "ageing_time", t.u32(IFLA_BR_AGEING_TIME));
        f.u("stp_state", "stp_state", t.u32(IFLA_BR_STP_STATE));
        f.u("priority", "priority", t.u16(IFLA_BR_PRIORITY));
        f.u("vlan_filtering", "vlan_filtering", t.u8(IFLA_BR_VLAN_FILTERING));
        t.be16(IFLA_BR_VLAN_PROTOCOL).ifPresent(p -> f.str("vlan_protocol", "vlan_protocol", KindDetails.ethProto(p)));
        t.bytes(IFLA_BR_BRIDGE_ID).ifPresent(b -> f.str("bridge_id", "bridge_id", DetailFields.bridgeId(b)));
        // ip 6.1 prints the bridge's own id under "designated_root" (it reads IFLA_BR_BRIDGE_ID there)
        if (t.has(IFLA_BR_ROOT_ID)) f.str("root_id", "designated_root", t.bytes(IFLA_BR_BRIDGE_ID).map(DetailFields::bridgeId).orElse(""));
        f.u("root_port", "root_port", t.u16(IFLA_BR_ROOT_PORT));
        f.u("root_path_cost", "root_path_cost", t.u32(IFLA_BR_ROOT_PATH_COST));
        f.u("topology_change", "topology_change", t.u8(IFLA_BR_TOPOLOGY_CHANGE));
        f.u("topology_change_detected", "topology_change_detected", t.u8(IFLA_BR_TOPOLOGY_CHANGE_DETECTED));
        f.timer("hello_timer", t.u64(IFLA_BR_HELLO_TIMER));
        f.timer("tcn_timer", t.u64(IFLA_BR_TCN_TIMER));
        f.timer("topology_change_timer", t.u64(IFLA_BR_TOPOLOGY_CHANGE_TIMER));
        f.timer("gc_timer", t.u64(IFLA_BR_GC_TIMER));
        f.u("vlan_default_pvid", "vlan_default_pvid", t.u16(IFLA_BR_VLAN_DEFAULT_PVID));
        f.u("vlan_stats_enabled", "vlan_stats_enabled", t.u8(IFLA_BR_VLAN_STATS_ENABLED));
        f.u("vlan_stats_per_port", "vlan_stats_per_port", t.u8(IFLA_BR_VLAN_STATS_PER_PORT));
        t.u16(IFLA_BR_GROUP_FWD_MASK).ifPresent(v -> f.hex("group_fwd_mask", "group_fwd_mask", v));
        t.bytes(IFLA_BR_GROUP_ADDR).ifPresent(b -> f.str("group_addr", "group_address", DetailFields.mac(b)));
        f.u("mcast_snooping", "mcast_snooping", t.u8(IFLA_BR_MCAST_SNOOPING));
        t.bytes(IFLA_BR_MULTI_BOOLOPT).filter(b -> b.length >= 8).ifPresent(b -> {
            // struct br_boolopt_multi { __u32 optval; __u32 optmask; }
            ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
            int val = bb.getInt(0), mask = bb.getInt(4);
            int ll = 1 << BR_BOOLOPT_NO_LL_LEARN, mcvl = 1 << BR_BOOLOPT_MCAST_VLAN_SNOOPING;
            if ((mask & ll) != 0) f.uint("no_linklocal_learn", "no_linklocal_learn", (val & ll) != 0 ? 1 : 0);
            if ((mask & mcvl) != 0) f.uint("mcast_vlan_snooping", "mcast_vlan_snooping", (val & mcvl) != 0 ? 1 : 0);
        });
        f.u("mcast_router", "mcast_router", t.u8(IFLA_BR_MCAST_ROUTER));
        f.u("mcast_query_use_ifaddr", "mcast_query_use_ifaddr", t.u8(IFLA_BR_MCAST_QUERY_USE_IFADDR));
        f.u("mcast_querier", "mcast_querier", t.u8(IFLA_BR_MCAST_QUERIER));
        f.u("mcast_hash_elasticity", "mcast_hash_elasticity", t.u32(IFLA_BR_MCAST_HASH_ELASTICITY));
        f.u("mcast_hash_max", "mcast_hash_max", t.u32(IFLA_BR_MCAST_HASH_MAX));
        f.u("mcast_last_member_cnt", "mcast_last_member_count", t.u32(IFLA_BR_MCAST_LAST_MEMBER_CNT));
        f.u("mcast_startup_query_cnt", "mcast_startup_query_count", t.u32(IFLA_BR_MCAST_STARTUP_QUERY_CNT));
        f.ull("mcast_last_member_intvl", "mcast_last_member_interval", t.u64(IFLA_BR_MCAST_LAST_MEMBER_INTVL));
        f.ull("mcast_membership_intvl", "mcast_membership_interval", t.u64(IFLA_BR_MCAST_MEMBERSHIP_INTVL));
        f.ull("mcast_querier_intvl", "mcast_querier_interval", t.u64(IFLA_BR_MCAST_QUERIER_INTVL));
        f.ull("mcast_query_intvl", "mcast_query_interval", t.u64(IFLA_BR_MCAST_QUERY_INTVL));
        f.ull("mcast_query_response_intvl", "mcast_query_response_interval", t.u64(IFLA_BR_MCAST_QUERY_RESPONSE_INTVL));
        f.ull("mcast_startup_query_intvl", "mcast_startup_query_interval", t.u64(IFLA_BR_MCAST_STARTUP_QUERY_INTVL));
        f.u("mcast_stats_enabled", "mcast_stats_enabled", t.u8(IFLA_BR_MCAST_STATS_ENABLED));
        f.u("mcast_igmp_version", "mcast_igmp_version", t.u8(IFLA_BR_MCAST_IGMP_VERSION));
        f.u("mcast_mld_version", "mcast_mld_version", t.u8(IFLA_BR_MCAST_MLD_VERSION));
        f.u("nf_call_iptables", "nf_call_iptables", t.u8(IFLA_BR_NF_CALL_IPTABLES));
        f.u("nf_call_ip6tables", "nf_call_ip6tables", t.u8(IFLA_BR_NF_CALL_IP6TABLES));
        f.u("nf_call_arptables", "nf_call_arptables", t.u8(IFLA_BR_NF_CALL_ARPTABLES));
        return f.list;
    }

    private static final String[] PORT_STATES = {"disabled", "listening", "learning", "forwarding", "blocking"};
    /** iplink_bridge_slave.c fwd_mask_tbl: the bits of group_fwd_mask it names. */
    private static final Map<Integer, String> FWD_MASK_NAMES = Map.of(0, "stp", 2, "lacp", 14, "lldp");

    static List<Detail> port(Attrs t, Map<Integer, String> names) {
        DetailFields f = new DetailFields();
        t.u8(IFLA_BRPORT_STATE).ifPresent(s -> {
            if (s < PORT_STATES.length) f.str("state", "state", PORT_STATES[s]);
            else f.add(new Detail("state_index", new Detail.Num(Integer.toString(s)), "state (" + s + ") "));
        });
        f.s("priority", "priority", t.u16(IFLA_BRPORT_PRIORITY));
        f.s("cost", "cost", t.u32(IFLA_BRPORT_COST));
        f.onOff("hairpin", "hairpin", t.u8(IFLA_BRPORT_MODE));
        f.onOff("guard", "guard", t.u8(IFLA_BRPORT_GUARD));
        f.onOff("root_block", "root_block", t.u8(IFLA_BRPORT_PROTECT));
        f.onOff("fastleave", "fastleave", t.u8(IFLA_BRPORT_FAST_LEAVE));
        f.onOff("learning", "learning", t.u8(IFLA_BRPORT_LEARNING));
        f.onOff("flood", "flood", t.u8(IFLA_BRPORT_UNICAST_FLOOD));
        t.u16(IFLA_BRPORT_ID).ifPresent(v -> f.hex("id", "port_id", v));
        t.u16(IFLA_BRPORT_NO).ifPresent(v -> f.hex("no", "port_no", v));
        f.u("designated_port", "designated_port", t.u16(IFLA_BRPORT_DESIGNATED_PORT));
        f.u("designated_cost", "designated_cost", t.u16(IFLA_BRPORT_DESIGNATED_COST));
        t.bytes(IFLA_BRPORT_BRIDGE_ID).ifPresent(b -> f.str("bridge_id", "designated_bridge", DetailFields.bridgeId(b)));
        t.bytes(IFLA_BRPORT_ROOT_ID).ifPresent(b -> f.str("root_id", "designated_root", DetailFields.bridgeId(b)));
        f.timer("hold_timer", t.u64(IFLA_BRPORT_HOLD_TIMER));
        f.timer("message_age_timer", t.u64(IFLA_BRPORT_MESSAGE_AGE_TIMER));
        f.timer("forward_delay_timer", t.u64(IFLA_BRPORT_FORWARD_DELAY_TIMER));
        f.u("topology_change_ack", "topology_change_ack", t.u8(IFLA_BRPORT_TOPOLOGY_CHANGE_ACK));
        f.u("config_pending", "config_pending", t.u8(IFLA_BRPORT_CONFIG_PENDING));
        f.onOff("proxy_arp", "proxy_arp", t.u8(IFLA_BRPORT_PROXYARP));
        f.onOff("proxy_arp_wifi", "proxy_arp_wifi", t.u8(IFLA_BRPORT_PROXYARP_WIFI));
        f.u("multicast_router", "mcast_router", t.u8(IFLA_BRPORT_MULTICAST_ROUTER));
        // ip prints fast leave a second time, in text only
        t.u8(IFLA_BRPORT_FAST_LEAVE).ifPresent(v -> f.add(Detail.textOnly("mcast_fast_leave " + (v != 0 ? "on" : "off") + " ")));
        f.onOff("mcast_flood", "mcast_flood", t.u8(IFLA_BRPORT_MCAST_FLOOD));
        f.onOff("bcast_flood", "bcast_flood", t.u8(IFLA_BRPORT_BCAST_FLOOD));
        f.onOff("mcast_to_unicast", "mcast_to_unicast", t.u8(IFLA_BRPORT_MCAST_TO_UCAST));
        f.onOff("neigh_suppress", "neigh_suppress", t.u8(IFLA_BRPORT_NEIGH_SUPPRESS));
        t.u16(IFLA_BRPORT_GROUP_FWD_MASK).ifPresent(m -> {
            f.hex("group_fwd_mask", "group_fwd_mask", m);
            f.str("group_fwd_mask_str", "group_fwd_mask_str", fwdMaskWords(m));
        });
        f.onOff("vlan_tunnel", "vlan_tunnel", t.u8(IFLA_BRPORT_VLAN_TUNNEL));
        f.onOff("isolated", "isolated", t.u8(IFLA_BRPORT_ISOLATED));
        f.onOff("locked", "locked", t.u8(IFLA_BRPORT_LOCKED));
        t.u32(IFLA_BRPORT_BACKUP_PORT).ifPresent(i -> f.str("backup_port", "backup_port", names.getOrDefault(i, "if" + i)));
        return f.list;
    }

    /** _bitmask2str: the named bits, others as 0xN, comma-separated; "0x0" for none. */
    static String fwdMaskWords(int mask) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            if ((mask & (1 << i)) == 0) continue;
            if (!sb.isEmpty()) sb.append(',');
            sb.append(FWD_MASK_NAMES.getOrDefault(i, "0x" + Integer.toHexString(1 << i)));
        }
        return sb.isEmpty() ? "0x0" : sb.toString();
    }
}
