package io.nslab.netlink.tc;

import io.nslab.netlink.ErrnoException;

/**
 * The kernel refused a qdisc kind it does not have ("Specified qdisc kind is unknown.",
 * ENOENT): the message names the option that builds it, e.g.
 * {@code qdisc add dev v0 root netem: kernel lacks the netem qdisc (CONFIG_NET_SCH_NETEM)}.
 */
public final class QdiscKindMissingException extends ErrnoException {
    private final String kind;
    private final String config;

    public QdiscKindMissingException(String what, String kind, String config, int errno, String detail) {
        super(what, errno, detail);
        this.kind = kind;
        this.config = config;
    }

    public String kind() { return kind; }
    public String config() { return config; }

    @Override public String getMessage() {
        return call() + ": kernel lacks the " + kind + " qdisc (" + config + ")";
    }
}
