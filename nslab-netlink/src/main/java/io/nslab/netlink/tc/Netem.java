package io.nslab.netlink.tc;

import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.NlWriter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;

import static io.nslab.netlink.tc.TcConst.*;

/**
 * Network emulator: {@code netem [limit N] [delay T [JITTER [CORR]] [distribution D]]
 * [loss [random] P [CORR]] [duplicate P [CORR]] [corrupt P [CORR]] [reorder P [CORR]] [gap N]
 * [rate R]}.
 *
 * <pre>
 * TCA_OPTIONS = struct tc_netem_qopt (24 bytes, NOT a nest) followed by attributes:
 *    0 u32 latency (psched ticks, 64 ns)   4 u32 limit (packets)   8 u32 loss (0..2^32-1 = 0..100%)
 *   12 u32 gap   16 u32 duplicate   20 u32 jitter (ticks)
 *   TCA_NETEM_CORR       { u32 delay_corr, loss_corr, dup_corr }   when any correlation is set
 *   TCA_NETEM_REORDER    { u32 probability, correlation }
 *   TCA_NETEM_CORRUPT    { u32 probability, correlation }
 *   TCA_NETEM_RATE       { u32 rate (byte/s, capped), s32 packet_overhead, u32 cell_size, s32 cell_overhead }
 *   TCA_NETEM_RATE64     u64 byte/s (rate &gt;= 2^32 byte/s)
 *   TCA_NETEM_DELAY_DIST s16[] (the distribution table, 4096 values from iproute2's NAME.dist)
 *   TCA_NETEM_LATENCY64 / TCA_NETEM_JITTER64  s64 ns (when the tick count does not fit 32 bits)
 * </pre>
 */
