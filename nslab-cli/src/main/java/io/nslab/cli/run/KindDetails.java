package io.nslab.cli.run;

import io.nslab.cli.ip.Inet;
import io.nslab.cli.out.Detail;
import io.nslab.netlink.wire.Attr;
import io.nslab.netlink.wire.Attrs;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.nslab.netlink.route.LinkConst.*;

/**
 * The {@code ip -d} fields of the kinds other than the bridge, in iproute2 6.1's order and words
 * (iplink_vxlan.c, iplink_macvlan.c, iptuntap.c, iplink_vlan.c, iplink_ipvlan.c, iplink_vrf.c).
 * Each follows its print_opt, including its early returns on a short attribute.
 */
final class KindDetails {
    private KindDetails() {}

    /** ll_proto_n2a for the two VLAN ethertypes; others as ip's "[N]". */
    static String ethProto(int ethertype) {
        return switch (ethertype) {
            case 0x8100 -> "802.1Q";
            case 0x88a8 -> "802.1ad";
            default -> "[" + ethertype + "]";
        };
    }

    static List<Detail> vxlan(Attrs t, Map<Integer, String> names) {
        DetailFields f = new DetailFields();
        if (t.u8(IFLA_VXLAN_COLLECT_METADATA).orElse(0) != 0) f.add(Detail.bool("external", true, "external "));
        // ip 6.1 prints this one without a space after it
        if (t.u8(IFLA_VXLAN_VNIFILTER).orElse(0) != 0) f.add(Detail.bool("vnifilter", true, "vnifilter"));
        t.get(IFLA_VXLAN_ID).filter(a -> a.length() >= 4).ifPresent(a -> f.uint("id", "id", Integer.toUnsignedLong(a.u32())));
        if (t.has(IFLA_VXLAN_GROUP)) {
            addr(t, IFLA_VXLAN_GROUP).ifPresent(a -> f.str(a.isMulticastAddress() ? "group" : "remote", a.isMulticastAddress() ? "group" : "remote", Inet.format(a)));
        } else if (t.has(IFLA_VXLAN_GROUP6)) {
            addr(t, IFLA_VXLAN_GROUP6).ifPresent(a -> f.str(a.isMulticastAddress() ? "group6" : "remote6", a.isMulticastAddress() ? "group" : "remote", Inet.format(a)));
        }
        if (t.has(IFLA_VXLAN_LOCAL)) addr(t, IFLA_VXLAN_LOCAL).ifPresent(a -> f.str("local", "local", Inet.format(a)));
        else if (t.has(IFLA_VXLAN_LOCAL6)) addr(t, IFLA_VXLAN_LOCAL6).ifPresent(a -> f.str("local6", "local", Inet.format(a)));
        t.u32(IFLA_VXLAN_LINK).ifPresent(i -> {
            if (i != 0) f.str("link", "dev", names.getOrDefault(i, "if" + Integer.toUnsignedString(i)));
        });
        t.bytes(IFLA_VXLAN_PORT_RANGE).filter(b -> b.length >= 4).ifPresent(b -> {
            int low = ((b[0] & 0xff) << 8) | (b[1] & 0xff), high = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
            f.add(new Detail("port_range", new Detail.Obj(List.of(Detail.num("low", low, ""), Detail.num("high", high, ""))),
                    "srcport " + low + " " + high + " "));
        });
        t.be16(IFLA_VXLAN_PORT).ifPresent(p -> f.uint("port", "dstport", p));
        t.u8(IFLA_VXLAN_LEARNING).ifPresent(v -> f.add(new Detail("learning", v != 0, v != 0 ? "" : "nolearning ")));
        flag(f, t, IFLA_VXLAN_PROXY, "proxy", "proxy ");
        flag(f, t, IFLA_VXLAN_RSC, "rsc", "rsc ");
        flag(f, t, IFLA_VXLAN_L2MISS, "l2miss", "l2miss ");
        flag(f, t, IFLA_VXLAN_L3MISS, "l3miss", "l3miss ");
        int tos = t.u8(IFLA_VXLAN_TOS).orElse(0);
        if (tos != 0) f.add(new Detail("tos", DetailFields.hex(tos), tos == 1 ? "tos inherit " : "tos " + DetailFields.hex(tos) + " "));
        if (t.u8(IFLA_VXLAN_TTL_INHERIT).orElse(0) != 0) {
            f.add(Detail.textOnly("ttl inherit "));
        } else if (t.has(IFLA_VXLAN_TTL)) {
            int ttl = t.u8(IFLA_VXLAN_TTL).getAsInt();
            f.add(Detail.num("ttl", ttl, ttl != 0 ? "ttl " + ttl + " " : "ttl auto "));
        }
        t.u8(IFLA_VXLAN_DF).ifPresent(df -> {
            switch (df) {
                case 0 -> f.add(Detail.jsonOnly("df", "unset"));
                case 1 -> f.str("df", "df", "set");
                case 2 -> f.str("df", "df", "inherit");
                default -> { }
            }
        });
        t.get(IFLA_VXLAN_LABEL).ifPresent(a -> {
            long label = networkU32(a);
            if (label != 0) f.hex("label", "flowlabel", label);
        });
        t.u32(IFLA_VXLAN_AGEING).ifPresent(age -> {
            if (age == 0) f.add(Detail.num("ageing", 0, "ageing none "));
            else f.uint("ageing", "ageing", Integer.toUnsignedLong(age));
        });
        t.u32(IFLA_VXLAN_LIMIT).ifPresent(m -> {
            if (m != 0) f.uint("limit", "maxaddr", Integer.toUnsignedLong(m));
        });
        noFlag(f, t, IFLA_VXLAN_UDP_CSUM, "udp_csum", "udpcsum ");
        noFlag(f, t, IFLA_VXLAN_UDP_ZERO_CSUM6_TX, "udp_zero_csum6_tx", "udp6zerocsumtx ");
        noFlag(f, t, IFLA_VXLAN_UDP_ZERO_CSUM6_RX, "udp_zero_csum6_rx", "udp6zerocsumrx ");
        flag(f, t, IFLA_VXLAN_REMCSUM_TX, "remcsum_tx", "remcsumtx ");
        flag(f, t, IFLA_VXLAN_REMCSUM_RX, "remcsum_rx", "remcsumrx ");
        if (t.has(IFLA_VXLAN_GBP)) f.add(Detail.bool("gbp", true, "gbp "));
        if (t.has(IFLA_VXLAN_GPE)) f.add(Detail.bool("gpe", true, "gpe "));
        return f.list;
    }

