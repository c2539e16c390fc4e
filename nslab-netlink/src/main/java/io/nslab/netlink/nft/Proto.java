package io.nslab.netlink.nft;

import java.util.Locale;

/** Transport protocols with ports. */
public enum Proto {
    TCP("tcp", 6), UDP("udp", 17), SCTP("sctp", 132);

    private final String nft;
    private final int number;

    Proto(String nft, int number) {
        this.nft = nft;
        this.number = number;
    }

    public String nft() { return nft; }

    /** The IP protocol number (IPPROTO_*). */
    public int number() { return number; }

    public static Proto parse(String s) {
        for (Proto p : values()) if (p.nft.equals(s.toLowerCase(Locale.ROOT))) return p;
        throw new IllegalArgumentException("unknown transport protocol: " + s);
    }
}
