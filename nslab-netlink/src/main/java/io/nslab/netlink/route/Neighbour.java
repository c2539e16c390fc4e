package io.nslab.netlink.route;

import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.DecodeException;
import io.nslab.netlink.wire.NlMessage;
import io.nslab.netlink.wire.NlWriter;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

import static io.nslab.netlink.route.RtConst.*;

/**
 * A neighbour (ARP / NDP) entry as the kernel reports it (struct ndmsg +
 * NDA_*). {@code lladdr} is text ({@code 02:00:00:00:00:02}); {@code state}
 * holds NUD_* bits, {@code flags} NTF_* bits. Attributes are kept whole.
 */
public record Neighbour(int family, int index, int state, int flags, int type, Optional<InetAddress> dst,
                        Optional<String> lladdr, OptionalInt probes, Attrs attrs) {
    /** sizeof(struct ndmsg). */
    public static final int HEADER_LEN = 12;

    public Neighbour {
        Objects.requireNonNull(dst);
        Objects.requireNonNull(lladdr);
        Objects.requireNonNull(probes);
        Objects.requireNonNull(attrs);
    }

    /** iproute2's names of the state bits, e.g. {@code [REACHABLE]}. */
    public List<String> stateNames() { return NeighbourNames.states(state); }

    public boolean permanent() { return (state & NUD_PERMANENT) != 0; }
    public boolean router() { return (flags & NTF_ROUTER) != 0; }

    public static Neighbour decode(NlMessage m) {
        if (m.type() != RTM_NEWNEIGH && m.type() != RTM_DELNEIGH) {
            throw new DecodeException("message type " + m.type() + " is not a neighbour message", 4);
        }
        return decodeBody(m.payload());
    }

    public static Neighbour decodeBody(byte[] p) {
        if (p.length < HEADER_LEN) throw new DecodeException("neighbour message shorter than ndmsg (" + p.length + " bytes)", 16);
        ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.nativeOrder());
        int family = b.get(0) & 0xff, index = b.getInt(4), state = b.getShort(8) & 0xffff, flags = b.get(10) & 0xff, type = b.get(11) & 0xff;
        Attrs a = Attrs.parse(p, HEADER_LEN, p.length - HEADER_LEN);
        // NDA_FLAGS_EXT carries NTF_EXT_* bits above the u8 header field
        int ext = a.u32(NDA_FLAGS_EXT).orElse(0);
        return new Neighbour(family, index, state, flags | (ext << 8), type, IpPrefix.attrAddress(a, NDA_DST),
                a.bytes(NDA_LLADDR).map(NeighbourNames::lladdr), a.u32(NDA_PROBES), a);
    }

    public byte[] encodeBody() {
        NlWriter w = new NlWriter(HEADER_LEN + 48);
        w.u8(family).u8(0).u16(0).u32(index).u16(state).u8(flags & 0xff).u8(type);
        attrs.write(w);
        return w.toByteArray();
    }

    @Override public String toString() {
        return "Neighbour[" + dst.map(IpPrefix::text).orElse("-") + " dev #" + index + lladdr.map(l -> " lladdr " + l).orElse("")
                + (router() ? " router" : "") + " " + String.join(",", stateNames()) + "]";
    }
}
