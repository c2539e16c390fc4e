package io.nslab.cli.out;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.OptionalLong;

/**
 * A link's counters for {@code -s}: struct rtnl_link_stats64 (IFLA_STATS64, 25 native-order u64 in
 * if_link.h's order; a shorter one from an older kernel leaves the rest 0) and IFLA_CARRIER_CHANGES.
 */
public record LinkStats(long[] counters, OptionalLong carrierChanges) {
    // if_link.h's field order
    static final int RX_PACKETS = 0, TX_PACKETS = 1, RX_BYTES = 2, TX_BYTES = 3, RX_ERRORS = 4, TX_ERRORS = 5,
            RX_DROPPED = 6, TX_DROPPED = 7, MULTICAST = 8, COLLISIONS = 9, RX_LENGTH = 10, RX_OVER = 11, RX_CRC = 12,
            RX_FRAME = 13, RX_FIFO = 14, RX_MISSED = 15, TX_ABORTED = 16, TX_CARRIER = 17, TX_FIFO = 18,
            TX_HEARTBEAT = 19, TX_WINDOW = 20, RX_COMPRESSED = 21, TX_COMPRESSED = 22, RX_NOHANDLER = 23,
            RX_OTHERHOST = 24;
    static final int COUNT = 25;

    public static LinkStats decode(byte[] stats64, OptionalLong carrierChanges) {
        long[] c = new long[COUNT];
        ByteBuffer b = ByteBuffer.wrap(stats64).order(ByteOrder.nativeOrder());
        for (int i = 0; i < COUNT && (i + 1) * 8 <= stats64.length; i++) c[i] = b.getLong(i * 8);
        return new LinkStats(c, carrierChanges);
    }

    // snmp.h's IPSTATS_MIB_* indexes of the u64 array in IFLA_INET6_STATS (index 0 holds the count)
    private static final int MIB_INPKTS = 1, MIB_INOCTETS = 2, MIB_OUTPKTS = 5, MIB_OUTOCTETS = 6, MIB_INDISCARDS = 13,
            MIB_OUTDISCARDS = 14, MIB_INMCASTPKTS = 23, MIB_CSUMERRORS = 31;

    /** The IPv6 layer's counters in a link's place, mapped as ip's get_snmp_counters does; the rest 0. */
    public static LinkStats fromInet6Mib(byte[] mib) {
        long[] c = new long[COUNT];
        ByteBuffer b = ByteBuffer.wrap(mib).order(ByteOrder.nativeOrder());
        c[RX_PACKETS] = counter(b, MIB_INPKTS);
        c[RX_BYTES] = counter(b, MIB_INOCTETS);
        c[TX_PACKETS] = counter(b, MIB_OUTPKTS);
        c[TX_BYTES] = counter(b, MIB_OUTOCTETS);
        c[RX_ERRORS] = counter(b, MIB_INDISCARDS);
        c[TX_ERRORS] = counter(b, MIB_OUTDISCARDS);
        c[MULTICAST] = counter(b, MIB_INMCASTPKTS);
        c[RX_FRAME] = counter(b, MIB_CSUMERRORS);
        return new LinkStats(c, OptionalLong.empty());
    }

    private static long counter(ByteBuffer mib, int i) {
        return (i + 1) * 8 <= mib.capacity() ? mib.getLong(i * 8) : 0;
    }

    long get(int i) { return counters[i]; }
}
