package io.nslab.cli.bridge;

import io.nslab.cli.CliException;
import io.nslab.cli.ip.Args;
import io.nslab.cli.ip.BridgeKeywords;
import io.nslab.netlink.route.BridgeRequests.FdbOp;
import io.nslab.netlink.route.BridgeSetting;
import io.nslab.netlink.route.BridgeSetting.Width;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static io.nslab.netlink.route.BridgeConst.*;
import static io.nslab.netlink.route.LinkConst.*;
import static io.nslab.netlink.route.RtConst.*;

/**
 * The {@code bridge} tool's syntax (iproute2 6.1: bridge/link.c, fdb.c,
 * vlan.c) for the objects nslab covers: {@code link}, {@code fdb},
 * {@code vlan}. Objects and verbs may be abbreviated where the tool allows
 * (its {@code matches()}), keywords are read as it reads them. Pure: what the
 * tool has and nslab does not (mdb, monitor, vni, fdb get/flush, vlan set,
 * hwmode, ...) is refused naming the word, so a bad line changes nothing.
 */
public final class BridgeParser {
    /** The tool's objects in its order (first prefix match wins); null = known to bridge, not covered by nslab. */
    private static final String[][] OBJECTS = {{"link", "link"}, {"fdb", "fdb"}, {"mdb", null}, {"vlan", "vlan"}, {"vni", null},
        {"monitor", null}, {"help", null}};

    private BridgeParser() {}

    /** Parses {@code OBJECT [COMMAND ARGS...]}. */
    public static BridgeCommand parse(List<String> words) throws CliException {
        if (words.isEmpty()) throw CliException.usage("bridge: missing object (one of link, fdb, vlan)");
        String typed = words.get(0);
        List<String> rest = words.subList(1, words.size());
        Args a = new Args(rest, ("bridge " + String.join(" ", words)).strip());
        for (String[] o : OBJECTS) {
            if (!Args.matches(typed, o[0])) continue;
            if (o[1] == null) throw CliException.usage("bridge " + typed + ": object \"" + o[0] + "\" is not supported by nslab (supported: link, fdb, vlan)");
            return switch (o[1]) {
                case "link" -> link(a);
                case "fdb" -> fdb(a);
                default -> vlan(a);
            };
        }
        throw CliException.usage("bridge: Object \"" + typed + "\" is unknown, try \"bridge help\"");
    }

    // ------------------------------------------------------------------ link

    private static BridgeCommand link(Args a) throws CliException {
        if (!a.hasNext()) return new BridgeCommand.LinkShow(a.text(), Optional.empty());
        String v = a.next();
        if (Args.matches(v, "set") || Args.matches(v, "change")) return linkSet(a);
        if (Args.matches(v, "show") || Args.matches(v, "lst") || Args.matches(v, "list")) return new BridgeCommand.LinkShow(a.text(), devOnly(a));
        throw unknownVerb(a, v, "link");
    }

    /** {@code show [dev DEV]}: the only selector; any other word is refused (the tool would skip it). */
    private static Optional<String> devOnly(Args a) throws CliException {
        Optional<String> dev = Optional.empty();
        while (a.hasNext()) {
            String w = a.next();
            if (!w.equals("dev")) throw a.unknown(w);
            if (dev.isPresent()) throw a.error("duplicate \"dev\"");
            dev = Optional.of(a.value(w));
        }
        return dev;
    }

    /** The order link.c writes IFLA_PROTINFO in, whatever the order typed: flags first, then cost, priority, state, the later ones. */
    private static final int[] PORT_ORDER = {IFLA_BRPORT_GUARD, IFLA_BRPORT_MODE, IFLA_BRPORT_FAST_LEAVE, IFLA_BRPORT_PROTECT,
        IFLA_BRPORT_UNICAST_FLOOD, IFLA_BRPORT_MULTICAST_ROUTER, IFLA_BRPORT_MCAST_FLOOD, IFLA_BRPORT_BCAST_FLOOD,
        IFLA_BRPORT_MCAST_TO_UCAST, IFLA_BRPORT_LEARNING, IFLA_BRPORT_LEARNING_SYNC, IFLA_BRPORT_COST, IFLA_BRPORT_PRIORITY,
        IFLA_BRPORT_STATE, IFLA_BRPORT_NEIGH_SUPPRESS, IFLA_BRPORT_VLAN_TUNNEL, IFLA_BRPORT_ISOLATED, IFLA_BRPORT_LOCKED};

