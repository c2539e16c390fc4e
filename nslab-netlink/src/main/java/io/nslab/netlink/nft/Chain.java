package io.nslab.netlink.nft;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A chain as listed: its handle, its base-chain properties if it is a base
 * chain of a kind this model types (ip/ip6/inet hooks), and its rules in order.
 */
public record Chain(ChainRef ref, long handle, Optional<BaseChain> base, List<ListedRule> rules) {
    public Chain {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(base, "base");
        rules = List.copyOf(rules);
    }

    /** The rules' contents, without handles. */
    public List<Rule> ruleContents() {
        return rules.stream().map(ListedRule::rule).toList();
    }
}
