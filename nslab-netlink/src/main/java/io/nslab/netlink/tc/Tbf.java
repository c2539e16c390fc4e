package io.nslab.netlink.tc;

import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.NlWriter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

import static io.nslab.netlink.tc.TcConst.*;

/**
 * Token bucket filter: {@code tbf rate R burst B (latency T | limit L) [peakrate P mtu M]}.
 * The kernel keeps a byte {@code limit}; {@link #withLatency} converts a latency to it the
 * way tc does ({@code rate*latency + burst}, bounded by {@code peakrate*latency + mtu}).
 *
 * <pre>
 * TCA_OPTIONS {
 *   TCA_TBF_PARMS  struct tc_tbf_qopt (36 bytes)
 *       0 tc_ratespec rate      cell_log u8, linklayer u8, overhead u16, cell_align s16, mpu u16, rate u32 (byte/s, capped at 2^32-1)
 *      12 tc_ratespec peakrate  (zeros without a peakrate)
 *      24 u32 limit (bytes)   28 u32 buffer (psched ticks to send burst)   32 u32 mtu (ticks to send mtu at peakrate)
 *   TCA_TBF_BURST  u32 burst (bytes)
 *   TCA_TBF_RATE64 u64 (only when rate &gt;= 2^32 byte/s)
 *   TCA_TBF_RTAB   256 x u32: ticks to send (i+1) &lt;&lt; cell_log bytes at rate
 *   [peakrate: TCA_TBF_PRATE64, TCA_TBF_PBURST u32 mtu, TCA_TBF_PTAB]
 * }
 * </pre>
 * The kernel's dump has TCA_TBF_PARMS (and the 64-bit rates) only: burst and mtu are read
 * back from the tick counts.
 */
public record Tbf(Rate rate, Size burst, Size limit, Optional<Rate> peakrate, Optional<Size> mtu) implements QdiscKind {
    public Tbf {
        if (rate.bytesPerSecond() <= 0) throw new IllegalArgumentException("tbf rate must be at least 8bit");
        if (burst.bytes() <= 0) throw new IllegalArgumentException("tbf burst must be positive");
        if (peakrate.isPresent() && mtu.isEmpty()) throw new IllegalArgumentException("tbf peakrate needs mtu (minburst)");
    }

    @Override public String name() { return "tbf"; }

    public static Tbf withLimit(Rate rate, Size burst, Size limit) {
        return new Tbf(rate, burst, limit, Optional.empty(), Optional.empty());
    }

    public static Tbf withLatency(Rate rate, Size burst, TcTime latency) {
        return withLatency(rate, burst, latency, Optional.empty(), Optional.empty());
    }

    /** tc's conversion: limit = rate*latency + burst, or peakrate*latency + mtu when smaller. */
    public static Tbf withLatency(Rate rate, Size burst, TcTime latency, Optional<Rate> peakrate, Optional<Size> mtu) {
        long us = latency.micros();
        double lim = rate.bytesPerSecond() * (double) us / 1_000_000 + burst.bytes();
        if (peakrate.isPresent()) {
            double lim2 = peakrate.get().bytesPerSecond() * (double) us / 1_000_000 + mtu.map(Size::bytes).orElse(0L);
            if (lim2 < lim) lim = lim2;
        }
        return new Tbf(rate, burst, Size.bytes((long) lim & 0xFFFFFFFFL), peakrate, mtu);
    }

    public Tbf withPeakrate(Rate peak, Size mtu) { return new Tbf(rate, burst, limit, Optional.of(peak), Optional.of(mtu)); }

    /** The latency a packet may wait, as tc shows it ({@code lat}): (limit - burst) / rate, or (limit - mtu) / peakrate when larger. */
    public TcTime latency() {
        double lat = (limit.bytes() - (double) burst.bytes()) / rate.bytesPerSecond();
        double lat2 = peakrate.map(p -> (limit.bytes() - (double) mtu.orElseThrow().bytes()) / p.bytesPerSecond()).orElse(lat);
        return new TcTime(Math.max(0, Math.round(Math.max(lat, lat2) * 1e9 / 1000) * 1000));
    }

