package io.nslab.netlink.packet;

import java.net.InetAddress;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Prints packets the way {@code tcpdump -nn -e} does: Ethernet and 802.1Q
 * headers, ARP, IPv4/IPv6, ICMP/ICMPv6 (echo id/seq, neighbour discovery),
 * TCP (flags, relative seq/ack after the first ACK of a connection, options),
 * UDP, and VXLAN with the inner frame (which tcpdump, and so this printer,
 * puts on a second line). Addresses and ports are numeric. Keeps per
 * connection TCP state, so print one capture with one printer.
 */
public final class PacketPrinter {
    private final LinkType linkType;
    private final ZoneId zone;
    /** tcpdump's tcp_seq_hash: (canonical addresses and ports) -> {seq base, ack base}. */
    private final Map<String, long[]> tcp = new HashMap<>();

    public PacketPrinter(LinkType linkType) { this(linkType, ZoneId.systemDefault()); }

    public PacketPrinter(LinkType linkType, ZoneId zone) {
        this.linkType = linkType;
        this.zone = zone;
    }

    /** The line tcpdump prints: local time with microseconds, then {@link #format}. */
    public String line(Packet p) {
        Instant t = p.timestamp();
        LocalTime lt = LocalTime.ofInstant(t, zone);
        return String.format("%02d:%02d:%02d.%06d %s", lt.getHour(), lt.getMinute(), lt.getSecond(), t.getNano() / 1000, format(p));
    }

    /** The line {@code tcpdump -nn -e -t} prints (no timestamp). */
    public String format(Packet p) {
        StringBuilder s = new StringBuilder();
        Buf b = new Buf(p.data());
        try {
            if (linkType == LinkType.ETHERNET) ether(s, b, 0, p.wireLength());
            else raw(s, b, 0, p.wireLength());
        } catch (IndexOutOfBoundsException e) {
            s.append(" [|truncated]");
        }
        return s.toString();
    }

    private record Buf(byte[] d) {
        int u8(int o) { return d[o] & 0xff; }
        int u16(int o) { return (u8(o) << 8) | u8(o + 1); }
        long u32(int o) { return ((long) u16(o) << 16) | u16(o + 2); }
        int len() { return d.length; }
    }

    private void raw(StringBuilder s, Buf b, int o, int wire) {
        int v = b.u8(o) >> 4;
        if (v == 4) ip4(s, b, o, true);
        else if (v == 6) ip6(s, b, o, true);
        else s.append("IP").append(v).append(" (invalid)");
    }

    private void ether(StringBuilder s, Buf b, int o, int wire) {
        s.append(mac(b, o + 6)).append(" > ").append(mac(b, o)).append(", ");
        int type = b.u16(o + 12);
        int at = o + 14;
        if (type < 0x0600) {
            s.append("802.3, length ").append(wire).append(": LLC");
            return;
        }
        s.append("ethertype ").append(etherName(type)).append(String.format(" (0x%04x)", type)).append(", length ").append(wire).append(": ");
        while (type == 0x8100 || type == 0x88a8 || type == 0x9100) {
            int tci = b.u16(at);
            type = b.u16(at + 2);
            s.append("vlan ").append(tci & 0xfff).append(", p ").append(tci >> 13);
            if ((tci & 0x1000) != 0) s.append(", DEI");
            s.append(", ethertype ").append(etherName(type)).append(String.format(" (0x%04x)", type)).append(", ");
            at += 4;
        }
        switch (type) {
            case 0x0800 -> ip4(s, b, at, false);
            case 0x86dd -> ip6(s, b, at, false);
            case 0x0806, 0x8035 -> arp(s, b, at, wire - at + o);
            default -> { }
        }
    }

    private static String etherName(int t) {
        return switch (t) {
            case 0x0800 -> "IPv4";
            case 0x86dd -> "IPv6";
            case 0x0806 -> "ARP";
            case 0x8035 -> "Reverse ARP";
            case 0x8100 -> "802.1Q";
            case 0x88a8 -> "802.1Q-QinQ";
            case 0x9100 -> "802.1Q-9100";
            case 0x88cc -> "LLDP";
            default -> "Unknown";
        };
    }

