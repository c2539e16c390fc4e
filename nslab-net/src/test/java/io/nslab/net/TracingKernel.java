package io.nslab.net;

import io.nslab.netlink.nft.ConntrackFlush;
import io.nslab.netlink.nft.Table;
import io.nslab.netlink.nft.TableRef;
import io.nslab.netlink.nft.Transaction;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.state.Marker;

import java.net.InetAddress;
import java.util.Optional;

/** A kernel that calls a {@link Trace} before and after every operation (reads too): moments for the kill test. */
final class TracingKernel implements NetKernel {
    private final NetKernel k;
    private final Trace t;

    TracingKernel(NetKernel k, Trace t) {
        this.k = k;
        this.t = t;
    }

    @FunctionalInterface
    private interface Op<T> {
        T run() throws NetException;
    }

    private <T> T around(String what, Op<T> op) throws NetException {
        t.at("before " + what);
        T r = op.run();
        t.at("after " + what);
        return r;
    }

    @Override public boolean namespaceExists(String ns) {
        t.at("before namespaceExists " + ns);
        boolean r = k.namespaceExists(ns);
        t.at("after namespaceExists " + ns);
        return r;
    }
    @Override public boolean linkExists(Optional<String> ns, String name) throws NetException {
        return around("linkExists " + name, () -> k.linkExists(ns, name));
    }
    @Override public void addBridge(Optional<String> ns, String bridge, IpPrefix gateway, Marker owner) throws NetException {
        around("addBridge " + bridge, () -> { k.addBridge(ns, bridge, gateway, owner); return null; });
    }
    @Override public void deleteLink(Optional<String> ns, String name, Marker owner) throws NetException {
        around("deleteLink " + name, () -> { k.deleteLink(ns, name, owner); return null; });
    }
    @Override public void addVeth(Optional<String> hostNs, String bridge, String hostIf, String ns, String ifname,
                                  IpPrefix address, InetAddress gateway, Marker owner) throws NetException {
        around("addVeth " + hostIf, () -> { k.addVeth(hostNs, bridge, hostIf, ns, ifname, address, gateway, owner); return null; });
    }
    @Override public Optional<String> sysctl(Optional<String> ns, String key) throws NetException {
        return around("sysctl " + key, () -> k.sysctl(ns, key));
    }
    @Override public void setSysctl(Optional<String> ns, String key, String value) throws NetException {
        around("setSysctl " + key, () -> { k.setSysctl(ns, key, value); return null; });
    }
    @Override public void nft(Optional<String> ns, Transaction tx) throws NetException {
        around("nft", () -> { k.nft(ns, tx); return null; });
    }
    @Override public boolean tableExists(Optional<String> ns, TableRef table) throws NetException {
        return around("tableExists", () -> k.tableExists(ns, table));
    }
    @Override public Optional<Table> listTable(Optional<String> ns, TableRef table) throws NetException {
        return around("listTable", () -> k.listTable(ns, table));
    }
    @Override public void flushConntrack(Optional<String> ns, ConntrackFlush flush) throws NetException {
        around("flushConntrack", () -> { k.flushConntrack(ns, flush); return null; });
    }
}