    void encode(NlWriter w) {
        long rate64 = rate.bytesPerSecond();
        int rate32 = (int) Math.min(rate64, 0xFFFFFFFFL);
        long peak64 = peakrate.map(Rate::bytesPerSecond).orElse(0L);
        int peak32 = (int) Math.min(peak64, 0xFFFFFFFFL);
        int mtuBytes = (int) mtu.map(Size::bytes).orElse(0L).longValue();
        int cellLog = cellLog(mtuBytes);
        w.attr(TCA_TBF_PARMS, parms(cellLog, rate32, peak32, mtuBytes));
        w.attrU32(TCA_TBF_BURST, (int) burst.bytes());
        if (rate64 >= 1L << 32) w.attrU64(TCA_TBF_RATE64, rate64);
        w.attr(TCA_TBF_RTAB, rtab(rate32, cellLog));
        if (peakrate.isPresent()) {
            if (peak64 >= 1L << 32) w.attrU64(TCA_TBF_PRATE64, peak64);
            w.attrU32(TCA_TBF_PBURST, mtuBytes);
            w.attr(TCA_TBF_PTAB, rtab(peak32, cellLog));
        }
    }

    private byte[] parms(int cellLog, int rate32, int peak32, int mtuBytes) {
        ByteBuffer b = ByteBuffer.allocate(TBF_QOPT_LEN).order(ByteOrder.nativeOrder());
        ratespec(b, cellLog, rate32);
        if (peak32 != 0) ratespec(b, cellLog, peak32);
        else b.position(b.position() + RATESPEC_LEN);
        b.putInt((int) limit.bytes());
        b.putInt((int) xmittime(Integer.toUnsignedLong(rate32), burst.bytes()));
        b.putInt(peak32 != 0 ? (int) xmittime(Integer.toUnsignedLong(peak32), mtuBytes) : 0);
        return b.array();
    }

    private static void ratespec(ByteBuffer b, int cellLog, int rate) {
        b.put((byte) cellLog).put((byte) TC_LINKLAYER_ETHERNET).putShort((short) 0).putShort((short) -1).putShort((short) 0).putInt(rate);
    }

    /** tc_calc_rtable's cell_log: the smallest shift that brings mtu (2047 when unset) to 255 or less. */
    static int cellLog(int mtu) {
        int m = mtu == 0 ? 2047 : mtu;
        int c = 0;
        while ((m >>> c) > 255) c++;
        return c;
    }

    /** tc_calc_rtable: entry i = ticks to send ((i+1) &lt;&lt; cell_log) bytes (ethernet: no cell padding, mpu 0). */
    static byte[] rtab(int rate32, int cellLog) {
        ByteBuffer b = ByteBuffer.allocate(TC_RTAB_SIZE).order(ByteOrder.nativeOrder());
        long r = Integer.toUnsignedLong(rate32);
        for (int i = 0; i < 256; i++) b.putInt((int) xmittime(r, (long) (i + 1) << cellLog));
        return b.array();
    }

    static Tbf decode(Attrs a) {
        ByteBuffer p = ByteBuffer.wrap(a.bytes(TCA_TBF_PARMS).orElseThrow(() -> new IllegalArgumentException("tbf without TCA_TBF_PARMS")))
                .order(ByteOrder.nativeOrder());
        long rate32 = Integer.toUnsignedLong(p.getInt(8));
        long peak32 = Integer.toUnsignedLong(p.getInt(RATESPEC_LEN + 8));
        long limit = Integer.toUnsignedLong(p.getInt(24));
        long buffer = Integer.toUnsignedLong(p.getInt(28));
        long mtuTicks = Integer.toUnsignedLong(p.getInt(32));
        long rate = a.u64(TCA_TBF_RATE64).orElse(rate32);
        long burst = a.u32(TCA_TBF_BURST).isPresent() ? Integer.toUnsignedLong(a.u32(TCA_TBF_BURST).getAsInt()) : bytesIn(rate32, buffer);
        Optional<Rate> peak = Optional.empty();
        Optional<Size> mtu = Optional.empty();
        if (peak32 != 0) {
            long pr = a.u64(TCA_TBF_PRATE64).orElse(peak32);
            peak = Optional.of(Rate.ofBytesPerSecond(pr));
            mtu = Optional.of(Size.bytes(a.u32(TCA_TBF_PBURST).isPresent()
                    ? Integer.toUnsignedLong(a.u32(TCA_TBF_PBURST).getAsInt()) : bytesIn(peak32, mtuTicks)));
        }
        return new Tbf(Rate.ofBytesPerSecond(rate), Size.bytes(burst), Size.bytes(limit), peak, mtu);
    }

    /** Bytes sent in {@code ticks} psched ticks (64 ns each) at {@code rate} byte/s. */
    private static long bytesIn(long rate, long ticks) {
        return Math.round(rate * (ticks * (double) NS_PER_TICK) / 1e9);
    }
}
