package io.nslab.netlink.packet;

/** pcap/pcapng link types (LINKTYPE_*, tcpdump's DLT_*) nslab writes. */
public enum LinkType {
    /** LINKTYPE_ETHERNET: Ethernet (veth, bridge, tap, loopback). */
    ETHERNET(1),
    /** LINKTYPE_RAW: a bare IPv4/IPv6 packet (tun). */
    RAW(101);

    private final int code;

    LinkType(int code) { this.code = code; }

    /** The value in the pcapng interface description block. */
    public int code() { return code; }
}
