package io.nslab.netlink.nft;

import java.util.Locale;

/** An nftables address family, spelled as nft spells it. */
public enum Family {
    IP("ip"), IP6("ip6"), INET("inet"), ARP("arp"), BRIDGE("bridge"), NETDEV("netdev");

    private final String nft;

    Family(String nft) {
        this.nft = nft;
    }

    /** The family as nft and its JSON spell it: {@code ip}, {@code inet}, ... */
    public String nft() {
        return nft;
    }

    public static Family parse(String s) {
        for (Family f : values()) if (f.nft.equals(s.toLowerCase(Locale.ROOT))) return f;
        throw new IllegalArgumentException("unknown nftables family: " + s);
    }

    @Override
    public String toString() {
        return nft;
    }
}
