package io.nslab.cli.out;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nslab.netlink.route.BridgeVlan;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.Link;
import io.nslab.netlink.route.Neighbour;
import io.nslab.netlink.wire.Attrs;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static io.nslab.netlink.route.BridgeConst.*;
import static io.nslab.netlink.route.LinkConst.*;
import static io.nslab.netlink.route.RtConst.*;

/**
 * Prints what iproute2's {@code bridge} tool (6.1) prints for {@code link},
 * {@code fdb} and {@code vlan}: its text layout, or with {@code -j} its JSON
 * keys (bridge/link.c print_linkinfo, fdb.c print_fdb, vlan.c print_vlan_info).
 * Each row is built once as a JSON object whose fields carry their text
 * form too, so the two outputs cannot drift apart.
 */
public final class BridgePrinter {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String[] STP_STATES = {"disabled", "listening", "learning", "forwarding", "blocking"};
    /** fdb.c's flag words, in its order. */
    private static final int[] FDB_FLAGS = {NTF_SELF, NTF_ROUTER, NTF_EXT_LEARNED, NTF_OFFLOADED, NTF_MASTER, NTF_STICKY};
    private static final String[] FDB_FLAG_WORDS = {"self", "router", "extern_learn", "offload", "master", "sticky"};
    /** IFNAMSIZ: the width of the port column of {@code bridge vlan show}. */
    private static final int IFNAMSIZ = 16;

    private final Printer printer;
    private final PrintStream out;

    public BridgePrinter(Printer printer, PrintStream out) {
        this.printer = printer;
        this.out = out;
    }

    /** One row being built: the JSON object and the text line side by side. */
    private static final class Row {
        final ObjectNode json = F.objectNode();
        final StringBuilder text = new StringBuilder();
    }

    // ------------------------------------------------------------------ link

    /**
     * {@code bridge link show}: each AF_BRIDGE link the kernel sent ({@code names}/{@code flags}
     * by ifindex name its peer and say whether that is down, as ip's M-DOWN).
     */
    public void links(List<Link> links, Map<Integer, String> names, Map<Integer, Integer> flags, boolean details) {
        ArrayNode a = F.arrayNode();
        for (Link l : links) {
            Row r = new Row();
            r.json.put("ifindex", l.index());
            r.text.append(l.index()).append(": ");
            String name = l.name().isEmpty() ? "if" + l.index() : l.name();
            boolean lowerDown = false;
            OptionalInt link = l.attrs().u32(IFLA_LINK);
            if (link.isPresent()) {
                int peer = link.getAsInt();
                if (peer == 0) {
                    r.json.putNull("link");
                    name += "@NONE";
                } else if (l.attrs().has(IFLA_LINK_NETNSID)) {
                    // as the tool (ll_idx_n2a): the peer's index is looked up among this namespace's links all the same
                    r.json.put("link_index", peer);
                    name += "@" + names.getOrDefault(peer, "if" + peer);
                } else {
                    String p = names.getOrDefault(peer, "if" + peer);
                    r.json.put("link", p);
                    name += "@" + p;
                    lowerDown = (flags.getOrDefault(peer, 0) & IFF_UP) == 0;
                }
            }
            r.json.put("ifname", l.name());
            r.text.append(name).append(": ");
            ArrayNode fl = r.json.putArray("flags");
            List<String> fn = l.flagNames(lowerDown);
            fn.forEach(fl::add);
            r.text.append('<').append(String.join(",", fn)).append("> ");
            l.mtu().ifPresent(m -> { r.json.put("mtu", m); r.text.append("mtu ").append(m).append(' '); });
            l.master().ifPresent(m -> { String n = names.getOrDefault(m, "if" + m); r.json.put("master", n); r.text.append("master ").append(n).append(' '); });
            protinfo(r, l.attrs(), details);
            Attrs spec = l.attrs().nested(IFLA_AF_SPEC);
            spec.u16(IFLA_BRIDGE_MODE).ifPresent(m -> {
                String mode = m == 0 ? "VEB" : m == 1 ? "VEPA" : "0x" + Integer.toHexString(m);
                r.json.put("hwmode", mode);
                r.text.append("hwmode ").append(mode).append(' ');
            });
            r.text.append('\n');
            a.add(r.json);
            if (!printer.json()) out.print(r.text);
        }
        if (printer.json()) printer.emit(a);
    }

