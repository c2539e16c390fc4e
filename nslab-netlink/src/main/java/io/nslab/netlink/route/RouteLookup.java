package io.nslab.netlink.route;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The question of {@code ip route get ADDR [from S] [iif D] [oif D] [mark M]}:
 * which route would the kernel use. {@code iif} simulates a packet arriving
 * on that device (needs {@code from}).
 */
public record RouteLookup(InetAddress to, Optional<InetAddress> from, OptionalInt iif, OptionalInt oif, OptionalInt mark) {
    public RouteLookup {
        Objects.requireNonNull(to);
        Objects.requireNonNull(from);
        Objects.requireNonNull(iif);
        Objects.requireNonNull(oif);
        Objects.requireNonNull(mark);
        if (from.isPresent() && from.get().getAddress().length != to.getAddress().length) {
            throw new IllegalArgumentException("route get " + IpPrefix.text(to) + ": from " + IpPrefix.text(from.get()) + " is of another family");
        }
    }

    public static RouteLookup to(InetAddress to) {
        return new RouteLookup(to, Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty());
    }

    public RouteLookup from(InetAddress s) { return new RouteLookup(to, Optional.of(s), iif, oif, mark); }
    public RouteLookup iif(int i) { return new RouteLookup(to, from, OptionalInt.of(i), oif, mark); }
    public RouteLookup oif(int i) { return new RouteLookup(to, from, iif, OptionalInt.of(i), mark); }
    public RouteLookup mark(int m) { return new RouteLookup(to, from, iif, oif, OptionalInt.of(m)); }

    public int family() { return to.getAddress().length == 4 ? AddressFamily.INET : AddressFamily.INET6; }
}
