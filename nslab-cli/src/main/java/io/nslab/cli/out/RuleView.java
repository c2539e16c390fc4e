package io.nslab.cli.out;

import java.util.Optional;
import java.util.OptionalInt;

/** One policy rule as {@code ip -j rule} prints it ({@code src} "all" when absent). */
public record RuleView(long priority, boolean not, Optional<String> src, OptionalInt srclen, Optional<String> dst,
                       OptionalInt dstlen, Optional<String> tos, Optional<String> iif, Optional<String> oif, Optional<String> fwmark,
                       Optional<String> table, Optional<String> action) {}