    /** {@code bridge link set}'s on/off keywords (compared exactly, as link.c does). */
    private static final Map<String, Integer> PORT_ON_OFF = Map.ofEntries(Map.entry("guard", IFLA_BRPORT_GUARD),
            Map.entry("hairpin", IFLA_BRPORT_MODE), Map.entry("fastleave", IFLA_BRPORT_FAST_LEAVE), Map.entry("root_block", IFLA_BRPORT_PROTECT),
            Map.entry("learning", IFLA_BRPORT_LEARNING), Map.entry("learning_sync", IFLA_BRPORT_LEARNING_SYNC),
            Map.entry("flood", IFLA_BRPORT_UNICAST_FLOOD), Map.entry("mcast_flood", IFLA_BRPORT_MCAST_FLOOD),
            Map.entry("bcast_flood", IFLA_BRPORT_BCAST_FLOOD), Map.entry("mcast_to_unicast", IFLA_BRPORT_MCAST_TO_UCAST),
            Map.entry("neigh_suppress", IFLA_BRPORT_NEIGH_SUPPRESS), Map.entry("vlan_tunnel", IFLA_BRPORT_VLAN_TUNNEL),
            Map.entry("isolated", IFLA_BRPORT_ISOLATED), Map.entry("locked", IFLA_BRPORT_LOCKED));

    private static final List<String> STP_STATES = List.of("disabled", "listening", "learning", "forwarding", "blocking");

    private static BridgeCommand linkSet(Args a) throws CliException {
        String dev = null;
        int target = 0;
        Map<Integer, BridgeSetting> set = new LinkedHashMap<>();
        while (a.hasNext()) {
            String w = a.next();
            Integer onOff = PORT_ON_OFF.get(w);
            if (onOff != null) {
                set.put(onOff, BridgeSetting.onOff(onOff, a.onOff(w)));
                continue;
            }
            switch (w) {
                case "dev" -> dev = a.value(w);
                case "cost" -> {
                    long c = BridgeKeywords.number(a, w, a.value(w), Width.U32);
                    // as the tool: the last cost given counts, and cost 0 is not sent
                    if (c > 0) set.put(IFLA_BRPORT_COST, BridgeSetting.u32(IFLA_BRPORT_COST, c));
                    else set.remove(IFLA_BRPORT_COST);
                }
                case "priority" -> set.put(IFLA_BRPORT_PRIORITY, BridgeSetting.u16(IFLA_BRPORT_PRIORITY, BridgeKeywords.number(a, w, a.value(w), Width.U16)));
                case "mcast_router" -> set.put(IFLA_BRPORT_MULTICAST_ROUTER,
                        BridgeSetting.u8(IFLA_BRPORT_MULTICAST_ROUTER, BridgeKeywords.number(a, w, a.value(w), Width.U8)));
                case "state" -> {
                    String s = a.value(w);
                    int st = STP_STATES.indexOf(s);
                    if (st < 0) {
                        if (!s.matches("[0-9]+")) throw a.error("invalid STP port state \"" + s + "\" (" + String.join(", ", STP_STATES) + " or 0..4)");
                        st = (int) BridgeKeywords.number(a, w, s, Width.U8);
                    }
                    set.put(IFLA_BRPORT_STATE, BridgeSetting.u8(IFLA_BRPORT_STATE, st));
                }
                case "self" -> target |= BRIDGE_FLAGS_SELF;
                case "master" -> target |= BRIDGE_FLAGS_MASTER;
                case "hwmode", "backup_port", "nobackup_port" -> throw a.unsupported(w);
                default -> throw a.unknown(w);
            }
        }
        if (dev == null) throw a.error("Device is a required argument.");
        List<BridgeSetting> ordered = new ArrayList<>();
        for (int attr : PORT_ORDER) if (set.containsKey(attr)) ordered.add(set.get(attr));
        return new BridgeCommand.LinkSet(a.text(), dev, ordered, target);
    }

    // ------------------------------------------------------------------ fdb

    private static BridgeCommand fdb(Args a) throws CliException {
        if (!a.hasNext()) return fdbShow(a);
        String v = a.next();
        if (Args.matches(v, "add")) return fdbChange(a, FdbOp.ADD);
        if (Args.matches(v, "append")) return fdbChange(a, FdbOp.APPEND);
        if (Args.matches(v, "replace")) return fdbChange(a, FdbOp.REPLACE);
        if (Args.matches(v, "delete")) return fdbChange(a, FdbOp.DEL);
        if (Args.matches(v, "get")) throw a.unsupported("fdb get");
        if (Args.matches(v, "show") || Args.matches(v, "lst") || Args.matches(v, "list")) return fdbShow(a);
        if (v.equals("flush")) throw a.unsupported("fdb flush");
        throw unknownVerb(a, v, "fdb");
    }

