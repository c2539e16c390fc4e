package io.nslab.cli.run;

import io.nslab.cli.CliException;
import io.nslab.cli.ip.IpCommand.*;
import io.nslab.cli.ip.Inet;
import io.nslab.cli.out.AddrView;
import io.nslab.netlink.Addresses;
import io.nslab.netlink.NlRequest;
import io.nslab.netlink.route.Address;
import io.nslab.netlink.route.AddressFamily;
import io.nslab.netlink.route.AddressRequests;
import io.nslab.netlink.route.AddressSpec;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.RouteNames;
import io.nslab.netlink.ErrnoException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static io.nslab.netlink.route.RtConst.*;

/** {@code addr add/del/replace/show/flush}. */
final class AddrOps {
    private AddrOps() {}

    static Planned plan(AddrChange c, NsSession s) throws CliException {
        int idx = Kernel.index(s, c.dev(), c.text());
        AddressSpec spec = AddressSpec.of(idx, c.local());
        if (c.peer().isPresent()) spec = spec.withPeer(c.peer().get().address());
        if (c.broadcast().isPresent()) {
            String b = c.broadcast().get();
            if (b.equals("+")) spec = spec.withComputedBroadcast();
            else if (!b.equals("-")) spec = spec.withBroadcast(Inet.parse(b).orElseThrow());
        }
        if (c.label().isPresent()) spec = spec.withLabel(c.label().get());
        if (c.scope().isPresent()) spec = spec.withScope(RouteNames.parseScope(c.scope().get()).orElseThrow());
        if (c.flags() != 0) spec = spec.withFlags(c.flags());
        if (c.metric().isPresent()) spec = spec.withMetric(c.metric().getAsInt());
        if (c.validLft().isPresent()) spec = spec.withLifetimes(c.validLft().getAsLong(), c.preferredLft().orElseThrow());
        return Planned.of(c.text(), switch (c.op()) {
            case ADD -> AddressRequests.add(spec);
            case DEL -> AddressRequests.del(spec);
            case REPLACE, CHANGE -> AddressRequests.replace(spec);
        });
    }

    static void flush(AddrFlush c, NsSession s, OptionalInt globalFamily) throws CliException {
        int idx = Kernel.index(s, c.dev().orElseThrow(), c.text());
        int family = c.family().orElse(globalFamily.orElse(AddressFamily.UNSPEC));
        try {
            if (c.scope().isEmpty()) {
                s.rtnl().addresses().flush(idx, family);
                return;
            }
            // "scope S": only the addresses of that scope go (ip's example: scope global spares link-local ones)
            int scope = RouteNames.parseScope(c.scope().get()).orElseThrow();
            List<NlRequest> dels = new ArrayList<>();
            for (Address a : s.rtnl().addresses().dump(family, OptionalInt.of(idx))) {
                if (a.scope() == scope) dels.add(AddressRequests.del(a));
            }
            Kernel.executeAll(s, dels, c.text());
        } catch (ErrnoException e) {
            throw Kernel.error(c.text(), e);
        }
    }

    /** Addresses grouped by ifindex, in kernel order, filtered like ip. */
    static Map<Integer, List<AddrView>> views(NsSession s, int family, OptionalInt index, Optional<String> scope, String text) throws CliException {
        Map<Integer, List<AddrView>> out = new LinkedHashMap<>();
        try {
            for (Address a : s.rtnl().addresses().dump(family, index)) {
                AddrView v = view(a);
                if (scope.isPresent() && !scope.get().equals(v.scope())) continue;
                out.computeIfAbsent(a.index(), k -> new ArrayList<>()).add(v);
            }
        } catch (ErrnoException e) {
            throw Kernel.error(text, e);
        }
        return out;
    }

    static AddrView view(Address a) {
        IpPrefix p = a.prefix();
        String fam = a.family() == AddressFamily.INET ? "inet" : a.family() == AddressFamily.INET6 ? "inet6" : AddressFamily.name(a.family());
        Optional<String> peer = a.peer().map(Inet::format);
        List<String> flags = new ArrayList<>();
        if (a.has(IFA_F_SECONDARY)) flags.add(a.family() == AddressFamily.INET6 ? "temporary" : "secondary");
        if (!a.permanent()) flags.add("dynamic");
        if (a.has(IFA_F_NOPREFIXROUTE)) flags.add("noprefixroute");
        if (a.has(IFA_F_DEPRECATED)) flags.add("deprecated");
        if (a.has(IFA_F_DADFAILED)) flags.add("dadfailed");
        if (a.has(IFA_F_NODAD)) flags.add("nodad");
        if (a.tentative()) flags.add("tentative");
        return new AddrView(a.index(), fam, Inet.format(p.address()), p.length(), peer, a.broadcast().map(Inet::format),
                RouteNames.scope(a.scope()), a.family() == AddressFamily.INET ? a.label() : Optional.empty(), flags,
                a.validLifetime().orElse(Address.INFINITY), a.preferredLifetime().orElse(Address.INFINITY));
    }
}