    private static String mac(Buf b, int o) {
        return String.format("%02x:%02x:%02x:%02x:%02x:%02x", b.u8(o), b.u8(o + 1), b.u8(o + 2), b.u8(o + 3), b.u8(o + 4), b.u8(o + 5));
    }

    private static String ip4(Buf b, int o) { return b.u8(o) + "." + b.u8(o + 1) + "." + b.u8(o + 2) + "." + b.u8(o + 3); }

    private void arp(StringBuilder s, Buf b, int o, int len) {
        int op = b.u16(o + 6);
        if (b.u16(o) != 1 || b.u16(o + 2) != 0x0800 || b.u8(o + 4) != 6 || b.u8(o + 5) != 4) {
            s.append("ARP, unsupported hardware/protocol, length ").append(len);
            return;
        }
        String sha = mac(b, o + 8), spa = ip4(b, o + 14), tpa = ip4(b, o + 24);
        boolean thaZero = true;
        for (int k = 0; k < 6; k++) thaZero &= b.u8(o + 18 + k) == 0;
        switch (op) {
            case 1 -> s.append("Request who-has ").append(tpa).append(thaZero ? "" : " (" + mac(b, o + 18) + ")").append(" tell ").append(spa);
            case 2 -> s.append("Reply ").append(spa).append(" is-at ").append(sha);
            default -> s.append("ARP, op ").append(op);
        }
        s.append(", length ").append(len);
    }

    private void ip4(StringBuilder s, Buf b, int o, boolean prefix) {
        int ihl = (b.u8(o) & 0xf) * 4;
        int total = b.u16(o + 2);
        int frag = b.u16(o + 6);
        int proto = b.u8(o + 9);
        String src = ip4(b, o + 12), dst = ip4(b, o + 16);
        if (prefix) s.append("IP ");
        int len = total - ihl;
        int at = o + ihl;
        if ((frag & 0x1fff) != 0) {
            s.append(src).append(" > ").append(dst).append(": ip-proto-").append(proto);
            return;
        }
        transport(s, b, at, proto, len, src, dst, false);
    }

    private void ip6(StringBuilder s, Buf b, int o, boolean prefix) {
        int plen = b.u16(o + 4);
        int nh = b.u8(o + 6);
        String src = ip6(b, o + 8), dst = ip6(b, o + 24);
        if (prefix) s.append("IP6 ");
        int at = o + 40, len = plen;
        StringBuilder ext = new StringBuilder();
        while (nh == 0 || nh == 43 || nh == 60) {         // hop-by-hop, routing, destination options
            ext.append(nh == 0 ? "HBH " : nh == 43 ? "srcrt " : "DSTOPT ");
            int hl = (b.u8(at + 1) + 1) * 8;
            nh = b.u8(at);
            at += hl;
            len -= hl;
        }
        if (nh == 58) { s.append(src).append(" > ").append(dst).append(": ").append(ext); icmp6(s, b, at, len); return; }
        transport(s, b, at, nh, len, src, dst, true);
    }

    private void transport(StringBuilder s, Buf b, int at, int proto, int len, String src, String dst, boolean v6) {
        switch (proto) {
            case 6 -> {
                s.append(src).append('.').append(b.u16(at)).append(" > ").append(dst).append('.').append(b.u16(at + 2)).append(": ");
                tcp(s, b, at, len, src, dst);
            }
            case 17 -> {
                int sp = b.u16(at), dp = b.u16(at + 2);
                s.append(src).append('.').append(sp).append(" > ").append(dst).append('.').append(dp).append(": ");
                int ulen = b.u16(at + 4);
                if ((dp == 4789 || sp == 4789) && ulen >= 16) vxlan(s, b, at + 8, ulen - 8);
                else s.append("UDP, length ").append(ulen - 8);
            }
            case 1 -> { s.append(src).append(" > ").append(dst).append(": "); icmp(s, b, at, len); }
            case 58 -> { s.append(src).append(" > ").append(dst).append(": "); icmp6(s, b, at, len); }
            default -> s.append(src).append(" > ").append(dst).append(": ip-proto-").append(proto).append(' ').append(len);
        }
    }