    private static BridgeCommand fdbShow(Args a) throws CliException {
        Optional<String> br = Optional.empty(), dev = Optional.empty();
        OptionalInt vlan = OptionalInt.empty();
        int states = 0;
        boolean dynamic = false;
        while (a.hasNext()) {
            String w = a.next();
            switch (w) {
                case "brport", "dev" -> dev = Optional.of(a.value(w));
                case "br" -> br = Optional.of(a.value(w));
                case "vlan" -> {
                    if (vlan.isPresent()) throw a.error("duplicate \"vlan\"");
                    vlan = OptionalInt.of((int) BridgeKeywords.number(a, w, a.value(w), Width.U16));
                }
                case "state" -> states |= state(a, a.value(w));
                case "dynamic" -> dynamic = true;
                default -> throw a.unknown(w);
            }
        }
        return new BridgeCommand.FdbShow(a.text(), br, dev, vlan, states, dynamic);
    }

    /** fdb.c's state_a2n. */
    private static int state(Args a, String s) throws CliException {
        if (Args.matches(s, "permanent")) return NUD_PERMANENT;
        if (Args.matches(s, "static") || Args.matches(s, "temp")) return NUD_NOARP;
        if (Args.matches(s, "stale")) return NUD_STALE;
        if (Args.matches(s, "reachable") || Args.matches(s, "dynamic")) return NUD_REACHABLE;
        if (s.equals("all")) return ~0;
        return (int) BridgeKeywords.number(a, "state", s, Width.U32);
    }

    private static BridgeCommand fdbChange(Args a, FdbOp op) throws CliException {
        String dev = null, mac = null;
        Optional<InetAddress> dst = Optional.empty();
        Optional<String> via = Optional.empty();
        OptionalInt vlan = OptionalInt.empty(), port = OptionalInt.empty();
        OptionalLong vni = OptionalLong.empty(), srcVni = OptionalLong.empty();
        int state = NUD_NOARP, flags = 0;
        while (a.hasNext()) {
            String w = a.next();
            switch (w) {
                case "dev" -> dev = a.value(w);
                case "dst" -> {
                    if (dst.isPresent()) throw a.error("duplicate \"dst\"");
                    dst = Optional.of(a.addr("dst", a.value(w)));
                }
                case "port" -> {
                    long p = BridgeKeywords.number(a, w, a.value(w), Width.U16);
                    if (p != 0) port = OptionalInt.of((int) p);
                }
                case "vni" -> vni = OptionalLong.of(vni(a, w));
                case "src_vni" -> srcVni = OptionalLong.of(vni(a, w));
                case "via" -> via = Optional.of(a.value(w));
                case "self" -> flags |= NTF_SELF;
                case "nhid" -> throw a.unsupported(w);
                default -> {
                    // the tool's matches() keywords, in its order
                    if (Args.matches(w, "master")) flags |= NTF_MASTER;
                    else if (Args.matches(w, "router")) flags |= NTF_ROUTER;
                    else if (Args.matches(w, "local") || Args.matches(w, "permanent")) state |= NUD_PERMANENT;
                    else if (Args.matches(w, "temp") || Args.matches(w, "static")) state |= NUD_REACHABLE;
                    else if (Args.matches(w, "dynamic")) state = (state | NUD_REACHABLE) & ~NUD_NOARP;
                    else if (Args.matches(w, "vlan")) {
                        if (vlan.isPresent()) throw a.error("duplicate \"vlan\"");
                        vlan = OptionalInt.of((int) BridgeKeywords.number(a, "vlan", a.value("vlan"), Width.U16));
                        if (vlan.getAsInt() > 4095) throw a.error("Invalid VLAN ID \"" + vlan.getAsInt() + "\"");
                    } else if (Args.matches(w, "use")) flags |= NTF_USE;
                    else if (Args.matches(w, "extern_learn")) flags |= NTF_EXT_LEARNED;
                    else if (Args.matches(w, "sticky")) flags |= NTF_STICKY;
                    else {
                        String m = w;
                        if (w.equals("to")) m = a.value(w);
                        if (mac != null) throw a.error("duplicate address \"" + m + "\"");
                        mac = m;
                    }
                }
            }
        }
        if (dev == null || mac == null) throw a.error("Device and address are required arguments.");
        String lladdr;
        try {
            lladdr = a.mac(mac);
        } catch (CliException e) {
            throw a.error("Invalid mac address " + mac);
        }
        // the tool's defaults: the device's own table, a permanent entry
        if ((flags & (NTF_SELF | NTF_MASTER)) == 0) flags |= NTF_SELF;
        if ((state & (NUD_PERMANENT | NUD_REACHABLE)) == 0) state |= NUD_PERMANENT;
        return new BridgeCommand.FdbChange(a.text(), op, lladdr, dev, state, flags, dst, vlan, port, vni, srcVni, via);
    }