    /** A big-endian u32 attribute's value (ntohl). */
    private static long networkU32(Attr a) {
        byte[] b = a.bytes();
        return ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN).getInt(0) & 0xffffffffL;
    }

    /** The address, unless it is all zeros (ip prints nothing for an unset one). */
    private static Optional<InetAddress> addr(Attrs t, int kind) {
        return t.ip(kind).filter(a -> !a.isAnyLocalAddress());
    }

    /** A u8 printed only when non-zero, as a word and a JSON true. */
    private static void flag(DetailFields f, Attrs t, int kind, String key, String text) {
        if (t.u8(kind).orElse(0) != 0) f.add(Detail.bool(key, true, text));
    }

    /** A u8 printed always: the word, with "no" before it when zero; a JSON boolean. */
    private static void noFlag(DetailFields f, Attrs t, int kind, String key, String word) {
        t.u8(kind).ifPresent(v -> f.add(Detail.bool(key, v != 0, (v != 0 ? "" : "no") + word)));
    }

    static List<Detail> macvlan(Attrs t) {
        DetailFields f = new DetailFields();
        Optional<Attr> m = t.get(IFLA_MACVLAN_MODE).filter(a -> a.length() >= 4);
        if (m.isEmpty()) return f.list;
        int mode = m.get().u32();
        f.str("mode", "mode", switch (mode) {
            case MACVLAN_MODE_PRIVATE -> "private";
            case MACVLAN_MODE_VEPA -> "vepa";
            case MACVLAN_MODE_BRIDGE -> "bridge";
            case MACVLAN_MODE_PASSTHRU -> "passthru";
            case MACVLAN_MODE_SOURCE -> "source";
            default -> "unknown";
        });
        int flags = t.get(IFLA_MACVLAN_FLAGS).filter(a -> a.length() >= 2).map(Attr::u16).orElse(0);
        if ((flags & MACVLAN_FLAG_NOPROMISC) != 0) f.add(Detail.bool("nopromisc", true, "nopromisc "));
        if ((flags & MACVLAN_FLAG_NODST) != 0) f.add(Detail.bool("nodst", true, "nodst "));
        t.get(IFLA_MACVLAN_BC_QUEUE_LEN).filter(a -> a.length() >= 4).ifPresent(a -> f.uint("bcqueuelen", "bcqueuelen", Integer.toUnsignedLong(a.u32())));
        t.get(IFLA_MACVLAN_BC_QUEUE_LEN_USED).filter(a -> a.length() >= 4).ifPresent(a -> f.uint("usedbcqueuelen", "usedbcqueuelen", Integer.toUnsignedLong(a.u32())));
        if (mode != MACVLAN_MODE_SOURCE) return f.list;
        Optional<Attr> count = t.get(IFLA_MACVLAN_MACADDR_COUNT).filter(a -> a.length() >= 4);
        if (count.isEmpty()) return f.list;
        f.add(new Detail("macaddr_count", new Detail.Num(Integer.toString(count.get().u32())), "remotes (" + count.get().u32() + ") "));
        if (!t.has(IFLA_MACVLAN_MACADDR_DATA)) return f.list;
        List<Object> macs = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Attr a : t.nested(IFLA_MACVLAN_MACADDR_DATA).list()) {
            if (a.kind() != IFLA_MACVLAN_MACADDR || a.length() < 6) continue;
            String mac = DetailFields.mac(java.util.Arrays.copyOf(a.bytes(), 6));
            macs.add(mac);
            text.append(mac).append(' ');
        }
        f.add(new Detail("macaddr_data", macs, text.toString()));
        return f.list;
    }

    /** if_tun.h IFF_TUN / IFF_TAP. */
    private static final int IFF_TUN = 0x1, IFF_TAP = 0x2;

    static List<Detail> tun(Attrs t) {
        DetailFields f = new DetailFields();
        t.u8(IFLA_TUN_TYPE).ifPresent(ty -> f.str("type", "type", ty == IFF_TUN ? "tun" : ty == IFF_TAP ? "tap" : "UNKNOWN:" + ty));
        f.onOff("pi", "pi", t.u8(IFLA_TUN_PI));
        f.onOff("vnet_hdr", "vnet_hdr", t.u8(IFLA_TUN_VNET_HDR));
        if (t.u8(IFLA_TUN_MULTI_QUEUE).orElse(0) == 0) {
            f.add(Detail.jsonOnly("multi_queue", false));
        } else {
            f.add(Detail.bool("multi_queue", true, "multi_queue "));
            f.u("numqueues", "numqueues", t.u32(IFLA_TUN_NUM_QUEUES));
            f.u("numdisabled", "numdisabled", t.u32(IFLA_TUN_NUM_DISABLED_QUEUES));
        }
        f.onOff("persist", "persist", t.u8(IFLA_TUN_PERSIST));
        t.u32(IFLA_TUN_OWNER).ifPresent(u -> account(f, "user", Path.of("/etc/passwd"), Integer.toUnsignedLong(u)));
        t.u32(IFLA_TUN_GROUP).ifPresent(g -> account(f, "group", Path.of("/etc/group"), Integer.toUnsignedLong(g)));
        return f.list;
    }

    /** print_owner / print_group: the account's name when the system knows it (getpwuid), else the number. */
    private static void account(DetailFields f, String key, Path file, long id) {
        try {
            for (String line : Files.readAllLines(file)) {
                String[] p = line.split(":", -1);
                if (p.length > 2 && p[2].equals(Long.toString(id))) {
                    f.str(key, key, p[0]);
                    return;
                }
            }
        } catch (IOException e) {
            // unreadable: printed as the number, as getpwuid failing makes ip do
        }
        f.uint(key, key, id);
    }

    /** if_vlan.h VLAN_FLAG_*, in the order ip prints them. */
    private static final int[] VLAN_FLAGS = {0x1, 0x2, 0x8, 0x4, 0x10};
    private static final String[] VLAN_FLAG_NAMES = {"REORDER_HDR", "GVRP", "MVRP", "LOOSE_BINDING", "BRIDGE_BINDING"};

    static List<Detail> vlan(Attrs t) {
        DetailFields f = new DetailFields();
        if (t.get(IFLA_VLAN_PROTOCOL).map(a -> a.length() < 2).orElse(false)) return f.list;
        Optional<Attr> id = t.get(IFLA_VLAN_ID).filter(a -> a.length() >= 2);
        if (id.isEmpty()) return f.list;
        f.str("protocol", "protocol", t.be16(IFLA_VLAN_PROTOCOL).stream().mapToObj(KindDetails::ethProto).findFirst().orElse("802.1q"));
        f.uint("id", "id", id.get().u16());
        Optional<Attr> fl = t.get(IFLA_VLAN_FLAGS);
        if (fl.isPresent()) {
            if (fl.get().length() < 8) return f.list;
            int flags = fl.get().u32();
            List<Object> words = new ArrayList<>();
            for (int i = 0; i < VLAN_FLAGS.length; i++) {
                if ((flags & VLAN_FLAGS[i]) != 0) {
                    flags &= ~VLAN_FLAGS[i];
                    words.add(VLAN_FLAG_NAMES[i]);
                }
            }
            if (flags != 0) words.add(Integer.toHexString(flags));
            f.add(new Detail("flags", words, "<" + String.join(",", words.stream().map(Object::toString).toList()) + "> "));
        }
        if (t.has(IFLA_VLAN_INGRESS_QOS)) f.add(qosMap("ingress_qos", "ingress-qos-map", t.nested(IFLA_VLAN_INGRESS_QOS)));
        if (t.has(IFLA_VLAN_EGRESS_QOS)) f.add(qosMap("egress_qos", "egress-qos-map", t.nested(IFLA_VLAN_EGRESS_QOS)));
        return f.list;
    }

    /** vlan_print_map: on a line of its own, "{ FROM:TO ... } "; struct ifla_vlan_qos_mapping { __u32 from, to; }. */
    private static Detail qosMap(String key, String word, Attrs maps) {
        List<Object> json = new ArrayList<>();
        StringBuilder text = new StringBuilder("\n      ").append(word).append(" { ");
        for (Attr a : maps.list()) {
            ByteBuffer b = ByteBuffer.wrap(a.bytes()).order(ByteOrder.nativeOrder());
            long from = b.getInt(0) & 0xffffffffL, to = b.getInt(4) & 0xffffffffL;
            json.add(new Detail.Obj(List.of(Detail.num("from", from, ""), Detail.num("to", to, ""))));
            text.append(from).append(':').append(to).append(' ');
        }
        return new Detail(key, json, text.append("} ").toString());
    }

    /** if_link.h IPVLAN_MODE_*. */
    private static final int IPVLAN_MODE_L2 = 0, IPVLAN_MODE_L3 = 1, IPVLAN_MODE_L3S = 2;

    static List<Detail> ipvlan(Attrs t) {
        DetailFields f = new DetailFields();
        t.get(IFLA_IPVLAN_MODE).filter(a -> a.length() == 2).ifPresent(a -> {
            int m = a.u16();
            String w = m == IPVLAN_MODE_L2 ? "l2" : m == IPVLAN_MODE_L3 ? "l3" : m == IPVLAN_MODE_L3S ? "l3s" : "unknown";
            f.add(Detail.str("mode", w, " mode " + w + " "));
        });
        t.get(IFLA_IPVLAN_FLAGS).filter(a -> a.length() == 2).ifPresent(a -> {
            int fl = a.u16();
            if ((fl & IPVLAN_F_PRIVATE) != 0) f.add(Detail.bool("private", true, "private "));
            else if ((fl & IPVLAN_F_VEPA) != 0) f.add(Detail.bool("vepa", true, "vepa "));
            else f.add(Detail.bool("bridge", true, "bridge "));
        });
        return f.list;
    }

    static List<Detail> vrf(Attrs t) {
        DetailFields f = new DetailFields();
        f.u("table", "table", t.u32(IFLA_VRF_TABLE));
        return f.list;
    }

    static List<Detail> vrfPort(Attrs t) {
        DetailFields f = new DetailFields();
        f.u("table", "table", t.u32(IFLA_VRF_PORT_TABLE));
        return f.list;
    }
}
