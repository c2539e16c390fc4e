package io.nslab.netlink.nft;

import io.nslab.netlink.Errno;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The kernel options a command needs beyond nf_tables itself, named when the
 * kernel refuses it with an errno that can mean "not built" (ENOENT: no such
 * expression or chain type; EOPNOTSUPP: not for this family).
 */
final class KernelOptions {
    private KernelOptions() {}

    static Optional<String> of(Command c, int errno) {
        if (errno != Errno.ENOENT && errno != Errno.EOPNOTSUPP) return Optional.empty();
        Set<String> out = new LinkedHashSet<>();
        Family f = c.table().family();
        switch (c) {
            case Command.AddChain a when a.base().isPresent() -> {
                if (a.base().get().type() == ChainType.NAT) out.add("CONFIG_NFT_NAT");
                out.add(switch (f) {
                    case IP -> "CONFIG_NF_TABLES_IPV4";
                    case IP6 -> "CONFIG_NF_TABLES_IPV6";
                    default -> "CONFIG_NF_TABLES_INET";
                });
            }
            case Command.AddRule r -> {
                for (Expr e : r.rule().exprs()) {
                    switch (e) {
                        case Expr.Masquerade _ -> out.add("CONFIG_NFT_MASQ");
                        case Expr.Snat _, Expr.Dnat _, Expr.DnatMap _ -> out.add("CONFIG_NFT_NAT");
                        case Expr.Match m when m.left() instanceof Expr.Ct -> out.add("CONFIG_NFT_CT");
                        case Expr.Match m when m.left() instanceof Expr.Fib -> out.add(switch (f) {
                            case IP -> "CONFIG_NFT_FIB_IPV4";
                            case IP6 -> "CONFIG_NFT_FIB_IPV6";
                            default -> "CONFIG_NFT_FIB_INET";
                        });
                        default -> { }
                    }
                }
                if (errno == Errno.EOPNOTSUPP && f == Family.IP6 && out.contains("CONFIG_NFT_NAT")) out.add("CONFIG_NF_NAT (IPv6)");
            }
            default -> { }
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", out));
    }
}