    private void vxlan(StringBuilder s, Buf b, int o, int len) {
        int flags = b.u8(o);
        long vni = b.u32(o + 4) >>> 8;
        s.append("VXLAN, flags [").append((flags & 0x08) != 0 ? "I" : ".").append(String.format("] (0x%02x), vni %d%n", flags, vni).replace(System.lineSeparator(), "\n"));
        ether(s, b, o + 8, len - 8);
    }

    private static void icmp(StringBuilder s, Buf b, int o, int len) {
        int type = b.u8(o), code = b.u8(o + 1);
        switch (type) {
            case 0, 8 -> s.append("ICMP echo ").append(type == 8 ? "request" : "reply").append(", id ").append(b.u16(o + 4))
                    .append(", seq ").append(b.u16(o + 6)).append(", length ").append(len);
            case 3 -> {
                int ip = o + 8, ihl = (b.u8(ip) & 0xf) * 4, p = b.u8(ip + 9);
                String dst = ip4(b, ip + 16);
                String what = switch (code) {
                    case 0 -> "net " + dst + " unreachable";
                    case 1 -> "host " + dst + " unreachable";
                    case 2 -> dst + " protocol " + p + " unreachable";
                    case 3 -> dst + " " + (p == 6 ? "tcp" : p == 17 ? "udp" : "proto-" + p) + " port " + b.u16(ip + ihl + 2) + " unreachable";
                    default -> dst + " unreachable - code " + code;
                };
                s.append("ICMP ").append(what).append(", length ").append(len);
            }
            case 11 -> s.append("ICMP time exceeded in-").append(code == 0 ? "transit" : "reassembly").append(", length ").append(len);
            default -> s.append("ICMP type-#").append(type).append(", length ").append(len);
        }
    }

    private static void icmp6(StringBuilder s, Buf b, int o, int len) {
        int type = b.u8(o);
        s.append("ICMP6, ");
        switch (type) {
            case 128, 129 -> s.append("echo ").append(type == 128 ? "request" : "reply").append(", id ").append(b.u16(o + 4))
                    .append(", seq ").append(b.u16(o + 6));
            case 133 -> s.append("router solicitation");
            case 134 -> s.append("router advertisement");
            case 135 -> s.append("neighbor solicitation, who has ").append(ip6(b, o + 8));
            case 136 -> s.append("neighbor advertisement, tgt is ").append(ip6(b, o + 8));
            case 143 -> s.append("multicast listener report v2, ").append(b.u16(o + 6)).append(" group record(s)");
            case 1 -> s.append("destination unreachable");
            case 3 -> s.append("time exceeded in-transit");
            default -> s.append("type ").append(type);
        }
        s.append(", length ").append(len);
    }