public record Netem(long limit, TcTime delay, TcTime jitter, Percent delayCorrelation, Optional<Distribution> distribution,
                    Percent loss, Percent lossCorrelation, Percent duplicate, Percent duplicateCorrelation,
                    Percent reorder, Percent reorderCorrelation, long gap, Percent corrupt, Percent corruptCorrelation,
                    Optional<Rate> rate) implements QdiscKind {
    public static final long DEFAULT_LIMIT = 1000;
    private static final TcTime ZERO = new TcTime(0);

    public Netem {
        if (limit < 0 || limit > 0xFFFFFFFFL) throw new IllegalArgumentException("netem limit out of range");
        if (gap < 0 || gap > 0xFFFFFFFFL) throw new IllegalArgumentException("netem gap out of range");
        if (distribution.isPresent() && jitter.nanos() == 0) throw new IllegalArgumentException("netem distribution needs a delay with jitter");
        if (!reorder.isZero() && delay.nanos() == 0) throw new IllegalArgumentException("netem reorder needs a delay");
    }

    @Override public String name() { return "netem"; }

    /** netem with nothing set: tc's defaults (limit 1000). */
    public static Netem of() {
        return new Netem(DEFAULT_LIMIT, ZERO, ZERO, Percent.ZERO, Optional.empty(), Percent.ZERO, Percent.ZERO, Percent.ZERO,
                Percent.ZERO, Percent.ZERO, Percent.ZERO, 0, Percent.ZERO, Percent.ZERO, Optional.empty());
    }

    public Netem withLimit(long l) { return new Netem(l, delay, jitter, delayCorrelation, distribution, loss, lossCorrelation, duplicate, duplicateCorrelation, reorder, reorderCorrelation, gap, corrupt, corruptCorrelation, rate); }
    public Netem withDelay(TcTime d) { return withDelay(d, ZERO, Percent.ZERO); }
    public Netem withDelay(TcTime d, TcTime j, Percent corr) { return new Netem(limit, d, j, corr, distribution, loss, lossCorrelation, duplicate, duplicateCorrelation, reorder, reorderCorrelation, gap, corrupt, corruptCorrelation, rate); }
    public Netem withDistribution(Distribution dist) { return new Netem(limit, delay, jitter, delayCorrelation, Optional.of(dist), loss, lossCorrelation, duplicate, duplicateCorrelation, reorder, reorderCorrelation, gap, corrupt, corruptCorrelation, rate); }
    public Netem withLoss(Percent p) { return withLoss(p, Percent.ZERO); }
    public Netem withLoss(Percent p, Percent corr) { return new Netem(limit, delay, jitter, delayCorrelation, distribution, p, corr, duplicate, duplicateCorrelation, reorder, reorderCorrelation, gap, corrupt, corruptCorrelation, rate); }
    public Netem withDuplicate(Percent p, Percent corr) { return new Netem(limit, delay, jitter, delayCorrelation, distribution, loss, lossCorrelation, p, corr, reorder, reorderCorrelation, gap, corrupt, corruptCorrelation, rate); }
    public Netem withCorrupt(Percent p, Percent corr) { return new Netem(limit, delay, jitter, delayCorrelation, distribution, loss, lossCorrelation, duplicate, duplicateCorrelation, reorder, reorderCorrelation, gap, p, corr, rate); }
    /** Reordering; as with tc, a gap of 0 becomes 1. */
    public Netem withReorder(Percent p, Percent corr) { return new Netem(limit, delay, jitter, delayCorrelation, distribution, loss, lossCorrelation, duplicate, duplicateCorrelation, p, corr, gap == 0 ? 1 : gap, corrupt, corruptCorrelation, rate); }
    public Netem withGap(long g) { return new Netem(limit, delay, jitter, delayCorrelation, distribution, loss, lossCorrelation, duplicate, duplicateCorrelation, reorder, reorderCorrelation, g, corrupt, corruptCorrelation, rate); }
    public Netem withRate(Rate r) { return new Netem(limit, delay, jitter, delayCorrelation, distribution, loss, lossCorrelation, duplicate, duplicateCorrelation, reorder, reorderCorrelation, gap, corrupt, corruptCorrelation, Optional.of(r)); }

    private static long ticks(TcTime t) { return time2tick(t.micros()); }

    void encode(NlWriter w) {
        int start = w.beginNest(TCA_OPTIONS);
        long lat = ticks(delay), jit = ticks(jitter);
        w.u32((int) Math.min(lat, 0xFFFFFFFFL)).u32((int) limit).u32(loss.kernel()).u32((int) gap).u32(duplicate.kernel())
                .u32((int) Math.min(jit, 0xFFFFFFFFL));
        if (!delayCorrelation.isZero() || !lossCorrelation.isZero() || !duplicateCorrelation.isZero()
                || !reorderCorrelation.isZero() || !corruptCorrelation.isZero()) {
            w.attr(TCA_NETEM_CORR, u32s(delayCorrelation.kernel(), lossCorrelation.kernel(), duplicateCorrelation.kernel()));
        }
        if (!reorder.isZero()) w.attr(TCA_NETEM_REORDER, u32s(reorder.kernel(), reorderCorrelation.kernel()));
        if (!corrupt.isZero()) w.attr(TCA_NETEM_CORRUPT, u32s(corrupt.kernel(), corruptCorrelation.kernel()));
        if (rate.isPresent()) {
            long r = rate.get().bytesPerSecond();
            if (r >= 1L << 32) w.attrU64(TCA_NETEM_RATE64, r);
            w.attr(TCA_NETEM_RATE, u32s((int) Math.min(r, 0xFFFFFFFFL), 0, 0, 0));
        }
        distribution.ifPresent(d -> w.attr(TCA_NETEM_DELAY_DIST, d.bytes()));
        if (lat > 0xFFFFFFFFL) w.attrU64(TCA_NETEM_LATENCY64, delay.nanos());
        if (jit > 0xFFFFFFFFL) w.attrU64(TCA_NETEM_JITTER64, jitter.nanos());
        w.endNest(start);
    }

    private static byte[] u32s(int... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.nativeOrder());
        for (int x : v) b.putInt(x);
        return b.array();
    }

    static Netem decode(byte[] opts) {
        if (opts.length < NETEM_QOPT_LEN) throw new IllegalArgumentException("netem options shorter than tc_netem_qopt");
        ByteBuffer q = ByteBuffer.wrap(opts).order(ByteOrder.nativeOrder());
        Attrs a = Attrs.parse(opts, NETEM_QOPT_LEN, opts.length - NETEM_QOPT_LEN);
        TcTime delay = new TcTime(a.u64(TCA_NETEM_LATENCY64).orElse(Integer.toUnsignedLong(q.getInt(0)) * NS_PER_TICK));
        TcTime jitter = new TcTime(a.u64(TCA_NETEM_JITTER64).orElse(Integer.toUnsignedLong(q.getInt(20)) * NS_PER_TICK));
        ByteBuffer corr = buf(a, TCA_NETEM_CORR, 12), reo = buf(a, TCA_NETEM_REORDER, 8), cor = buf(a, TCA_NETEM_CORRUPT, 8);
        Optional<Rate> rate = Optional.empty();
        if (a.has(TCA_NETEM_RATE) || a.has(TCA_NETEM_RATE64)) {
            long r = a.u64(TCA_NETEM_RATE64).orElse(Integer.toUnsignedLong(buf(a, TCA_NETEM_RATE, 16).getInt(0)));
            rate = Optional.of(Rate.ofBytesPerSecond(r));
        }
        Optional<Distribution> dist = a.bytes(TCA_NETEM_DELAY_DIST).map(Distribution::ofBytes);
        return new Netem(Integer.toUnsignedLong(q.getInt(4)), delay, jitter, Percent.ofKernel(corr.getInt(0)), dist,
                Percent.ofKernel(q.getInt(8)), Percent.ofKernel(corr.getInt(4)), Percent.ofKernel(q.getInt(16)), Percent.ofKernel(corr.getInt(8)),
                Percent.ofKernel(reo.getInt(0)), Percent.ofKernel(reo.getInt(4)), Integer.toUnsignedLong(q.getInt(12)),
                Percent.ofKernel(cor.getInt(0)), Percent.ofKernel(cor.getInt(4)), rate);
    }

    private static ByteBuffer buf(Attrs a, int type, int len) {
        byte[] b = a.bytes(type).orElse(new byte[len]);
        return ByteBuffer.wrap(b.length >= len ? b : Arrays.copyOf(b, len)).order(ByteOrder.nativeOrder());
    }
}
