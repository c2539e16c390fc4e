package io.nslab.netlink.nft;

import java.util.Objects;

/** A rule as listed by the kernel: its handle (for deletion) and content. */
public record ListedRule(long handle, Rule rule) {
    public ListedRule {
        Objects.requireNonNull(rule, "rule");
    }
}
