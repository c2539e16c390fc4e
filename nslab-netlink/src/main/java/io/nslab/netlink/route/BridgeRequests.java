package io.nslab.netlink.route;

import io.nslab.netlink.NlRequest;
import io.nslab.netlink.wire.NlWriter;

import java.util.List;
import java.util.OptionalInt;

import static io.nslab.netlink.route.BridgeConst.*;
import static io.nslab.netlink.route.RtConst.*;
import static io.nslab.netlink.wire.Netlink.*;

/**
 * Pure builders of the requests iproute2's {@code bridge} tool sends (6.1),
 * byte for byte (golden fixtures bridge-*.txt): port settings and VLANs are
 * RTM_SETLINK/RTM_DELLINK messages of family AF_BRIDGE, which the kernel hands
 * to the port's bridge (or, with BRIDGE_FLAGS_SELF, to the device's own
 * driver); fdb entries are neighbour messages of family AF_BRIDGE.
 */
public final class BridgeRequests {
    private BridgeRequests() {}

    /** Which fdb change: the netlink flags ({@code bridge fdb add|append|replace|del}). */
    public enum FdbOp {
        ADD(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_EXCL, "fdb add"),
        APPEND(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_APPEND, "fdb append"),
        REPLACE(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, "fdb replace"),
        DEL(RTM_DELNEIGH, 0, "fdb del");

        final int type, flags;
        final String verb;

        FdbOp(int type, int flags, String verb) {
            this.type = type;
            this.flags = flags;
            this.verb = verb;
        }
    }

    /** {@code bridge link show}: a dump of AF_BRIDGE links (ports, with IFLA_PROTINFO), no extension mask. */
    public static NlRequest linkDump() {
        NlWriter w = new NlWriter(16);
        ifinfomsg(w, 0);
        return new NlRequest(RTM_GETLINK, 0, w.toByteArray(), "bridge link show");
    }

    /** {@code bridge vlan show}: a dump of AF_BRIDGE links asking for their VLANs (RTEXT_FILTER_BRVLAN). */
    public static NlRequest vlanDump() {
        NlWriter w = new NlWriter(24);
        ifinfomsg(w, 0);
        w.attrU32(LinkConst.IFLA_EXT_MASK, RTEXT_FILTER_BRVLAN);
        return new NlRequest(RTM_GETLINK, 0, w.toByteArray(), "bridge vlan show");
    }

    /**
     * {@code bridge fdb show [brport DEV] [br BR]}: a dump of AF_BRIDGE
     * neighbours; the kernel filters by port (ndm_ifindex) and bridge (NDA_MASTER).
     */
    public static NlRequest fdbDump(OptionalInt port, OptionalInt bridge) {
        NlWriter w = new NlWriter(24);
        w.u8(AF_BRIDGE).u8(0).u16(0).u32(port.orElse(0)).u16(0).u8(0).u8(0);
        bridge.ifPresent(b -> w.attrU32(NDA_MASTER, b));
        return new NlRequest(RTM_GETNEIGH, 0, w.toByteArray(), "bridge fdb show");
    }

    /** {@code bridge fdb add|append|replace|del}, attributes in the tool's order. */
    public static NlRequest fdb(FdbOp op, FdbSpec s) {
        NlWriter w = new NlWriter(64);
        w.u8(AF_BRIDGE).u8(0).u16(0).u32(s.index()).u16(s.state()).u8(s.flags()).u8(0);
        w.attr(NDA_LLADDR, s.mac().bytes());
        s.dst().ifPresent(a -> w.attrIp(NDA_DST, a));
        s.vlan().ifPresent(v -> w.attrU16(NDA_VLAN, v));
        s.port().ifPresent(p -> w.attrBe16(NDA_PORT, p));
        s.vni().ifPresent(v -> w.attrU32(NDA_VNI, (int) v));
        s.srcVni().ifPresent(v -> w.attrU32(NDA_SRC_VNI, (int) v));
        s.via().ifPresent(i -> w.attrU32(NDA_IFINDEX, i));
        return new NlRequest(op.type, op.flags, w.toByteArray(), "bridge " + op.verb + " " + s.describe());
    }

    /**
     * {@code bridge link set dev DEV ...}: port settings in IFLA_PROTINFO
     * (nested, IFLA_BRPORT_*), then IFLA_AF_SPEC { IFLA_BRIDGE_FLAGS } when
     * {@code target} (BRIDGE_FLAGS_SELF/MASTER) is not 0.
     */
    public static NlRequest portSet(int index, List<BridgeSetting> settings, int target) {
        NlWriter w = new NlWriter(128);
        ifinfomsg(w, index);
        int p = w.beginNest(LinkConst.IFLA_PROTINFO, true);
        for (BridgeSetting s : settings) s.write(w);
        w.endNest(p);
        if (target != 0) {
            int a = w.beginNest(LinkConst.IFLA_AF_SPEC);
            w.attrU16(IFLA_BRIDGE_FLAGS, target);
            w.endNest(a);
        }
        return new NlRequest(RTM_SETLINK, 0, w.toByteArray(), "bridge link set dev #" + index);
    }

    /** {@code bridge vlan add} (RTM_SETLINK) or {@code del} (RTM_DELLINK): IFLA_AF_SPEC { [FLAGS], VLAN_INFO [, VLAN_INFO (range end)] }. */
    public static NlRequest vlan(boolean add, BridgeVlanSpec v) {
        NlWriter w = new NlWriter(64);
        ifinfomsg(w, v.index());
        int a = w.beginNest(LinkConst.IFLA_AF_SPEC);
        if (v.target() != 0) w.attrU16(IFLA_BRIDGE_FLAGS, v.target());
        if (v.last().isPresent()) {
            vlanInfo(w, v.flags() | BRIDGE_VLAN_INFO_RANGE_BEGIN, v.vid());
            vlanInfo(w, v.flags() | BRIDGE_VLAN_INFO_RANGE_END, v.last().getAsInt());
        } else {
            vlanInfo(w, v.flags(), v.vid());
        }
        w.endNest(a);
        return new NlRequest(add ? RTM_SETLINK : RTM_DELLINK, 0, w.toByteArray(), "bridge vlan " + (add ? "add " : "del ") + v.describe());
    }

    /** struct bridge_vlan_info { __u16 flags; __u16 vid; }. */
    private static void vlanInfo(NlWriter w, int flags, int vid) {
        w.attr(IFLA_BRIDGE_VLAN_INFO, new NlWriter(4).u16(flags).u16(vid).toByteArray());
    }

    private static void ifinfomsg(NlWriter w, int index) {
        LinkRequests.ifinfomsg(w, AF_BRIDGE, index, 0, 0);
    }
}
