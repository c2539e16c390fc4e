package io.nslab.cli.out;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One route as {@code ip -j route} prints it: {@code type} only when not
 * unicast, {@code dst} "default" or a prefix (a host route without "/32"),
 * {@code protocol}/{@code scope} only when not "boot"/"global", {@code table}
 * only when not main.
 */
public record RouteView(Optional<String> type, String dst, Optional<String> gateway, Optional<String> dev,
                        Optional<String> protocol, Optional<String> scope, Optional<String> prefsrc,
                        OptionalLong metric, Optional<String> table, List<String> flags, OptionalInt mtu,
                        Optional<String> pref) {}
