package io.nslab.cli.out;

/** One tun/tap device as {@code ip tuntap show} lists it: tun_flags (IFF_*), owner and group (-1 = none). */
public record TunView(String ifname, long flags, long owner, long group) {}
