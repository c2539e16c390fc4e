package io.nslab.lab.probe;

import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs {@link Probe}s in the network namespace of the calling thread: call it
 * from a platform thread that has entered the namespace (e.g. inside
 * {@code ns.call(...)}). Every socket is created on that thread, so it lives
 * in that namespace; nothing is spawned.
 */
public final class Prober {
    private final int timeoutMillis;

    public Prober(Duration timeout) {
        this.timeoutMillis = (int) Math.max(1, timeout.toMillis());
    }

    public Prober() { this(Duration.ofSeconds(2)); }

    public Duration timeout() { return Duration.ofMillis(timeoutMillis); }

    public ProbeResult run(Probe p) {
        return switch (p) {
            case Probe.Icmp i -> IcmpEcho.ping(i, timeoutMillis);
            case Probe.Tcp t -> tcp(t);
            case Probe.Udp u -> udp(u);
            case Probe.Http h -> http(h);
            case Probe.Rtt r -> Measured.rtt(r, timeoutMillis);
            case Probe.Rate r -> Measured.rate(r, timeoutMillis);
        };
    }

    private ProbeResult tcp(Probe.Tcp p) {
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(p.target(), p.port()), timeoutMillis);
            return ProbeResult.reached(p, start, "connected");
        } catch (IOException e) {
            return ProbeResult.missed(p, start, reason(e));
        }
    }

    private ProbeResult udp(Probe.Udp p) {
        long start = System.nanoTime();
        long deadline = start + timeoutMillis * 1_000_000L;
        byte[] nonce = ("nslab-" + Long.toHexString(ThreadLocalRandom.current().nextLong())).getBytes(StandardCharsets.US_ASCII);
        try (DatagramSocket s = new DatagramSocket(null)) {
            s.connect(new InetSocketAddress(p.target(), p.port())); // connected: ICMP port unreachable is reported
            byte[] buf = new byte[2048];
            while (System.nanoTime() < deadline) {
                s.send(new DatagramPacket(nonce, nonce.length));
                long left = Math.max(1, Math.min(250, (deadline - System.nanoTime()) / 1_000_000L));
                s.setSoTimeout((int) left);
                try {
                    while (true) {
                        DatagramPacket in = new DatagramPacket(buf, buf.length);
                        s.receive(in);
                        if (Arrays.equals(nonce, 0, nonce.length, buf, 0, in.getLength())) return ProbeResult.reached(p, start, "echoed");
                    }
                } catch (SocketTimeoutException again) {
                    // resend until the deadline: UDP may be dropped while neighbours resolve
                }
            }
            return ProbeResult.missed(p, start, "timeout");
        } catch (IOException e) {
            return ProbeResult.missed(p, start, reason(e));
        }
    }

    private ProbeResult http(Probe.Http p) {
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(p.target(), p.port()), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + p.path() + " HTTP/1.0\r\nHost: " + Probe.hostPort(p.target(), p.port())
                    + "\r\nUser-Agent: nslab-probe\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = statusLine(s.getInputStream());
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) return ProbeResult.missed(p, start, "not HTTP: " + status);
            int code = Integer.parseInt(parts[1]);
            String d = "HTTP " + code;
            return code >= 200 && code < 300 ? ProbeResult.reached(p, start, d) : ProbeResult.missed(p, start, d);
        } catch (IOException | NumberFormatException e) {
            return ProbeResult.missed(p, start, reason(e));
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n' && b.length() < 1024; ) if (c != '\r') b.append((char) c);
        return b.toString();
    }

    /** A short reason for a failed probe, worded like the tools people know. */
    static String reason(Exception e) {
        if (e instanceof ErrnoException x) {
            if (x.is(Errno.ENETUNREACH)) return "network unreachable";
            if (x.is(Errno.EHOSTUNREACH)) return "no route to host";
            if (x.is(Errno.EACCES, Errno.EPERM)) return "not permitted: " + x.getMessage();
            return x.getMessage();
        }
        if (e instanceof SocketTimeoutException) return "timeout";
        if (e instanceof PortUnreachableException) return "port unreachable";
        if (e instanceof NoRouteToHostException) return "no route to host";
        if (e instanceof ConnectException c) {
            String m = String.valueOf(c.getMessage());
            if (m.contains("refused")) return "connection refused";
            if (m.contains("Network is unreachable")) return "network unreachable";
            if (m.contains("timed out")) return "timeout";
            return m.toLowerCase(Locale.ROOT);
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
