package io.nslab.cli.out;

import java.util.List;
import java.util.Optional;

/** One address as in {@code ip -j addr}'s {@code addr_info}. Lifetimes in seconds, 0xffffffff = forever. */
public record AddrView(int ifindex, String family, String local, int prefixlen, Optional<String> address,
                       Optional<String> broadcast, String scope, Optional<String> label, List<String> flags,
                       long validLft, long preferredLft) {}
