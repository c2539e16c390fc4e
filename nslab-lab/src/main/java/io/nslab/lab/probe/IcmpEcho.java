package io.nslab.lab.probe;

import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.sys.IcmpSocket;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * ICMP echo over {@link IcmpSocket}, in the calling thread's namespace:
 * sends a request every {@code interval} until a matching reply, an ICMP
 * error about our request, or the deadline.
 */
final class IcmpEcho {
    private static final int ECHO_REQUEST_V4 = 8, ECHO_REPLY_V4 = 0, UNREACH_V4 = 3, TIME_EXCEEDED_V4 = 11;
    private static final int ECHO_REQUEST_V6 = 128, ECHO_REPLY_V6 = 129, UNREACH_V6 = 1, TIME_EXCEEDED_V6 = 3;
    private static final int RESEND_MILLIS = 250;

    private IcmpEcho() {}

    static ProbeResult ping(Probe.Icmp p, int timeoutMillis) {
        long start = System.nanoTime();
        boolean v6 = p.target() instanceof Inet6Address;
        try (IcmpSocket s = IcmpSocket.open(v6)) {
            int id = s.pingId().orElseGet(() -> ThreadLocalRandom.current().nextInt(1, 0x10000));
            long nonce = ThreadLocalRandom.current().nextLong();
            long deadline = start + timeoutMillis * 1_000_000L;
            int seq = 0;
            long nextSend = start;
            while (true) {
                long now = System.nanoTime();
                if (now >= deadline) return ProbeResult.missed(p, start, "timeout");
                if (now >= nextSend) {
                    seq++;
                    try {
                        s.send(request(v6, id, seq, nonce), p.target());
                    } catch (ErrnoException e) {
                        return ProbeResult.missed(p, start, Prober.reason(e));
                    }
                    nextSend = now + RESEND_MILLIS * 1_000_000L;
                }
                int wait = (int) Math.max(1, (Math.min(deadline, nextSend) - System.nanoTime()) / 1_000_000L);
                Optional<IcmpSocket.Datagram> d = s.receive(wait);
                if (d.isEmpty()) continue;
                Optional<String> verdict = judge(d.get(), v6, s.raw(), id, nonce, p.target());
                if (verdict.isPresent()) {
                    String v = verdict.get();
                    return v.equals("reply") ? ProbeResult.reached(p, start, "reply seq=" + seq)
                                             : ProbeResult.missed(p, start, v);
                }
            }
        } catch (ErrnoException e) {
            return ProbeResult.missed(p, start, "icmp socket: " + e.getMessage());
        }
    }

    static byte[] request(boolean v6, int id, int seq, long nonce) {
        ByteBuffer b = ByteBuffer.allocate(8 + 16);
        b.put((byte) (v6 ? ECHO_REQUEST_V6 : ECHO_REQUEST_V4)).put((byte) 0).putShort((short) 0)
         .putShort((short) id).putShort((short) seq).putLong(nonce).putLong(0x6e736c6162L); // "nslab"
        byte[] m = b.array();
        if (!v6) {
            int c = checksum(m);
            m[2] = (byte) (c >>> 8);
            m[3] = (byte) c;
        }
        return m;
    }

    /** RFC 1071 internet checksum. */
    static int checksum(byte[] m) {
        long sum = 0;
        for (int i = 0; i + 1 < m.length; i += 2) sum += ((m[i] & 0xff) << 8) | (m[i + 1] & 0xff);
        if ((m.length & 1) != 0) sum += (m[m.length - 1] & 0xff) << 8;
        while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
        return (int) (~sum & 0xffff);
    }

    /**
     * "reply" for our echo reply, a reason for an ICMP error about our echo
     * request, empty for anything else (other probes' traffic on a raw socket).
     */
    static Optional<String> judge(IcmpSocket.Datagram d, boolean v6, boolean raw, int id, long nonce, InetAddress target) {
        byte[] m = d.payload();
        if (m.length < 8) return Optional.empty();
        int type = m[0] & 0xff;
        if (type == (v6 ? ECHO_REPLY_V6 : ECHO_REPLY_V4)) {
            if (raw && u16(m, 4) != id) return Optional.empty();
            if (m.length < 16 || ByteBuffer.wrap(m, 8, 8).getLong() != nonce) return Optional.empty();
            return Optional.of("reply");
        }
        boolean unreach = type == (v6 ? UNREACH_V6 : UNREACH_V4);
        boolean exceeded = type == (v6 ? TIME_EXCEEDED_V6 : TIME_EXCEEDED_V4);
        if (!(unreach || exceeded) || !raw) return Optional.empty();
        // The error quotes our request: IP header, then the first 8 bytes of our ICMP message.
        int inner = 8 + (v6 ? 40 : (m.length > 8 ? (m[8] & 0x0f) * 4 : 0));
        if (m.length < inner + 8) return Optional.empty();
        if ((m[inner] & 0xff) != (v6 ? ECHO_REQUEST_V6 : ECHO_REQUEST_V4) || u16(m, inner + 4) != id) return Optional.empty();
        String from = " (from " + d.from().getHostAddress() + ")";
        if (exceeded) return Optional.of("time exceeded" + from);
        int code = m[1] & 0xff;
        String what = v6 ? switch (code) {
            case 0 -> "no route to destination";
            case 1 -> "administratively prohibited";
            case 3 -> "address unreachable";
            case 4 -> "port unreachable";
            default -> "unreachable code " + code;
        } : switch (code) {
            case 0 -> "network unreachable";
            case 1 -> "host unreachable";
            case 3 -> "port unreachable";
            case 9, 10, 13 -> "administratively prohibited";
            default -> "unreachable code " + code;
        };
        return Optional.of(what + from);
    }

    private static int u16(byte[] m, int off) {
        return ((m[off] & 0xff) << 8) | (m[off + 1] & 0xff);
    }
}
