package io.nslab.netlink.nft.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The symbolic constants nft prints for register values, both ways: protocol
 * names, nfproto, ct state and status bits, route types (fib).
 */
public final class Symbols {
    private Symbols() {}

    /** IPPROTO_* names as nft spells them (/etc/protocols). */
    private static final Map<String, Integer> L4 = Map.of("icmp", 1, "igmp", 2, "tcp", 6, "udp", 17, "gre", 47,
            "esp", 50, "ah", 51, "icmpv6", 58, "sctp", 132, "udplite", 136);

    /** NFPROTO_* of {@code meta nfproto}. */
    private static final Map<String, Integer> NFPROTO = Map.of("ipv4", 2, "ipv6", 10);

    /** enum ip_conntrack_info bits as {@code ct state} tests them, in bit order. */
    public static final List<String> CT_STATE = List.of("invalid", "established", "related", "new", "", "", "untracked");

    /** enum ip_conntrack_status bits as {@code ct status} names them (bit n = entry n). */
    public static final List<String> CT_STATUS = List.of("expected", "seen-reply", "assured", "confirmed", "snat", "dnat", "", "", "", "dying");

    /** RTN_* route types as {@code fib ... type} compares them. */
    public static final List<String> RTN = List.of("unspec", "unicast", "local", "broadcast", "anycast", "multicast",
            "blackhole", "unreachable", "prohibit");

    public static OptionalInt l4proto(String name) {
        Integer n = L4.get(name);
        return n == null ? OptionalInt.empty() : OptionalInt.of(n);
    }

    public static Optional<String> l4protoName(int n) {
        return L4.entrySet().stream().filter(e -> e.getValue() == n).map(Map.Entry::getKey).findFirst();
    }

    public static OptionalInt nfproto(String name) {
        Integer n = NFPROTO.get(name);
        return n == null ? OptionalInt.empty() : OptionalInt.of(n);
    }

    public static Optional<String> nfprotoName(int n) {
        return NFPROTO.entrySet().stream().filter(e -> e.getValue() == n).map(Map.Entry::getKey).findFirst();
    }

    public static OptionalInt ctStateBit(String name) {
        int i = name.isEmpty() ? -1 : CT_STATE.indexOf(name);
        return i < 0 ? OptionalInt.empty() : OptionalInt.of(1 << i);
    }

    public static OptionalInt ctStatusBit(String name) {
        int i = name.isEmpty() ? -1 : CT_STATUS.indexOf(name);
        return i < 0 ? OptionalInt.empty() : OptionalInt.of(1 << i);
    }

    /** The names of the bits set in {@code mask}, in bit order; empty if a bit has no name. */
    public static Optional<List<String>> bitNames(List<String> names, int mask) {
        List<String> out = new ArrayList<>();
        for (int b = 0; b < 32; b++) {
            if ((mask & (1 << b)) == 0) continue;
            if (b >= names.size() || names.get(b).isEmpty()) return Optional.empty();
            out.add(names.get(b));
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(out);
    }

    public static OptionalInt rtn(String name) {
        int i = RTN.indexOf(name);
        return i < 0 ? OptionalInt.empty() : OptionalInt.of(i);
    }
}
