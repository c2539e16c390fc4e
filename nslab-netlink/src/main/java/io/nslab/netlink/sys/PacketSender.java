package io.nslab.netlink.sys;

import io.nslab.netlink.ErrnoException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Optional;
import java.util.OptionalInt;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A send-only AF_PACKET socket of the network namespace of the thread that opened it: whole Ethernet frames
 * (header included, {@code SOCK_RAW}) out of an interface chosen per frame, as packet(7) describes.
 *
 * <p>The socket is made with protocol 0, so the kernel queues nothing to it (packet(7): "If protocol is set to
 * zero, no packets are received"): a sender that never reads must not collect every ARP frame of a busy segment.
 * Each {@code sendto} names the protocol instead, in the {@code struct sockaddr_ll} of {@code linux/if_packet.h}
 * (the layout is {@link PacketRing#SOCKADDR_LL}):
 *
 * <pre>
 *  0  sll_family   u16 host order   AF_PACKET (17)
 *  2  sll_protocol be16             e.g. ETH_P_ARP 0x0806 (linux/if_ether.h)
 *  4  sll_ifindex  s32              the interface to send on
 *  8  sll_hatype   u16              0 (ignored on send)
 * 10  sll_pkttype  u8               0 (ignored on send)
 * 11  sll_halen    u8               6 (ETH_ALEN)
 * 12  sll_addr     u8[8]            the destination MAC, padded with zeros
 * </pre>
 */
public final class PacketSender implements AutoCloseable {
    /** linux/if_ether.h. */
    public static final int ETH_P_ARP = 0x0806, ETH_ALEN = 6, ETH_HLEN = 14;

    private static final long FAMILY = PacketRing.SOCKADDR_LL.byteOffset(groupElement("sll_family"));
    private static final long PROTOCOL = PacketRing.SOCKADDR_LL.byteOffset(groupElement("sll_protocol"));
    private static final long IFINDEX = PacketRing.SOCKADDR_LL.byteOffset(groupElement("sll_ifindex"));
    private static final long HALEN = PacketRing.SOCKADDR_LL.byteOffset(groupElement("sll_halen"));
    private static final long ADDR = PacketRing.SOCKADDR_LL.byteOffset(groupElement("sll_addr"));

    private final Fd fd;
    // automatic: the sender may be closed on another thread than the one that sent (see close)
    private final MemorySegment addr = Arena.ofAuto().allocate(PacketRing.SOCKADDR_LL), buf = Arena.ofAuto().allocate(2048);

    private PacketSender(Fd fd) {
        this.fd = fd;
    }

    /**
     * Opens the socket in this thread's namespace ({@code CAP_NET_RAW} there). The socket stays in that namespace
     * whichever thread uses it, but one thread at a time.
     */
    public static PacketSender open() throws ErrnoException {
        return new PacketSender(new Fd(LibC.socket(LibC.AF_PACKET, LibC.SOCK_RAW, 0)));
    }

    /** The index of link {@code name} in the socket's namespace (ioctl, no netlink round trip); empty if none. */
    public OptionalInt index(String name) throws ErrnoException {
        return LibC.ifIndex(fd.get(), name);
    }

    /** The Ethernet MAC of link {@code name} in the socket's namespace (ioctl); empty if none or not Ethernet. */
    public Optional<byte[]> ethernetAddress(String name) throws ErrnoException {
        return LibC.ethernetAddress(fd.get(), name);
    }

    /**
     * Sends one whole Ethernet frame ({@code frame[0..6]} is its destination MAC) with EtherType {@code protocol}
     * out of interface {@code ifindex}. ENOBUFS and the like come back as {@link ErrnoException}.
     */
    public void send(int ifindex, int protocol, byte[] frame) throws ErrnoException {
        if (frame.length < ETH_HLEN || frame.length > buf.byteSize()) throw new IllegalArgumentException("frame of " + frame.length + " bytes");
        addr.fill((byte) 0);
        addr.set(JAVA_SHORT, FAMILY, (short) LibC.AF_PACKET);
        addr.set(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), PROTOCOL, (short) protocol);
        addr.set(JAVA_INT, IFINDEX, ifindex);
        addr.set(JAVA_BYTE, HALEN, (byte) ETH_ALEN);
        MemorySegment.copy(frame, 0, addr, JAVA_BYTE, ADDR, ETH_ALEN);
        MemorySegment.copy(frame, 0, buf, JAVA_BYTE, 0, frame.length);
        LibC.sendto(fd.get(), buf, frame.length, 0, addr);
    }

    /**
     * Closes the socket. This blocks for an RCU grace period (net/packet/af_packet.c {@code packet_release} ends in
     * {@code synchronize_net()}): milliseconds, more on a busy machine. A caller closing many senders should close
     * them on several threads at once, whose waits then share grace periods.
     */
    @Override public void close() {
        fd.close();
    }
}
