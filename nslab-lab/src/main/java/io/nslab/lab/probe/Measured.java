package io.nslab.lab.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The measuring probes, in the calling thread's namespace: a timed ICMP echo (the median of
 * {@link #ECHOES} echoes after one that warms the neighbour cache) and a bulk TCP transfer through an
 * nslab TCP service, counted where it arrives ({@link RateSink}) from {@link #BULK_MILLIS} -
 * {@link #MEASURE_MILLIS} after its first byte (past slow start) to its end. A probe that does not reach, or whose measure misses its bound, has not reached.
 */
final class Measured {
    static final int ECHOES = 5;
    static final long BULK_MILLIS = 3000, MEASURE_MILLIS = 2000;
    static final int SEND_BUFFER = 64 * 1024, DRAIN_MILLIS = 20_000;

    private Measured() {}

    static ProbeResult rtt(Probe.Rtt p, int timeoutMillis) {
        long start = System.nanoTime();
        Probe.Icmp echo = new Probe.Icmp(p.target());
        ProbeResult first = IcmpEcho.ping(echo, timeoutMillis);
        if (!first.reached()) return ProbeResult.missed(p, start, first.detail());
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < ECHOES; i++) {
            ProbeResult r = IcmpEcho.ping(echo, timeoutMillis);
            if (r.reached()) times.add(r.elapsed().toNanos());
        }
        if (times.isEmpty()) return ProbeResult.missed(p, start, "no reply to " + ECHOES + " timed echoes");
        times.sort(null);
        long median = times.get(times.size() / 2);
        String d = String.format(Locale.ROOT, "rtt %.1f ms (min %.1f, max %.1f, %d/%d)", median / 1e6, times.get(0) / 1e6,
                times.get(times.size() - 1) / 1e6, times.size(), ECHOES);
        return p.bound().holds(median) ? ProbeResult.reached(p, start, d) : ProbeResult.missed(p, start, d + ", not " + p.bound().describe());
    }

    static ProbeResult rate(Probe.Rate p, int timeoutMillis) {
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            // a small send buffer: what is still queued when the run ends drains in about a second, even at 1 mbit
            s.setSendBufferSize(SEND_BUFFER);
            s.connect(new InetSocketAddress(p.target(), p.port()), timeoutMillis);
            OutputStream out = s.getOutputStream();
            out.write(RateSink.header(BULK_MILLIS - MEASURE_MILLIS));
            byte[] chunk = new byte[1 << 14];
            long end = System.nanoTime() + BULK_MILLIS * 1_000_000L;
            while (System.nanoTime() < end) out.write(chunk);
            s.shutdownOutput();
            s.setSoTimeout(Math.max(timeoutMillis, DRAIN_MILLIS));
            String reply = line(s.getInputStream());
            String[] w = reply.split(" ");
            if (w.length != 2 || !w[0].matches("[0-9]+") || !w[1].matches("[0-9]+"))
                return ProbeResult.missed(p, start, "the service at port " + p.port() + " is no nslab tcp service (answered '" + reply + "')");
            long got = Long.parseLong(w[0]), nanos = Long.parseLong(w[1]);
            if (nanos <= 0) return ProbeResult.missed(p, start, "nothing arrived after the warm-up");
            double bits = got * 8e9 / nanos;
            String d = String.format(Locale.ROOT, "rate %s (%d bytes in %.2f s)", mbit(bits), got, nanos / 1e9);
            return p.bound().holds(bits) ? ProbeResult.reached(p, start, d) : ProbeResult.missed(p, start, d + ", not " + p.bound().describe());
        } catch (IOException e) {
            return ProbeResult.missed(p, start, Prober.reason(e));
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n' && b.length() < 64; ) b.append((char) c);
        return b.toString();
    }

    private static String mbit(double bits) {
        return String.format(Locale.ROOT, "%.2f Mbit/s", bits / 1e6);
    }
}
