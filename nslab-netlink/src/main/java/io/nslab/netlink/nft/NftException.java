package io.nslab.netlink.nft;

import io.nslab.netlink.ErrnoException;

import java.util.Optional;

/**
 * The kernel refused an nftables change or listing. Carries the errno and the
 * kernel's extended-ACK text like every {@link ErrnoException}, the command
 * that was refused, and, when the errno can mean a missing kernel feature,
 * the CONFIG_ options that provide what the command needs.
 */
public class NftException extends ErrnoException {
    private final Optional<String> kernelOptions;

    public NftException(ErrnoException cause, Optional<String> kernelOptions) {
        super(cause.call(), cause.errno(), join(cause.detail(), kernelOptions));
        this.kernelOptions = kernelOptions;
        initCause(cause);
    }

    private static String join(Optional<String> detail, Optional<String> options) {
        String opt = options.map(o -> "needs kernel support: " + o).orElse(null);
        if (detail.isEmpty()) return opt;
        return opt == null ? detail.get() : detail.get() + "; " + opt;
    }

    /** e.g. {@code CONFIG_NFT_NAT, CONFIG_NFT_FIB_IPV4}: what the refused command needs, when the errno can mean it is missing. */
    public Optional<String> kernelOptions() {
        return kernelOptions;
    }
}
