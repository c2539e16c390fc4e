package io.nslab.netlink.nft;

/** A base chain's default verdict. */
public enum Policy {
    ACCEPT("accept"), DROP("drop");

    private final String nft;

    Policy(String nft) { this.nft = nft; }

    public String nft() { return nft; }

    public static Policy parse(String s) {
        for (Policy p : values()) if (p.nft.equals(s)) return p;
        throw new IllegalArgumentException("unknown chain policy: " + s);
    }
}
