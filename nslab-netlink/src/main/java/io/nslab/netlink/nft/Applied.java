package io.nslab.netlink.nft;

import java.util.List;

/**
 * What {@link Nft#apply} committed: the kernel handle of each rule added, in
 * the order of the transaction's {@link Command.AddRule} commands (handles are
 * what {@link Command.DeleteRule} needs later).
 */
public record Applied(List<Long> ruleHandles) {
    public Applied {
        ruleHandles = List.copyOf(ruleHandles);
    }
}
