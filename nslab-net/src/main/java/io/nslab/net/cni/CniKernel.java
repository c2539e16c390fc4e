package io.nslab.net.cni;

import io.nslab.net.NetlinkKernel;
import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.NlRequest;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.nft.Nft;
import io.nslab.netlink.nft.Transaction;
import io.nslab.netlink.route.Address;
import io.nslab.netlink.route.AddressFamily;
import io.nslab.netlink.route.AddressRequests;
import io.nslab.netlink.route.AddressSpec;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.Link;
import io.nslab.netlink.route.LinkChange;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkLayerAddress;
import io.nslab.netlink.route.LinkNetns;
import io.nslab.netlink.route.LinkRef;
import io.nslab.netlink.route.LinkRequests;
import io.nslab.netlink.route.LinkSpec;
import io.nslab.netlink.route.Route;
import io.nslab.netlink.route.RouteRequests;
import io.nslab.netlink.route.RouteSpec;
import io.nslab.netlink.route.RtConst;
import io.nslab.state.Marker;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The kernel steps of the CNI plugin, each run on the thread of the namespace
 * concerned (the host's, where the bridge is, or the container's, opened by
 * the path the runtime gave). Over nslab's netlink library; nothing spawned.
 */
final class CniKernel {
    private CniKernel() {}

    @FunctionalInterface
    interface Rt<T> {
        T run(Rtnl r) throws IOException;
    }

    static <T> T rtnl(NetNs ns, Rt<T> work) throws IOException {
        return ns.call(() -> {
            try (Rtnl r = Rtnl.open()) {
                return work.run(r);
            }
        });
    }

    static Optional<Link> link(NetNs ns, String name) throws IOException {
        return rtnl(ns, r -> r.links().get(name));
    }

    /**
     * Creates the bridge (with its MAC fixed, so ports coming and going never
     * change it) marked as {@code owner}'s; true if made now. A bridge that is
     * there already is used as it is, mark or not.
     */
    static boolean ensureBridge(NetNs host, String bridge, OptionalInt mtu, boolean promisc, byte[] mac, Marker owner) throws IOException {
        return rtnl(host, r -> {
            Optional<Link> l = r.links().get(bridge);
            if (l.isPresent()) {
                if (l.get().kind().isPresent() && !(l.get().kind().get() instanceof LinkKind.Bridge))
                    throw new ErrnoException("interface " + bridge + " exists and is not a bridge", Errno.EEXIST);
                if (!l.get().isUp()) r.links().set(bridge, LinkChange.up());
                return false;
            }
            LinkSpec s = NetlinkKernel.marked(LinkSpec.of(bridge, LinkKind.bridge()).withAddress(LinkLayerAddress.of(mac)).withUp(true), owner);
            if (mtu.isPresent()) s = s.withMtu(mtu.getAsInt());
            r.links().add(s);
            if (promisc) r.links().set(bridge, LinkChange.promisc(true));
            return true;
        });
    }

    /** Adds the gateway addresses the bridge lacks; returns those added. */
    static List<IpPrefix> addGateways(NetNs host, String bridge, List<IpPrefix> gateways) throws IOException {
        return rtnl(host, r -> {
            List<IpPrefix> have = r.addresses().list(bridge).stream().map(Address::prefix).toList();
            List<IpPrefix> added = new ArrayList<>();
            for (IpPrefix g : gateways) {
                if (have.contains(g) || added.contains(g)) continue;
                r.addresses().add(NetlinkKernel.nodad(AddressSpec.of(bridge, g), g));
                added.add(g);
            }
            return added;
        });
    }

    /**
     * The veth pair: host side on the bridge, up, marked as {@code owner}'s;
     * the other end named {@code ifname} in the container, with {@code mac}.
     */
    static void addVeth(NetNs host, NetNs container, String bridge, String hostIf, String ifname, OptionalInt mtu,
                        boolean hairpin, byte[] mac, Marker owner) throws IOException {
        rtnl(host, r -> {
            LinkSpec s = NetlinkKernel.marked(LinkSpec.of(hostIf, LinkKind.veth(ifname).withPeerNetns(LinkNetns.fd(container.fd()))
                    .withPeerAddress(LinkLayerAddress.of(mac))).withMaster(LinkRef.of(bridge)).withUp(true), owner);
            if (mtu.isPresent()) s = s.withMtu(mtu.getAsInt());
            r.links().add(s);
            if (hairpin) r.links().set(hostIf, LinkChange.hairpin(true));
            return null;
        });
    }

