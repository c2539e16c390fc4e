package io.nslab.cli.out;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One route as {@code ip -j route} prints it: {@code type} only when not
 * unicast, {@code dst} "default" or a prefix (a host route without "/32"),
 * {@code protocol}/{@code scope} only when not "boot"/"global", {@code table}
 * only when not main. {@code from}, {@code uid} and {@code cache} come with
 * {@code route get} answers: the source asked about (IPv6 always reports one),
 * the uid the lookup ran as, and, for an IPv4 answer (a cloned route), the
 * cache flags, whose presence makes ip print its "cache" line.
 */
public record RouteView(Optional<String> type, String dst, Optional<String> from, Optional<String> gateway,
                        Optional<String> dev, Optional<String> protocol, Optional<String> scope,
                        Optional<String> prefsrc, OptionalLong metric, Optional<String> table, List<String> flags,
                        OptionalLong uid, Optional<List<String>> cache, OptionalInt mtu, Optional<String> pref) {
    public RouteView {
        flags = List.copyOf(flags);
        cache = cache.map(List::copyOf);
    }
}
