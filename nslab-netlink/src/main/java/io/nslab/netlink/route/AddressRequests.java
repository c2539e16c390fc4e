package io.nslab.netlink.route;

import io.nslab.netlink.NlRequest;
import io.nslab.netlink.wire.NlWriter;

import java.util.OptionalInt;

import static io.nslab.netlink.route.RtConst.*;
import static io.nslab.netlink.wire.Netlink.*;

/**
 * Pure builders of address requests, byte-compatible with iproute2 (see the
 * addr-* golden fixtures). No I/O: feed them to {@code NlSocket.execute} or
 * pipeline many with {@code executeAll}.
 */
public final class AddressRequests {
    private AddressRequests() {}

    /** {@code ip addr add}: RTM_NEWADDR, create, fail if it exists. */
    public static NlRequest add(AddressSpec s) {
        return new NlRequest(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, body(s, true), "addr add " + describe(s));
    }

    /** {@code ip addr replace}: RTM_NEWADDR, create or update (lifetimes, flags...). */
    public static NlRequest replace(AddressSpec s) {
        return new NlRequest(RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, body(s, true), "addr replace " + describe(s));
    }

    /** {@code ip addr del}: RTM_DELADDR. */
    public static NlRequest del(AddressSpec s) {
        return new NlRequest(RTM_DELADDR, 0, body(s, false), "addr del " + describe(s));
    }

    /** Deletes an address as the kernel reported it (from a dump or an event). */
    public static NlRequest del(Address a) {
        NlWriter w = new NlWriter(64);
        w.u8(a.family()).u8(a.prefixLength()).u8(0).u8(0).u32(a.index());
        a.local().ifPresent(x -> w.attrIp(IFA_LOCAL, x));
        a.address().ifPresent(x -> w.attrIp(IFA_ADDRESS, x));
        return new NlRequest(RTM_DELADDR, 0, w.toByteArray(), "addr del " + a.prefix() + " dev #" + a.index());
    }

    /** {@code ip addr show}: RTM_GETADDR dump of every family and device. */
    public static NlRequest dump() {
        return dump(AddressFamily.UNSPEC, OptionalInt.empty());
    }

    /**
     * RTM_GETADDR dump filtered by the kernel (strict checking): {@code family}
     * ({@link AddressFamily#UNSPEC} = all) and, when given, one device.
     */
    public static NlRequest dump(int family, OptionalInt index) {
        NlWriter w = new NlWriter(8);
        w.u8(family).u8(0).u8(0).u8(0).u32(index.orElse(0));
        return new NlRequest(RTM_GETADDR, 0, w.toByteArray(), "addr show" + index.stream().mapToObj(i -> " dev #" + i).findFirst().orElse(""));
    }

    static String describe(AddressSpec s) {
        return s.local() + " " + s.deviceText();
    }

    /** ifaddrmsg + attributes in iproute2's order: LOCAL, LABEL, ADDRESS, BROADCAST, FLAGS, CACHEINFO, RT_PRIORITY. */
    private static byte[] body(AddressSpec s, boolean add) {
        int index = s.index().orElseThrow(() -> new IllegalArgumentException(
                "addr " + describe(s) + ": device not resolved to an index (use Addresses, which looks it up)"));
        IpPrefix p = s.local();
        NlWriter w = new NlWriter(96);
        // iproute2 puts flags that fit in 8 bits in the header, wider ones in IFA_FLAGS
        int hflags = s.flags() <= 0xff ? s.flags() : 0;
        w.u8(p.family()).u8(p.length()).u8(hflags).u8(add ? s.effectiveScope() : s.scope().orElse(0)).u32(index);
        w.attrIp(IFA_LOCAL, p.address());
        s.label().ifPresent(l -> w.attrString(IFA_LABEL, l));
        w.attrIp(IFA_ADDRESS, s.peer().orElse(p.address()));
        s.effectiveBroadcast().ifPresent(b -> w.attrIp(IFA_BROADCAST, b));
        if (s.flags() > 0xff) w.attrU32(IFA_FLAGS, s.flags());
        if (s.validLifetime().isPresent()) {
            NlWriter ci = new NlWriter(16);
            ci.u32((int) s.preferredLifetime().getAsLong()).u32((int) s.validLifetime().getAsLong()).u32(0).u32(0);
            w.attr(IFA_CACHEINFO, ci.toByteArray());
        }
        s.metric().ifPresent(m -> w.attrU32(IFA_RT_PRIORITY, m));
        return w.toByteArray();
    }
}
