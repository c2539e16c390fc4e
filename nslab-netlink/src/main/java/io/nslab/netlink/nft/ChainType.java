package io.nslab.netlink.nft;

/** The type of a base chain. */
public enum ChainType {
    FILTER("filter"), NAT("nat"), ROUTE("route");

    private final String nft;

    ChainType(String nft) { this.nft = nft; }

    public String nft() { return nft; }

    public static ChainType parse(String s) {
        for (ChainType t : values()) if (t.nft.equals(s)) return t;
        throw new IllegalArgumentException("unknown chain type: " + s);
    }
}
