package io.nslab.netlink.packet;

/**
 * The kernel's counts for a capture socket (PACKET_STATISTICS), since it was
 * opened: packets that passed the filter ({@code received}, drops included,
 * as tcpdump's "received by filter") and those dropped because the ring was
 * full. Packets the filter rejected are counted nowhere: they never reach the
 * socket.
 */
public record CaptureStats(long received, long dropped) {}
