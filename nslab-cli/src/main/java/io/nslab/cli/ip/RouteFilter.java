package io.nslab.cli.ip;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The selectors of {@code route show|flush}, with ip's meaning (iproute.c's {@code filter}): a route is
 * listed when every selector given holds. {@code table} empty = every table ("table all"); {@code cache}:
 * the kernel's cloned routes instead ("table cache", "cache"). {@code root}/{@code match} select by
 * destination (and {@code fromRoot}/{@code fromMatch} by source prefix), {@code via}/{@code src} by gateway
 * and preferred source. {@code protocol}, {@code scope}, {@code type}, {@code metric}, {@code dev},
 * {@code iif}: equal to. A selector that fixes a field also drops it from the listing, as ip does.
 */
public record RouteFilter(OptionalInt table, boolean cache, Optional<String> dev, Optional<String> iif,
                          Optional<Sel> root, Optional<Sel> match, Optional<Sel> fromRoot, Optional<Sel> fromMatch,
                          Optional<Sel> via, Optional<Sel> src, OptionalInt protocol, OptionalInt scope,
                          OptionalInt type, OptionalLong metric) {

    /**
     * An address selector as ip's {@code inet_prefix} holds it: {@code family} 0 when "default"/"all"/"any"
     * named none, {@code bits} the prefix length compared (the full length for a bare address, 0 for
     * "default"), {@code lengthGiven} when a "/LEN" (or "default") was written, which makes even a
     * family-less selector compare lengths.
     */
    public record Sel(int family, byte[] data, int bits, boolean lengthGiven) {
        public Sel {
            data = data.clone();
        }

        Sel inFamily(int f) {
            return family != 0 ? this : new Sel(f, data, bits, lengthGiven);
        }

        /** The full length of an address of this family, as ip's af_bit_len. */
        public int hostBits() {
            return family == 2 ? 32 : family == 10 ? 128 : 0;
        }

        /** ip's inet_addr_match == 0: the first {@code n} bits of {@code a} equal this selector's. */
        public boolean sameBits(byte[] a, int n) {
            for (int i = 0; i < n; i++) {
                int byteA = i / 8 < a.length ? a[i / 8] : 0, byteS = i / 8 < data.length ? data[i / 8] : 0;
                if (((byteA ^ byteS) & (0x80 >>> (i % 8))) != 0) return false;
            }
            return true;
        }
    }

    /**
     * The selectors as ip reads them when -4/-6 was given before them: "default", "all" and "any" then
     * name that family's zero prefix (so that with -4, "all" selects only default routes, as in ip).
     */
    public RouteFilter inFamily(int family) {
        return new RouteFilter(table, cache, dev, iif, root.map(s -> s.inFamily(family)), match.map(s -> s.inFamily(family)),
                fromRoot.map(s -> s.inFamily(family)), fromMatch.map(s -> s.inFamily(family)), via.map(s -> s.inFamily(family)),
                src.map(s -> s.inFamily(family)), protocol, scope, type, metric);
    }

    /** {@code route show} with nothing given: table main, everything in it. */
    public static RouteFilter mainTable() {
        return new RouteFilter(OptionalInt.of(254), false, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalLong.empty());
    }
}