    /** IFLA_PROTINFO: a nested list of IFLA_BRPORT_* (or, from old kernels, the STP state alone). */
    private static void protinfo(Row r, Attrs link, boolean details) {
        var pi = link.get(IFLA_PROTINFO);
        if (pi.isEmpty()) return;
        if (!pi.get().nestedFlag()) {
            stpState(r, pi.get().u8());
            return;
        }
        Attrs p = pi.get().nested();
        p.u8(IFLA_BRPORT_STATE).ifPresent(s -> stpState(r, s));
        p.u16(IFLA_BRPORT_PRIORITY).ifPresent(v -> num(r, "priority", v));
        p.u32(IFLA_BRPORT_COST).ifPresent(v -> num(r, "cost", Integer.toUnsignedLong(v)));
        if (!details) return;
        r.text.append("\n    ");
        onOff(r, p, IFLA_BRPORT_MODE, "hairpin");
        onOff(r, p, IFLA_BRPORT_GUARD, "guard");
        onOff(r, p, IFLA_BRPORT_PROTECT, "root_block");
        onOff(r, p, IFLA_BRPORT_FAST_LEAVE, "fastleave");
        onOff(r, p, IFLA_BRPORT_LEARNING, "learning");
        onOff(r, p, IFLA_BRPORT_LEARNING_SYNC, "learning_sync");
        onOff(r, p, IFLA_BRPORT_UNICAST_FLOOD, "flood");
        onOff(r, p, IFLA_BRPORT_MCAST_FLOOD, "mcast_flood");
        onOff(r, p, IFLA_BRPORT_BCAST_FLOOD, "bcast_flood");
        p.u8(IFLA_BRPORT_MULTICAST_ROUTER).ifPresent(v -> num(r, "mcast_router", v));
        onOff(r, p, IFLA_BRPORT_MCAST_TO_UCAST, "mcast_to_unicast");
        onOff(r, p, IFLA_BRPORT_NEIGH_SUPPRESS, "neigh_suppress");
        onOff(r, p, IFLA_BRPORT_VLAN_TUNNEL, "vlan_tunnel");
        p.u32(IFLA_BRPORT_BACKUP_PORT).ifPresent(v -> { r.json.put("backup_port", "if" + v); r.text.append("backup_port if").append(v).append(' '); });
        onOff(r, p, IFLA_BRPORT_ISOLATED, "isolated");
        onOff(r, p, IFLA_BRPORT_LOCKED, "locked");
    }

    private static void stpState(Row r, int s) {
        if (s < STP_STATES.length) {
            r.json.put("state", STP_STATES[s]);
            r.text.append("state ").append(STP_STATES[s]).append(' ');
        } else {
            r.json.put("state", s);
            r.text.append("state (").append(s).append(") ");
        }
    }

    private static void num(Row r, String key, long v) {
        r.json.put(key, v);
        r.text.append(key).append(' ').append(v).append(' ');
    }

    private static void onOff(Row r, Attrs p, int attr, String key) {
        p.u8(attr).ifPresent(v -> {
            r.json.put(key, v != 0);
            r.text.append(key).append(v != 0 ? " on " : " off ");
        });
    }

    // ------------------------------------------------------------------ fdb

