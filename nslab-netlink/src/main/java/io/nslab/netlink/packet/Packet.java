package io.nslab.netlink.packet;

import java.time.Instant;

/**
 * One captured frame: when it was seen (nanoseconds since the epoch), its
 * length on the wire and the bytes captured (at most the snap length, so
 * {@code data.length <= wireLength}).
 */
public record Packet(long epochNanos, int wireLength, byte[] data) {
    public Packet {
        if (wireLength < data.length) throw new IllegalArgumentException("wire length " + wireLength + " < captured " + data.length);
    }

    public static Packet of(Instant at, byte[] data) {
        return new Packet(at.getEpochSecond() * 1_000_000_000L + at.getNano(), data.length, data);
    }

    public Instant timestamp() {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }
}
