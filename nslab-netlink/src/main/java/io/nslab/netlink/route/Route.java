package io.nslab.netlink.route;

import io.nslab.netlink.wire.Attrs;
import io.nslab.netlink.wire.DecodeException;
import io.nslab.netlink.wire.NlMessage;
import io.nslab.netlink.wire.NlWriter;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

import static io.nslab.netlink.route.RtConst.*;

/**
 * A route as the kernel reports it (struct rtmsg + RTA_*), from a dump, a
 * {@code route get} or an event. {@code table} is the real table id
 * (RTA_TABLE when present, so ids above 255 are right). The attributes are
 * kept whole in {@code attrs}.
 */
public record Route(int family, int dstLength, int srcLength, int tos, int table, int protocol, int scope, int type,
                    int flags, Optional<InetAddress> dst, Optional<InetAddress> src, Optional<InetAddress> gateway,
                    Optional<InetAddress> prefsrc, OptionalInt oif, OptionalInt iif, OptionalInt priority,
                    OptionalInt mark, List<RouteNextHop> multipath, Attrs attrs) {
    /** sizeof(struct rtmsg). */
    public static final int HEADER_LEN = 12;

    public Route {
        Objects.requireNonNull(dst);
        Objects.requireNonNull(src);
        Objects.requireNonNull(gateway);
        Objects.requireNonNull(prefsrc);
        Objects.requireNonNull(oif);
        Objects.requireNonNull(iif);
        Objects.requireNonNull(priority);
        Objects.requireNonNull(mark);
        multipath = List.copyOf(multipath);
        Objects.requireNonNull(attrs);
    }

    /** The destination prefix; {@code 0.0.0.0/0} or {@code ::/0} for a default route. */
    public IpPrefix destination() {
        InetAddress a = dst.orElseGet(() -> zero(family));
        return new IpPrefix(a, dstLength);
    }

    public boolean isDefault() { return dstLength == 0; }

    /** RTA_PRIORITY, which iproute2 calls metric. */
    public OptionalInt metric() { return priority; }

    /** The path MTU metric ({@code mtu N}), from RTA_METRICS. */
    public OptionalInt mtu() { return attrs.nested(RTA_METRICS).u32(RTAX_MTU); }

    /** Decodes an RTM_NEWROUTE / RTM_DELROUTE message. */
    public static Route decode(NlMessage m) {
        if (m.type() != RTM_NEWROUTE && m.type() != RTM_DELROUTE) {
            throw new DecodeException("message type " + m.type() + " is not a route message", 4);
        }
        return decodeBody(m.payload());
    }

    public static Route decodeBody(byte[] p) {
        if (p.length < HEADER_LEN) throw new DecodeException("route message shorter than rtmsg (" + p.length + " bytes)", 16);
        ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.nativeOrder());
        int family = b.get(0) & 0xff, dlen = b.get(1) & 0xff, slen = b.get(2) & 0xff, tos = b.get(3) & 0xff;
        int htable = b.get(4) & 0xff, proto = b.get(5) & 0xff, scope = b.get(6) & 0xff, type = b.get(7) & 0xff;
        int flags = b.getInt(8);
        Attrs a = Attrs.parse(p, HEADER_LEN, p.length - HEADER_LEN);
        List<RouteNextHop> hops = a.get(RTA_MULTIPATH).map(x -> nextHops(x.bytes())).orElse(List.of());
        return new Route(family, dlen, slen, tos, a.u32(RTA_TABLE).orElse(htable), proto, scope, type, flags,
                IpPrefix.attrAddress(a, RTA_DST), IpPrefix.attrAddress(a, RTA_SRC), IpPrefix.attrAddress(a, RTA_GATEWAY), IpPrefix.attrAddress(a, RTA_PREFSRC), a.u32(RTA_OIF), a.u32(RTA_IIF),
                a.u32(RTA_PRIORITY), a.u32(RTA_MARK), hops, a);
    }

    private static List<RouteNextHop> nextHops(byte[] v) {
        ByteBuffer b = ByteBuffer.wrap(v).order(ByteOrder.nativeOrder());
        List<RouteNextHop> out = new ArrayList<>();
        int p = 0;
        while (p + 8 <= v.length) {
            int len = b.getShort(p) & 0xffff;
            if (len < 8 || p + len > v.length) throw new DecodeException("rtnexthop length " + len + " overruns RTA_MULTIPATH", p);
            int flags = b.get(p + 2) & 0xff, hops = b.get(p + 3) & 0xff, index = b.getInt(p + 4);
            Attrs na = Attrs.parse(v, p + 8, len - 8);
            out.add(new RouteNextHop(flags, hops + 1, index, IpPrefix.attrAddress(na, RTA_GATEWAY), na));
            p += (len + 3) & ~3;
        }
        return out;
    }

    /** The message body (rtmsg + the kept attributes). */
    public byte[] encodeBody() {
        NlWriter w = new NlWriter(HEADER_LEN + 64);
        w.u8(family).u8(dstLength).u8(srcLength).u8(tos).u8(table < 256 ? table : RT_TABLE_COMPAT)
                .u8(protocol).u8(scope).u8(type).u32(flags);
        attrs.write(w);
        return w.toByteArray();
    }

    static InetAddress zero(int family) {
        try {
            return InetAddress.getByAddress(new byte[family == AddressFamily.INET6 ? 16 : 4]);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Like {@code ip route}: {@code 10.0.2.0/24 via 10.0.1.2 dev #3 proto static metric 100 table 100}. */
    @Override public String toString() {
        StringBuilder sb = new StringBuilder("Route[");
        if (type != RTN_UNICAST) sb.append(RouteNames.type(type)).append(' ');
        sb.append(isDefault() ? "default" : destination().toString());
        gateway.ifPresent(g -> sb.append(" via ").append(IpPrefix.text(g)));
        oif.ifPresent(i -> sb.append(" dev #").append(i));
        sb.append(" table ").append(RouteNames.table(table)).append(" proto ").append(RouteNames.protocol(protocol))
                .append(" scope ").append(RouteNames.scope(scope));
        prefsrc.ifPresent(s -> sb.append(" src ").append(IpPrefix.text(s)));
        priority.ifPresent(m -> sb.append(" metric ").append(Integer.toUnsignedString(m)));
        mtu().ifPresent(m -> sb.append(" mtu ").append(m));
        for (RouteNextHop h : multipath) {
            sb.append(" nexthop");
            h.gateway().ifPresent(g -> sb.append(" via ").append(IpPrefix.text(g)));
            sb.append(" dev #").append(h.index()).append(" weight ").append(h.weight());
        }
        return sb.append(']').toString();
    }
}
