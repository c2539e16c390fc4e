package io.nslab.cli.run;

import io.nslab.cli.ip.RouteFilter;
import io.nslab.cli.ip.RouteFilter.Sel;
import io.nslab.cli.out.RouteView;
import io.nslab.netlink.route.Route;

import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static io.nslab.netlink.route.RtConst.RTM_F_CLONED;

/**
 * Which routes {@code route show|flush} selects and which fields it then leaves out, as ip's filter_nlmsg
 * and print_route decide: scripts count the lines. {@code dev}/{@code iif} are the selectors' devices
 * resolved to indexes.
 */
final class RouteSelection {
    private RouteSelection() {}

    static boolean selects(RouteFilter f, Route r, OptionalInt dev, OptionalInt iif) {
        if (f.cache() == ((r.flags() & RTM_F_CLONED) == 0)) return false;
        if (f.table().isPresent() && f.table().getAsInt() != r.table()) return false;
        if (f.protocol().isPresent() && f.protocol().getAsInt() != r.protocol()) return false;
        if (f.scope().isPresent() && f.scope().getAsInt() != r.scope()) return false;
        if (f.type().isPresent() && f.type().getAsInt() != r.type()) return false;
        // root: the route lies within the prefix; match: the route covers it; exact (a bare prefix): both
        if (f.root().isPresent() && !within(f.root().get(), r.family(), r.dstLength(), r.dst())) return false;
        if (f.match().isPresent() && !covers(f.match().get(), r.family(), r.dstLength(), r.dst())) return false;
        if (f.fromRoot().isPresent() && !within(f.fromRoot().get(), r.family(), r.srcLength(), r.src())) return false;
        if (f.fromMatch().isPresent() && !covers(f.fromMatch().get(), r.family(), r.srcLength(), r.src())) return false;
        if (f.via().isPresent() && !equalOn(f.via().get(), r.family(), r.gateway())) return false;
        if (f.src().isPresent() && !equalOn(f.src().get(), r.family(), r.prefsrc())) return false;
        if (iif.isPresent() && r.iif().orElse(0) != iif.getAsInt()) return false;
        if (dev.isPresent() && r.oif().orElse(0) != dev.getAsInt()) return false;
        return f.metric().isEmpty() || f.metric().getAsLong() == Integer.toUnsignedLong(r.priority().orElse(0));
    }

    private static boolean within(Sel s, int family, int len, Optional<InetAddress> a) {
        if (s.family() != 0 && s.family() != family) return false;
        if ((s.family() != 0 || s.lengthGiven()) && s.bits() > len) return false;
        if (s.family() == 0 && !s.lengthGiven()) return true;
        return s.sameBits(bytes(a), s.bits());
    }

    private static boolean covers(Sel s, int family, int len, Optional<InetAddress> a) {
        if (s.family() != 0 && s.family() != family) return false;
        if ((s.family() != 0 || s.lengthGiven()) && s.bits() < len) return false;
        if (s.family() == 0 && !s.lengthGiven()) return true;
        return s.sameBits(bytes(a), len);
    }

    private static boolean equalOn(Sel s, int family, Optional<InetAddress> a) {
        if (s.family() == 0) return true;
        return s.family() == family && s.sameBits(bytes(a), s.bits());
    }

    private static byte[] bytes(Optional<InetAddress> a) {
        return a.map(InetAddress::getAddress).orElse(new byte[16]);
    }

    /** The listing without what the selectors fixed, as ip prints it (and ip -j lists it). */
    static RouteView hide(RouteFilter f, RouteView v, int family) {
        int host = family == 2 ? 32 : 128;
        boolean fullVia = f.via().map(s -> s.bits() == host).orElse(false);
        boolean fullSrc = f.src().map(s -> s.bits() == host).orElse(false);
        return new RouteView(v.type(), v.dst(), v.from(), fullVia ? Optional.empty() : v.gateway(),
                f.dev().isPresent() ? Optional.empty() : v.dev(), f.protocol().isPresent() ? Optional.empty() : v.protocol(),
                f.scope().isPresent() ? Optional.empty() : v.scope(), fullSrc ? Optional.empty() : v.prefsrc(),
                f.metric().isPresent() ? OptionalLong.empty() : v.metric(), v.table(), v.flags(), v.uid(), v.cache(),
                v.mtu(), v.pref());
    }
}
