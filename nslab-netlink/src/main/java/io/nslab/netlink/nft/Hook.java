package io.nslab.netlink.nft;

/** Netfilter hooks a base chain of the ip/ip6/inet families can attach to. */
public enum Hook {
    PREROUTING("prerouting"), INPUT("input"), FORWARD("forward"), OUTPUT("output"), POSTROUTING("postrouting");

    private final String nft;

    Hook(String nft) { this.nft = nft; }

    public String nft() { return nft; }

    public static Hook parse(String s) {
        for (Hook h : values()) if (h.nft.equals(s)) return h;
        throw new IllegalArgumentException("unsupported hook: " + s);
    }
}