    private void tcp(StringBuilder s, Buf b, int o, int len, String src, String dst) {
        int sp = b.u16(o), dp = b.u16(o + 2);
        long seq = b.u32(o + 4), ack = b.u32(o + 8);
        int hlen = (b.u8(o + 12) >> 4) * 4;
        int flags = b.u8(o + 13);
        int win = b.u16(o + 14), urp = b.u16(o + 18);
        int payload = len - hlen;
        if ((flags & 0x10) != 0) {
            // tcpdump: relative numbers from the first ACK of a connection on
            int c = compare(src, dst);
            boolean rev = c > 0 || (c == 0 && sp > dp);
            String key = rev ? dst + ">" + src + "/" + dp + ":" + sp : src + ">" + dst + "/" + sp + ":" + dp;
            long[] th = tcp.get(key);
            if (th == null || (flags & 0x02) != 0) {
                th = rev ? new long[] {(ack - 1) & 0xffffffffL, seq} : new long[] {seq, (ack - 1) & 0xffffffffL};
                tcp.put(key, th);
            } else if (rev) {
                seq = (seq - th[1]) & 0xffffffffL;
                ack = (ack - th[0]) & 0xffffffffL;
            } else {
                seq = (seq - th[0]) & 0xffffffffL;
                ack = (ack - th[1]) & 0xffffffffL;
            }
        }
        StringBuilder f = new StringBuilder();
        String[] names = {"F", "S", "R", "P", ".", "U", "E", "W"};
        for (int k = 0; k < 8; k++) if ((flags & (1 << k)) != 0) f.append(names[k]);
        s.append("Flags [").append(f.isEmpty() ? "none" : f).append(']');
        if (payload > 0 || (flags & 0x07) != 0) {
            s.append(", seq ").append(seq);
            if (payload > 0) s.append(':').append((seq + payload) & 0xffffffffL);
        }
        if ((flags & 0x10) != 0) s.append(", ack ").append(ack);
        s.append(", win ").append(win);
        if ((flags & 0x20) != 0) s.append(", urg ").append(urp);
        if (hlen > 20) {
            s.append(", options [");
            int at = o + 20, end = o + hlen;
            boolean first = true;
            while (at < end) {
                int kind = b.u8(at);
                if (!first) s.append(',');
                first = false;
                if (kind == 0) { s.append("eol"); break; }
                if (kind == 1) { s.append("nop"); at++; continue; }
                int l = b.u8(at + 1);
                if (l < 2) { s.append("bad opt"); break; }
                switch (kind) {
                    case 2 -> s.append("mss ").append(b.u16(at + 2));
                    case 3 -> s.append("wscale ").append(b.u8(at + 2));
                    case 4 -> s.append("sackOK");
                    case 5 -> {
                        s.append("sack ").append((l - 2) / 8).append(' ');
                        for (int q = at + 2; q + 8 <= at + l; q += 8) s.append('{').append(b.u32(q)).append(':').append(b.u32(q + 4)).append('}');
                    }
                    case 8 -> s.append("TS val ").append(b.u32(at + 2)).append(" ecr ").append(b.u32(at + 6));
                    default -> s.append("unknown-").append(kind);
                }
                at += l;
            }
            s.append(']');
        }
        s.append(", length ").append(payload);
    }

    private static int compare(String a, String b) {
        byte[] x = bytesOf(a), y = bytesOf(b);
        return Arrays.compareUnsigned(x, y);
    }

    private static byte[] bytesOf(String literal) {
        return InetAddress.ofLiteral(literal).getAddress();
    }

    /** A 16-byte IPv6 address as glibc's inet_ntop writes it (and so tcpdump). */
    static String ip6(byte[] address) { return ip6(new Buf(address), 0); }

    private static String ip6(Buf b, int o) {
        int[] w = new int[8];
        for (int k = 0; k < 8; k++) w[k] = b.u16(o + 2 * k);
        int best = -1, bestLen = 0;
        for (int k = 0; k < 8; ) {
            if (w[k] != 0) { k++; continue; }
            int e = k;
            while (e < 8 && w[e] == 0) e++;
            if (e - k > bestLen) { best = k; bestLen = e - k; }
            k = e;
        }
        if (bestLen < 2) best = -1;
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < 8; k++) {
            if (best >= 0 && k >= best && k < best + bestLen) {
                if (k == best) s.append(':');
                continue;
            }
            if (k > 0) s.append(':');
            if (k == 6 && best == 0 && (bestLen == 6 || (bestLen == 5 && w[5] == 0xffff))) {
                s.append(b.u8(o + 12)).append('.').append(b.u8(o + 13)).append('.').append(b.u8(o + 14)).append('.').append(b.u8(o + 15));
                break;
            }
            s.append(Integer.toHexString(w[k]));
        }
        if (best >= 0 && best + bestLen == 8) s.append(':');
        return s.toString();
    }
}
