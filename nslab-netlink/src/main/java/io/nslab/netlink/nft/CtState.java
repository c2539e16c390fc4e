package io.nslab.netlink.nft;

/** Conntrack states, as {@code ct state} matches them. */
public enum CtState {
    INVALID("invalid"), ESTABLISHED("established"), RELATED("related"), NEW("new"), UNTRACKED("untracked");

    private final String nft;

    CtState(String nft) { this.nft = nft; }

    public String nft() { return nft; }
}
