package io.nslab.netlink.route;

import io.nslab.netlink.ErrnoException;

/**
 * The kernel refused a link kind it does not have ("Unknown device type",
 * EOPNOTSUPP): the message names the kernel option that would provide it,
 * e.g. {@code link add v100: kernel lacks 802.1Q VLAN support (CONFIG_VLAN_8021Q)}.
 */
public final class LinkKindMissingException extends ErrnoException {
    private final String kind;
    private final LinkKind.KernelOption option;

    public LinkKindMissingException(String what, String kind, LinkKind.KernelOption option, int errno, String detail) {
        super(what, errno, detail);
        this.kind = kind;
        this.option = option;
    }

    public String kind() { return kind; }
    public LinkKind.KernelOption option() { return option; }

    @Override public String getMessage() {
        return call() + ": kernel lacks " + option.feature() + " support (" + option.config() + ")";
    }
}
