package io.nslab.lab.probe;

import java.time.Duration;
import java.util.Locale;

/**
 * What a probe found: whether the target answered, how long it took, and a
 * short reason ({@code reply}, {@code timeout}, {@code connection refused},
 * {@code HTTP 200}, {@code network unreachable}...).
 */
public record ProbeResult(Probe probe, boolean reached, Duration elapsed, String detail) {
    public static ProbeResult reached(Probe p, long startNanos, String detail) {
        return new ProbeResult(p, true, Duration.ofNanos(System.nanoTime() - startNanos), detail);
    }

    public static ProbeResult missed(Probe p, long startNanos, String detail) {
        return new ProbeResult(p, false, Duration.ofNanos(System.nanoTime() - startNanos), detail);
    }

    /** Milliseconds with one decimal, for tables. */
    public String millis() {
        return String.format(Locale.ROOT, "%.1f ms", elapsed.toNanos() / 1e6);
    }
}