    private static long vni(Args a, String w) throws CliException {
        long v = BridgeKeywords.number(a, w, a.value(w), Width.U32);
        if (v >= 1 << 24) throw a.error("invalid VNI \"" + v + "\"");
        return v;
    }

    // ------------------------------------------------------------------ vlan

    private static BridgeCommand vlan(Args a) throws CliException {
        if (!a.hasNext()) return new BridgeCommand.VlanShow(a.text(), Optional.empty(), OptionalInt.empty());
        String v = a.next();
        if (Args.matches(v, "add")) return vlanChange(a, true);
        if (Args.matches(v, "delete")) return vlanChange(a, false);
        if (Args.matches(v, "show") || Args.matches(v, "lst") || Args.matches(v, "list")) return vlanShow(a);
        if (Args.matches(v, "tunnelshow")) throw a.unsupported("vlan tunnelshow");
        if (Args.matches(v, "set")) throw a.unsupported("vlan set");
        if (v.equals("global")) throw a.unsupported("vlan global");
        throw unknownVerb(a, v, "vlan");
    }

    private static BridgeCommand vlanShow(Args a) throws CliException {
        Optional<String> dev = Optional.empty();
        OptionalInt vid = OptionalInt.empty();
        while (a.hasNext()) {
            String w = a.next();
            switch (w) {
                case "dev" -> {
                    if (dev.isPresent()) throw a.error("duplicate \"dev\"");
                    dev = Optional.of(a.value(w));
                }
                case "vid" -> {
                    if (vid.isPresent()) throw a.error("duplicate \"vid\"");
                    vid = OptionalInt.of((int) BridgeKeywords.number(a, w, a.value(w), Width.U16));
                }
                default -> throw a.unknown(w);
            }
        }
        return new BridgeCommand.VlanShow(a.text(), dev, vid);
    }

    private static BridgeCommand vlanChange(Args a, boolean add) throws CliException {
        String dev = null;
        int vid = -1, flags = 0, target = 0;
        OptionalInt last = OptionalInt.empty();
        while (a.hasNext()) {
            String w = a.next();
            switch (w) {
                case "dev" -> dev = a.value(w);
                case "vid" -> {
                    String v = a.value(w);
                    int dash = v.indexOf('-');
                    if (dash >= 0) {
                        vid = (int) BridgeKeywords.number(a, w, v.substring(0, dash), Width.U16);
                        last = OptionalInt.of((int) BridgeKeywords.number(a, w, v.substring(dash + 1), Width.U16));
                    } else {
                        vid = (int) BridgeKeywords.number(a, w, v, Width.U16);
                    }
                }
                case "self" -> target |= BRIDGE_FLAGS_SELF;
                case "master" -> target |= BRIDGE_FLAGS_MASTER;
                case "pvid" -> flags |= BRIDGE_VLAN_INFO_PVID;
                case "untagged" -> flags |= BRIDGE_VLAN_INFO_UNTAGGED;
                case "tunnel_info" -> throw a.unsupported(w);
                default -> throw a.unknown(w);
            }
        }
        if (dev == null || vid == -1) throw a.error("Device and VLAN ID are required arguments.");
        if (vid >= 4096) throw a.error("Invalid VLAN ID \"" + vid + "\"");
        if (last.isPresent()) {
            if (last.getAsInt() >= 4096 || vid >= last.getAsInt()) throw a.error("Invalid VLAN range \"" + vid + "-" + last.getAsInt() + "\"");
            if ((flags & BRIDGE_VLAN_INFO_PVID) != 0) throw a.error("pvid cannot be configured for a vlan range");
        }
        return new BridgeCommand.VlanChange(a.text(), add, dev, vid, last, flags, target);
    }

    private static CliException unknownVerb(Args a, String v, String object) {
        return CliException.usage("bridge " + object + " " + v + ": Command \"" + v + "\" is unknown, try \"bridge " + object + " help\"");
    }
}
