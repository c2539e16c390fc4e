package io.nslab.net;

import io.nslab.netlink.Links;
import io.nslab.netlink.NlRequest;
import io.nslab.netlink.nft.Table;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.route.AddressRequests;
import io.nslab.netlink.route.LinkRequests;
import io.nslab.netlink.route.RouteRequests;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.nft.Conntrack;
import io.nslab.netlink.nft.ConntrackFlush;
import io.nslab.netlink.nft.Nft;
import io.nslab.netlink.nft.TableRef;
import io.nslab.netlink.nft.Transaction;
import io.nslab.netlink.route.AddressSpec;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.LinkChange;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkLayerAddress;
import io.nslab.netlink.route.LinkNetns;
import io.nslab.netlink.route.LinkRef;
import io.nslab.netlink.route.LinkSpec;
import io.nslab.netlink.route.RouteSpec;
import io.nslab.netlink.route.RtConst;
import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;
import io.nslab.state.Marker;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * {@link NetKernel} over nslab's own netlink library: rtnetlink for links,
 * addresses and routes, nf_tables and conntrack over NETLINK_NETFILTER, /proc/sys for sysctls. Every operation runs on a thread that
 * has entered the namespace concerned ({@link NetNs#call}); no process is
 * spawned.
 */
public final class NetlinkKernel implements NetKernel {
    private final Trace trace;

    public NetlinkKernel() {
        this(Trace.NONE);
    }

    /** With a {@link Trace} called before every request that changes the kernel (the kill test's moments). */
    NetlinkKernel(Trace trace) {
        this.trace = trace;
    }

    @FunctionalInterface
    private interface InNs<T> {
        T call() throws IOException;
    }

    private static <T> T in(Optional<String> ns, String what, InNs<T> work) throws NetException {
        try (NetNs h = ns.isPresent() ? NetNs.open(ns.get()) : NetNs.current()) {
            return h.call(work::call);
        } catch (IOException e) {
            throw new NetException(what + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean namespaceExists(String ns) {
        return NetNs.exists(ns);
    }

    @Override
    public boolean linkExists(Optional<String> ns, String name) throws NetException {
        if (ns.isPresent() && !NetNs.exists(ns.get())) return false;
        return in(ns, "link show " + name, () -> {
            try (Rtnl r = Rtnl.open()) {
                return r.links().get(name).isPresent();
            }
        });
    }

    @Override
    public void addBridge(Optional<String> ns, String bridge, IpPrefix gateway, Marker owner) throws NetException {
        in(ns, "bridge " + bridge, () -> {
            try (Rtnl r = Rtnl.open()) {
                Links links = r.links();
                // an explicit address: otherwise the bridge takes the lowest MAC of its ports and
                // changes it as containers come and go, leaving every container's ARP entry for
                // the gateway stale (seconds of lost traffic after a disconnect)
                trace.at("netlink: link add " + bridge + " type bridge");
                // the mark goes in the same sendmsg as the add, by an ifindex of nslab's choice (Marker.index):
                // the bridge never exists unmarked for a kill to leave, and a failed add marks nothing
                links.add(marked(LinkSpec.of(bridge, LinkKind.bridge()).withAddress(LinkLayerAddress.of(macFor(gateway.address()))), owner));
                trace.at("netlink: addr add dev " + bridge);
                r.addresses().add(addressSpec(bridge, gateway));
                trace.at("netlink: link set " + bridge + " up");
                links.set(bridge, LinkChange.up());
            }
            return null;
        });
    }

    @Override
    public void deleteLink(Optional<String> ns, String name, Marker owner) throws NetException {
        if (ns.isPresent() && !NetNs.exists(ns.get())) return;
        Optional<String> foreign = in(ns, "link del " + name, () -> {
            try (Rtnl r = Rtnl.open()) {
                trace.at("netlink: link del " + name + " if it carries " + owner.text());
                return deleteMarked(r, name, owner);
            }
        });
        if (foreign.isPresent())
            throw new NotOwnedException("link " + name + " in " + ns.map(n -> "netns " + n).orElse("the host namespace") + " does not carry nslab's mark "
                    + owner.text() + " (" + foreign.get() + "): it is not the link nslab made, so it was left alone; delete it yourself if it is");
    }

    /**
     * {@code spec} with {@code owner}'s mark: the alias, sent in the same
     * sendmsg as the add by an ifindex of nslab's choice ({@link Marker#index}),
     * so the link never exists unmarked for a kill to leave, and a failed add
     * (the name is someone else's) marks nothing.
     */
    public static LinkSpec marked(LinkSpec spec, Marker owner) {
        return spec.withAlias(owner.text()).withIndex(Marker.index());
    }

    /**
     * Deletes link {@code name} of the namespace {@code r} works in only while
     * it carries {@code owner}'s mark: ifindex, name and mark as one dump shows
     * them, deleted by that ifindex, never by name. Empty when it was deleted
     * or is gone already; otherwise what the link carries instead
     * ({@code alias '...'} or {@code no alias}), and it was left alone.
     */
    public static Optional<String> deleteMarked(Rtnl r, String name, Marker owner) throws IOException {
        return r.links().deleteIfAlias(name, owner::on).map(l -> Marker.carried(l.alias()));
    }

    @Override
    public void addVeth(Optional<String> hostNs, String bridge, String hostIf, String ns, String ifname,
                        IpPrefix address, InetAddress gateway, Marker owner) throws NetException {
        in(hostNs, "veth " + hostIf, () -> {
            try (Rtnl r = Rtnl.open()) {
                trace.at("netlink: link add " + hostIf + " type veth");
                r.links().add(marked(LinkSpec.of(hostIf, LinkKind.veth(ifname).withPeerNetns(LinkNetns.name(ns))
                                .withPeerAddress(LinkLayerAddress.of(macFor(address.address()))))
                        .withMaster(LinkRef.of(bridge)).withUp(true), owner));
                trace.at("netlink: hairpin on " + hostIf);
                r.links().set(hostIf, LinkChange.hairpin(true));
            }
            return null;
        });
        in(Optional.of(ns), "configure " + ifname + " in " + ns, () -> {
            try (Rtnl r = Rtnl.open()) {
                int index = r.links().get(ifname)
                        .orElseThrow(() -> new ErrnoException("link show " + ifname + " in " + ns, Errno.ENODEV)).index();
                // one pipelined batch (one sendmsg, the ACKs read after): the kernel runs them in order
                List<NlRequest> batch = List.of(
                        LinkRequests.set("lo", LinkChange.up()),
                        AddressRequests.add(addressSpec(index, ifname, address)),
                        LinkRequests.set(index, LinkChange.up()),
                        RouteRequests.add(RouteSpec.defaultRoute().via(gateway).dev(index)));
                trace.at("netlink: configure " + ifname + " in " + ns + " (lo up, addr, up, default route)");
                for (Optional<ErrnoException> e : r.socket().executeAll(batch)) if (e.isPresent()) throw e.get();
            }
            return null;
        });
    }

    /**
     * IPv6 addresses skip duplicate address detection (IFA_F_NODAD, as Docker
     * does): the IPAM already guarantees uniqueness, and a tentative address
     * makes the first seconds of a container's life fail with EADDRNOTAVAIL.
     */
    static AddressSpec addressSpec(String dev, IpPrefix a) {
        return nodad(AddressSpec.of(dev, a), a);
    }

    static AddressSpec addressSpec(int index, String dev, IpPrefix a) {
        return nodad(AddressSpec.of(index, a).withDevice(dev), a);
    }

    /** IPv6 addresses skip DAD: the store already guarantees they are unique on the network. */
    public static AddressSpec nodad(AddressSpec s, IpPrefix a) {
        return a.isIpv6() ? s.withFlags(RtConst.IFA_F_NODAD) : s;
    }

    /**
     * The container side's MAC, derived from its address as Docker does
     * ({@code 02:42} + the IPv4 address; the last four bytes for IPv6): an
     * address handed out again gets the same MAC, so neighbour caches of the
     * host and of the other containers never hold a stale one for it.
     */
    public static byte[] macFor(InetAddress a) {
        byte[] ip = a.getAddress();
        byte[] mac = {0x02, 0x42, 0, 0, 0, 0};
        System.arraycopy(ip, ip.length - 4, mac, 2, 4);
        return mac;
    }


    @Override
    public Optional<String> sysctl(Optional<String> ns, String key) throws NetException {
        try (NetNs h = ns.isPresent() ? NetNs.open(ns.get()) : NetNs.current()) {
            return Optional.of(h.sysctl(key).strip());
        } catch (IOException e) {
            return Optional.empty(); // absent key (e.g. IPv6 disabled): nothing to save or set
        }
    }

    @Override
    public void setSysctl(Optional<String> ns, String key, String value) throws NetException {
        try (NetNs h = ns.isPresent() ? NetNs.open(ns.get()) : NetNs.current()) {
            trace.at("sysctl " + key + "=" + value);
            h.sysctl(key, value);
        } catch (IOException e) {
            throw new NetException("sysctl " + key + "=" + value + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void nft(Optional<String> ns, Transaction tx) throws NetException {
        in(ns, "nftables", () -> {
            try (Nft nft = Nft.open()) {
                trace.at("netlink: nftables transaction");
                nft.applyQuiet(tx);
            }
            return null;
        });
    }

    @Override
    public boolean tableExists(Optional<String> ns, TableRef table) throws NetException {
        return in(ns, "nftables", () -> {
            try (Nft nft = Nft.open()) {
                return nft.tableExists(table);
            }
        });
    }

    @Override
    public Optional<Table> listTable(Optional<String> ns, TableRef table) throws NetException {
        if (ns.isPresent() && !NetNs.exists(ns.get())) return Optional.empty();
        return in(ns, "nftables", () -> {
            try (Nft nft = Nft.open()) {
                return nft.listTable(table);
            }
        });
    }

    @Override
    public void flushConntrack(Optional<String> ns, ConntrackFlush flush) throws NetException {
        in(ns, "conntrack", () -> {
            trace.at("netlink: conntrack delete");
            Conntrack.flush(flush);
            return null;
        });
    }
}