    /** Inside the container: the MTU, addresses, up, then the routes, as one pipelined batch. */
    static void configure(NetNs container, String ifname, OptionalInt mtu, List<IpPrefix> addresses, List<RouteSpec> routes)
            throws IOException {
        rtnl(container, r -> {
            int index = r.links().get(ifname).orElseThrow(() -> new ErrnoException("link " + ifname + " in the container", Errno.ENODEV)).index();
            List<NlRequest> batch = new ArrayList<>();
            if (mtu.isPresent()) batch.add(LinkRequests.set(index, LinkChange.mtu(mtu.getAsInt())));
            for (IpPrefix a : addresses) batch.add(AddressRequests.add(NetlinkKernel.nodad(AddressSpec.of(index, a).withDevice(ifname), a)));
            batch.add(LinkRequests.set(index, LinkChange.up()));
            for (RouteSpec rs : routes) batch.add(RouteRequests.add(rs.dev(index)));
            for (Optional<ErrnoException> e : r.socket().executeAll(batch)) if (e.isPresent()) throw e.get();
            return null;
        });
    }

    /**
     * Deletes a link the plugin made outside the container (the bridge, a
     * host-side veth end) only while it carries {@code owner}'s mark. Empty
     * when deleted or gone already; otherwise what the link carries instead,
     * and it was left alone (see {@link NetlinkKernel#deleteMarked}).
     */
    static Optional<String> deleteMarked(NetNs ns, String name, Marker owner) throws IOException {
        return rtnl(ns, r -> NetlinkKernel.deleteMarked(r, name, owner));
    }

    /** Deletes a link in the container (checked by the caller); nothing if it is gone already. */
    static void deleteLink(NetNs ns, String name) throws IOException {
        rtnl(ns, r -> {
            try {
                r.links().delete(name);
            } catch (ErrnoException e) {
                if (!e.is(Errno.ENODEV)) throw e;
            }
            return null;
        });
    }

    static void deleteAddresses(NetNs ns, String dev, List<IpPrefix> addrs) throws IOException {
        rtnl(ns, r -> {
            for (IpPrefix a : addrs) {
                try {
                    r.addresses().del(dev, a);
                } catch (ErrnoException e) {
                    if (!e.is(Errno.EADDRNOTAVAIL, Errno.ENODEV)) throw e;
                }
            }
            return null;
        });
    }

    static void nft(NetNs ns, Transaction tx) throws IOException {
        if (tx.isEmpty()) return;
        ns.call(() -> {
            try (Nft nft = Nft.open()) {
                nft.applyQuiet(tx);
            }
            return null;
        });
    }

    /** Sets a sysctl to 1 when it is not (forwarding); absent keys (IPv6 off) are left alone. */
    static void enable(NetNs ns, String key) throws IOException {
        String v;
        try {
            v = ns.sysctl(key).strip();
        } catch (IOException e) {
            return;
        }
        if (!v.equals("1")) ns.sysctl(key, "1");
    }

    /** What CHECK compares: the interface's MAC, its addresses and the routes through it. */
    record Observed(String mac, List<IpPrefix> addresses, List<Route> routes, int index) {}

    static Optional<Observed> observe(NetNs container, String ifname) throws IOException {
        return rtnl(container, r -> {
            Optional<Link> l = r.links().get(ifname);
            if (l.isEmpty()) return Optional.empty();
            int index = l.get().index();
            List<IpPrefix> addrs = r.addresses().list(index).stream().map(Address::prefix).toList();
            List<Route> routes = new ArrayList<>();
            for (int fam : List.of(AddressFamily.INET, AddressFamily.INET6))
                for (Route rt : r.routes().dump(fam)) if (rt.oif().orElse(-1) == index) routes.add(rt);
            return Optional.of(new Observed(l.get().address().map(Object::toString).orElse(""), addrs, routes, index));
        });
    }



    static RouteSpec route(IpPrefix dst, Optional<InetAddress> via) {
        RouteSpec s = dst.isDefault() ? RouteSpec.defaultRoute(dst.family()) : RouteSpec.to(dst);
        return via.isPresent() ? s.via(via.get()) : s;
    }
}
