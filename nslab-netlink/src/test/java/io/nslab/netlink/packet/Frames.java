package io.nslab.netlink.packet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Crafted frames for the pure tests, and tcpdump run on files of them. */
final class Frames {
    private Frames() {}

    static final byte[] MAC1 = mac("02:00:00:00:00:01"), MAC2 = mac("02:00:00:00:00:02"), BCAST = mac("ff:ff:ff:ff:ff:ff");
    static final byte[] A1 = ip("10.0.0.1"), A2 = ip("10.0.0.2"), B1 = ip("192.168.7.1"), B2 = ip("192.168.7.2");
    static final byte[] L1 = ip("fe80::1"), L2 = ip("fe80::2"), G1 = ip("2001:db8::10"), G2 = ip("2001:db8:1::20");

    static byte[] mac(String s) {
        String[] p = s.split(":");
        byte[] m = new byte[6];
        for (int i = 0; i < 6; i++) m[i] = (byte) Integer.parseInt(p[i], 16);
        return m;
    }

    static byte[] ip(String s) { return InetAddress.ofLiteral(s).getAddress(); }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) o.writeBytes(p);
        return o.toByteArray();
    }

    static byte[] be16(int v) { return new byte[] {(byte) (v >> 8), (byte) v}; }

    static byte[] eth(byte[] dst, byte[] src, int type, byte[] payload) { return cat(dst, src, be16(type), payload); }

    static byte[] vlan(byte[] dst, byte[] src, int id, int prio, int type, byte[] payload) {
        return cat(dst, src, be16(0x8100), be16((prio << 13) | id), be16(type), payload);
    }

    static byte[] ip4(byte[] src, byte[] dst, int proto, byte[] payload) { return ip4(src, dst, proto, 0x4000, payload); }

    static byte[] ip4(byte[] src, byte[] dst, int proto, int frag, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payload.length)).putShort((short) 1).putShort((short) frag)
                .put((byte) 64).put((byte) proto).putShort((short) 0).put(src).put(dst).put(payload);
        byte[] h = b.array();
        int sum = 0;
        for (int i = 0; i < 20; i += 2) sum += ((h[i] & 0xff) << 8) | (h[i + 1] & 0xff);
        while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
        h[10] = (byte) (~sum >> 8); h[11] = (byte) ~sum;
        return h;
    }

    static byte[] ip6(byte[] src, byte[] dst, int nh, byte[] payload) {
        return ByteBuffer.allocate(40 + payload.length).putInt(0x60000000).putShort((short) payload.length).put((byte) nh).put((byte) 64)
                .put(src).put(dst).put(payload).array();
    }

    static byte[] udp(int sp, int dp, byte[] payload) {
        return ByteBuffer.allocate(8 + payload.length).putShort((short) sp).putShort((short) dp).putShort((short) (8 + payload.length))
                .putShort((short) 0).put(payload).array();
    }

    static final int FIN = 1, SYN = 2, RST = 4, PSH = 8, ACK = 16;
    static final byte[] SYN_OPTS = {2, 4, 5, (byte) 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7};

    static byte[] tcp(int sp, int dp, long seq, long ack, int flags, byte[] opts, byte[] payload) {
        return ByteBuffer.allocate(20 + opts.length + payload.length).putShort((short) sp).putShort((short) dp).putInt((int) seq).putInt((int) ack)
                .put((byte) ((5 + opts.length / 4) << 4)).put((byte) flags).putShort((short) 64240).putShort((short) 0).putShort((short) 0)
                .put(opts).put(payload).array();
    }

    static byte[] icmp(int type, int id, int seq, int len) {
        return ByteBuffer.allocate(8 + len).put((byte) type).put((byte) 0).putShort((short) 0).putShort((short) id).putShort((short) seq).array();
    }

    static byte[] arp(int op, byte[] sha, byte[] spa, byte[] tha, byte[] tpa) {
        return ByteBuffer.allocate(28).putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) op)
                .put(sha).put(spa).put(tha).put(tpa).array();
    }

    static byte[] vxlan(int vni, byte[] inner) {
        return ByteBuffer.allocate(8 + inner.length).put((byte) 8).put(new byte[3]).putInt(vni << 8).put(inner).array();
    }

    static byte[] text(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

    /** A varied set of frames: every protocol the printer and the filter know. */
    static List<byte[]> zoo() {
        List<byte[]> l = new ArrayList<>();
        l.add(eth(MAC2, MAC1, 0x0800, ip4(A1, A2, 1, icmp(8, 1234, 1, 56))));
        l.add(eth(MAC1, MAC2, 0x0800, ip4(A2, A1, 1, icmp(0, 1234, 1, 56))));
        l.add(eth(BCAST, MAC1, 0x0806, arp(1, MAC1, A1, new byte[6], A2)));
        l.add(eth(MAC1, MAC2, 0x0806, arp(2, MAC2, A2, MAC1, A1)));
        l.add(eth(MAC2, MAC1, 0x0800, ip4(A1, A2, 6, tcp(40000, 41000, 1000, 0, SYN, SYN_OPTS, new byte[0]))));
        l.add(eth(MAC1, MAC2, 0x0800, ip4(A2, A1, 6, tcp(41000, 40000, 5000, 1001, SYN | ACK, SYN_OPTS, new byte[0]))));
        l.add(eth(MAC2, MAC1, 0x0800, ip4(A1, A2, 6, tcp(40000, 41000, 1001, 5001, ACK, new byte[0], new byte[0]))));
        l.add(eth(MAC2, MAC1, 0x0800, ip4(A1, A2, 6, tcp(40000, 41000, 1001, 5001, PSH | ACK, new byte[0], text("hello")))));
        l.add(eth(MAC1, MAC2, 0x0800, ip4(A2, A1, 6, tcp(41000, 40000, 5001, 1006, FIN | ACK, new byte[0], new byte[0]))));
        l.add(eth(MAC2, MAC1, 0x0800, ip4(A1, A2, 17, udp(40000, 41000, text("hello")))));
        l.add(eth(MAC2, MAC1, 0x0800, ip4(B1, B2, 17, udp(53000, 42000, text("x")))));
        l.add(eth(MAC2, MAC1, 0x0800, ip4(B1, A2, 17, 0x2001, udp(40000, 41000, text("fragment")))));   // a first fragment
        l.add(eth(MAC2, MAC1, 0x86dd, ip6(L1, L2, 58, icmp(128, 7, 3, 16))));
        l.add(eth(MAC1, MAC2, 0x86dd, ip6(L2, L1, 58, icmp(129, 7, 3, 16))));
        l.add(eth(MAC2, MAC1, 0x86dd, ip6(G1, G2, 6, tcp(40000, 41000, 1, 0, RST, new byte[0], new byte[0]))));
        l.add(eth(MAC2, MAC1, 0x86dd, ip6(G2, G1, 17, udp(41000, 40000, text("abc")))));
        l.add(eth(MAC2, MAC1, 0x86dd, ip6(L1, L2, 58, cat(new byte[] {(byte) 135, 0, 0, 0, 0, 0, 0, 0}, L2))));
        l.add(eth(MAC2, MAC1, 0x86dd, ip6(L2, L1, 58, cat(new byte[] {(byte) 136, 0, 0, 0, 0x60, 0, 0, 0}, L2))));
        l.add(vlan(MAC2, MAC1, 100, 1, 0x0800, ip4(A1, A2, 17, udp(40000, 41000, text("hi")))));
        l.add(vlan(MAC2, MAC1, 200, 0, 0x0800, ip4(B1, B2, 1, icmp(8, 9, 9, 8))));
        l.add(eth(MAC2, MAC1, 0x0800, ip4(A1, A2, 17, udp(50000, 4789, vxlan(100,
                eth(mac("0a:00:00:00:00:02"), mac("0a:00:00:00:00:01"), 0x0800, ip4(B1, B2, 1, icmp(8, 1, 2, 8))))))));
        l.add(eth(MAC2, MAC1, 0x0800, ip4(A1, A2, 6, tcp(40001, 80, 77, 0, SYN, new byte[0], new byte[0]))));
        return l;
    }

    static List<Packet> packets(List<byte[]> frames) {
        List<Packet> l = new ArrayList<>();
        long t = Instant.parse("2026-01-02T03:04:05.123456789Z").getEpochSecond() * 1_000_000_000L + 123456789L;
        for (int i = 0; i < frames.size(); i++) l.add(new Packet(t + i * 1_000_000L, frames.get(i).length, frames.get(i)));
        return l;
    }

    static Path write(Path file, List<Packet> packets) throws IOException {
        try (PcapngWriter w = new PcapngWriter(Files.newOutputStream(file))) {
            int id = w.addInterface("veth0", LinkType.ETHERNET, 262144);
            for (Packet p : packets) w.write(id, p);
        }
        return file;
    }

    static boolean haveTcpdump() {
        return Files.isExecutable(Path.of("/usr/bin/tcpdump")) || Files.isExecutable(Path.of("/usr/sbin/tcpdump"));
    }

    /** {@code tcpdump ARGS} (reading a file); its stdout lines. */
    static List<String> tcpdump(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tcpdump"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc != 0) throw new IOException(String.join(" ", cmd) + " exited " + rc);
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }
}
