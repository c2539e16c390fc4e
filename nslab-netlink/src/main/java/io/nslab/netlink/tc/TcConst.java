package io.nslab.netlink.tc;

/** Numbers from linux/rtnetlink.h and linux/pkt_sched.h (checked against the headers, never guessed). */
final class TcConst {
    private TcConst() {}

    // rtnetlink.h
    static final int RTM_NEWQDISC = 36, RTM_DELQDISC = 37, RTM_GETQDISC = 38;
    /** sizeof(struct tcmsg): family u8, pad u8, pad u16, ifindex s32, handle u32, parent u32, info u32. */
    static final int TCMSG_LEN = 20;
    static final int TCA_KIND = 1, TCA_OPTIONS = 2, TCA_STATS = 3, TCA_XSTATS = 4, TCA_STATS2 = 7;

    // pkt_sched.h: tbf
    static final int TCA_TBF_PARMS = 1, TCA_TBF_RTAB = 2, TCA_TBF_PTAB = 3, TCA_TBF_RATE64 = 4,
            TCA_TBF_PRATE64 = 5, TCA_TBF_BURST = 6, TCA_TBF_PBURST = 7;
    /** sizeof(struct tc_ratespec): cell_log u8, linklayer u8, overhead u16, cell_align s16, mpu u16, rate u32. */
    static final int RATESPEC_LEN = 12;
    /** sizeof(struct tc_tbf_qopt): rate, peakrate (tc_ratespec), limit, buffer, mtu (u32). */
    static final int TBF_QOPT_LEN = 36;
    static final int TC_RTAB_SIZE = 1024;
    static final int TC_LINKLAYER_ETHERNET = 1;

    // pkt_sched.h: netem
    static final int TCA_NETEM_CORR = 1, TCA_NETEM_DELAY_DIST = 2, TCA_NETEM_REORDER = 3, TCA_NETEM_CORRUPT = 4,
            TCA_NETEM_LOSS = 5, TCA_NETEM_RATE = 6, TCA_NETEM_ECN = 7, TCA_NETEM_RATE64 = 8,
            TCA_NETEM_LATENCY64 = 10, TCA_NETEM_JITTER64 = 11;
    /** sizeof(struct tc_netem_qopt): latency, limit, loss, gap, duplicate, jitter (u32). */
    static final int NETEM_QOPT_LEN = 24;

    /**
     * psched ticks per microsecond, from /proc/net/psched ("000003e8 00000040 000f4240 ..."):
     * t2us=1000, us2t=64, clock resolution 1000000 (the kernel has printed these constants since
     * 2.6.x), so tc's tick_in_usec = 1000/64 = 15.625 and one tick is 64 ns.
     */
    static final double TICKS_PER_USEC = 1000.0 / 64;
    static final long NS_PER_TICK = 64;

    /** tc_core_time2tick: microseconds (truncated to a long, as tc's long argument) times 15.625, truncated. */
    static long time2tick(long usecs) { return (long) (usecs * TICKS_PER_USEC); }

    /** tc_calc_xmittime(rate, size): ticks to send {@code size} bytes at {@code rate} byte/s (u32 rate, as tc). */
    static long xmittime(long rate, long size) {
        return time2tick((long) (1_000_000 * ((double) size / rate))) & 0xFFFFFFFFL;
    }
}
