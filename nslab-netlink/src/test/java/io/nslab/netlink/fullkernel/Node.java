package io.nslab.netlink.fullkernel;

import io.nslab.netlink.Addresses;
import io.nslab.netlink.Links;
import io.nslab.netlink.Routes;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.route.LinkChange;
import io.nslab.netlink.route.LinkNetns;
import io.nslab.netlink.testing.ScratchNs;

/**
 * One namespace of a full-kernel test: a {@link ScratchNs} (loopback brought
 * up, so local addresses answer) and the nslab library's link, address and
 * route operations run inside it over a fresh rtnetlink session.
 */
final class Node implements AutoCloseable {
    interface Work { void run(Links links, Addresses addresses, Routes routes) throws Exception; }
    interface Query<T> { T call(Links links, Addresses addresses, Routes routes) throws Exception; }

    private final String name;
    private final ScratchNs ns;

    private Node(String name, ScratchNs ns) {
        this.name = name;
        this.ns = ns;
    }

    static Node create(String name) throws Exception {
        Node n = new Node(name, ScratchNs.create());
        n.run((links, addresses, routes) -> links.set("lo", LinkChange.up()));
        return n;
    }

    /** For an observer: {@code nsenter --net=PATH ...}. */
    String path() { return ns.path(); }

    /** This namespace as the target of a link move or a veth peer. */
    LinkNetns netns() { return LinkNetns.path(ns.path()); }

    void run(Work w) throws Exception {
        ns.run(() -> {
            try (Rtnl rtnl = Rtnl.open()) {
                w.run(rtnl.links(), rtnl.addresses(), rtnl.routes());
            }
        });
    }

    <T> T call(Query<T> q) throws Exception {
        return ns.call(() -> {
            try (Rtnl rtnl = Rtnl.open()) {
                return q.call(rtnl.links(), rtnl.addresses(), rtnl.routes());
            }
        });
    }

    /** Runs {@code t} on a thread inside this namespace (e.g. to open a capture socket there). */
    <T> T inside(ScratchNs.Task<T> t) throws Exception {
        return ns.call(t);
    }

    @Override public String toString() { return name; }

    @Override public void close() { ns.close(); }
}