    /** {@code bridge fdb show}: {@code filterDev} = a port was named (the tool then leaves out "dev NAME"). */
    public void fdb(List<Neighbour> entries, Map<Integer, String> names, boolean filterDev) {
        ArrayNode a = F.arrayNode();
        for (Neighbour n : entries) {
            Row r = new Row();
            n.lladdr().ifPresent(m -> { r.json.put("mac", m); r.text.append(m).append(' '); });
            if (!filterDev && n.index() != 0) {
                String d = names.getOrDefault(n.index(), "if" + n.index());
                r.json.put("ifname", d);
                r.text.append("dev ").append(d).append(' ');
            }
            n.dst().ifPresent(d -> { r.json.put("dst", IpPrefix.text(d)); r.text.append("dst ").append(IpPrefix.text(d)).append(' '); });
            Attrs at = n.attrs();
            at.u16(NDA_VLAN).ifPresent(v -> { if (v != 0) num(r, "vlan", v); });
            at.be16(NDA_PORT).ifPresent(v -> num(r, "port", v));
            at.u32(NDA_VNI).ifPresent(v -> num(r, "vni", Integer.toUnsignedLong(v)));
            at.u32(NDA_SRC_VNI).ifPresent(v -> num(r, "src_vni", Integer.toUnsignedLong(v)));
            at.u32(NDA_IFINDEX).ifPresent(v -> {
                if (at.has(NDA_LINK_NETNSID)) {
                    r.json.put("viaIfIndex", Integer.toUnsignedLong(v));
                    r.text.append("via ifindex ").append(Integer.toUnsignedLong(v)).append(' ');
                } else {
                    String d = names.getOrDefault(v, "if" + v);
                    r.json.put("viaIf", d);
                    r.text.append("via ").append(d).append(' ');
                }
            });
            at.u32(NDA_NH_ID).ifPresent(v -> num(r, "nhid", Integer.toUnsignedLong(v)));
            at.u32(NDA_LINK_NETNSID).ifPresent(v -> { r.json.put("linkNetNsId", Integer.toUnsignedLong(v)); r.text.append("link-netnsid ").append(v).append(' '); });
            ArrayNode fl = r.json.putArray("flags");
            int f = n.flags();
            for (int k = 0; k < FDB_FLAGS.length; k++) {
                if ((f & FDB_FLAGS[k]) != 0) {
                    fl.add(FDB_FLAG_WORDS[k]);
                    r.text.append(FDB_FLAG_WORDS[k]).append(' ');
                }
            }
            at.u32(NDA_MASTER).ifPresent(m -> {
                String d = names.getOrDefault(m, "if" + m);
                r.json.put("master", d);
                r.text.append("master ").append(d).append(' ');
            });
            String st = fdbState(n.state(), printer.json());
            r.json.put("state", st);
            r.text.append(st).append('\n');
            a.add(r.json);
            if (!printer.json()) out.print(r.text);
        }
        if (printer.json()) printer.emit(a);
    }

    /** fdb.c's state_n2a. */
    private static String fdbState(int s, boolean json) {
        if ((s & NUD_PERMANENT) != 0) return "permanent";
        if ((s & NUD_NOARP) != 0) return "static";
        if ((s & NUD_STALE) != 0) return "stale";
        if ((s & NUD_REACHABLE) != 0) return "";
        return (json ? "" : "state=") + (s == 0 ? "0" : "0x" + Integer.toHexString(s));
    }

    // ------------------------------------------------------------------ vlan

    /** {@code bridge vlan show}: a header, then each port with its VLANs, one a line ({@code vid}: only that VLAN). */
    public void vlans(List<Link> links, Map<Integer, String> names, OptionalInt vid) {
        ArrayNode a = F.arrayNode();
        StringBuilder text = new StringBuilder(pad("port") + "  " + String.format("%-9s", "vlan-id") + "\n");
        for (Link l : links) {
            List<BridgeVlan> vs = BridgeVlan.of(l).stream().filter(v -> vid.isEmpty() || v.vid() == vid.getAsInt()).toList();
            if (vs.isEmpty()) continue;
            ObjectNode port = F.objectNode();
            String name = names.getOrDefault(l.index(), l.name());
            port.put("ifname", name);
            ArrayNode va = port.putArray("vlans");
            boolean first = true;
            for (BridgeVlan v : vs) {
                text.append(first ? pad(name) : pad("")).append("  ");
                first = false;
                ObjectNode o = va.addObject();
                o.put("vlan", v.vid());
                text.append(v.vid());
                if (v.pvid() || v.untagged()) {
                    ArrayNode f = o.putArray("flags");
                    if (v.pvid()) { f.add("PVID"); text.append(" PVID"); }
                    if (v.untagged()) { f.add("Egress Untagged"); text.append(" Egress Untagged"); }
                }
                text.append('\n');
            }
            a.add(port);
        }
        if (printer.json()) printer.emit(a);
        else out.print(text);
    }

    private static String pad(String s) { return String.format("%-" + IFNAMSIZ + "s", s); }
}
