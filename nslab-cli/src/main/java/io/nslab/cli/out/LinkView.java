package io.nslab.cli.out;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One interface as ip shows it. Fields are named after {@code ip -j}'s keys;
 * {@code link} is the name (or {@code ifN}) of the peer or parent, {@code linkNetns}
 * the name of the peer's namespace when known,
 * {@code group} the device group's name (absent when the kernel sent none: the IPv6 layer's link messages),
 * {@code details} what {@code -d} adds (built only when asked for); {@code stats} the counters, when asked for (-s).
 */
public record LinkView(int ifindex, String ifname, Optional<String> link, OptionalInt linkNetnsid, List<String> flags,
                       int mtu, Optional<String> qdisc, Optional<String> master, String operstate, Optional<String> group, OptionalInt txqlen,
                       String linkType, Optional<String> address, Optional<String> broadcast, Optional<String> alias,
                       Optional<String> kind, Optional<LinkDetails> details, Optional<String> linkNetns, Optional<LinkStats> stats) {
    /** The same link with the name of its peer's namespace (ip prints "link-netns NAME" when it knows it). */
    public LinkView withLinkNetns(String name) {
        return new LinkView(ifindex, ifname, link, linkNetnsid, flags, mtu, qdisc, master, operstate, group, txqlen, linkType, address,
                broadcast, alias, kind, details, Optional.of(name), stats);
    }
}
