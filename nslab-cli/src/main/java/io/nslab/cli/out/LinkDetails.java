package io.nslab.cli.out;

import java.util.List;
import java.util.Optional;

/**
 * What {@code ip -d} adds to a link, in ip 6.1's order (ipaddress.c print_linkinfo): {@code head} after the
 * link-layer address (promiscuity, allmulti, minmtu, maxmtu), the kind's and the port's lines, the IPv6
 * address generation mode (listed by {@code link show} only) and {@code tail} (queues, GSO/TSO/GRO limits,
 * parent bus and device). {@code refusal} names what nslab cannot print as ip does; such a link is refused
 * with {@code -d} rather than printed differently.
 */
public record LinkDetails(List<Detail> head, Optional<Kind> kind, Optional<Kind> slave, List<Detail> addrGenMode,
                          List<Detail> tail, Optional<String> refusal) {
    /** A kind line: "    NAME " (or "    NAME_slave ") then its fields; {@code data} empty when ip has no printer for it (no info_data). */
    public record Kind(String name, Optional<List<Detail>> data) {}
}
