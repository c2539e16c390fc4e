package io.nslab.lab.probe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The receiving end of a rate probe, inside nslab's TCP echo service: a connection that starts with
 * {@code NSLAB-RATE WARM_MS\n} is a bulk transfer, not an echo. The service discards it, counting what
 * arrives from {@code WARM_MS} after the first byte until the sender's end of stream, and answers
 * {@code BYTES NANOS\n}: goodput measured where it arrives (as iperf3 does), with nothing sent back
 * while it runs.
 */
final class RateSink {
    static final byte[] MAGIC = "NSLAB-RATE ".getBytes(StandardCharsets.US_ASCII);

    private RateSink() {}

    /** The header a rate probe sends first. */
    static byte[] header(long warmMillis) {
        return ("NSLAB-RATE " + warmMillis + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Serves one connection of the echo service: a rate transfer when it starts with the header,
     * else an echo of everything (the bytes read to decide included).
     */
    static void serve(InputStream in, OutputStream out) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        for (byte m : MAGIC) {
            int b = in.read();
            if (b < 0) {
                out.write(seen.toByteArray());
                return;
            }
            seen.write(b);
            if (b != (m & 0xff)) {
                out.write(seen.toByteArray());
                in.transferTo(out);
                return;
            }
        }
        StringBuilder warm = new StringBuilder();
        for (int b; (b = in.read()) >= 0 && b != '\n' && warm.length() < 12; ) warm.append((char) b);
        long warmNanos = Long.parseLong(warm.toString().strip()) * 1_000_000L;
        byte[] buf = new byte[1 << 16];
        long first = 0, from = 0, counted = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            long now = System.nanoTime();
            if (first == 0) {
                first = now;
                from = first + warmNanos;
            }
            if (now >= from) counted += n;
        }
        long nanos = first == 0 ? 0 : Math.max(0, System.nanoTime() - from);
        out.write((counted + " " + nanos + "\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
