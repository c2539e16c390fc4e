package io.nslab.net;

import io.nslab.netlink.nft.ConntrackFlush;
import io.nslab.netlink.nft.Table;
import io.nslab.netlink.nft.TableRef;
import io.nslab.netlink.nft.Transaction;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.state.Marker;

import java.net.InetAddress;
import java.util.Optional;

/** Passes everything to another kernel; tests override one step to inject a failure. */
class DelegatingKernel implements NetKernel {
    private final NetKernel k;

    DelegatingKernel(NetKernel k) { this.k = k; }

    @Override public boolean namespaceExists(String ns) { return k.namespaceExists(ns); }
    @Override public boolean linkExists(Optional<String> ns, String name) throws NetException { return k.linkExists(ns, name); }
    @Override public void addBridge(Optional<String> ns, String bridge, IpPrefix gateway, Marker owner) throws NetException { k.addBridge(ns, bridge, gateway, owner); }
    @Override public void deleteLink(Optional<String> ns, String name, Marker owner) throws NetException { k.deleteLink(ns, name, owner); }
    @Override public void addVeth(Optional<String> hostNs, String bridge, String hostIf, String ns, String ifname,
                                  IpPrefix address, InetAddress gateway, Marker owner) throws NetException {
        k.addVeth(hostNs, bridge, hostIf, ns, ifname, address, gateway, owner);
    }
    @Override public Optional<String> sysctl(Optional<String> ns, String key) throws NetException { return k.sysctl(ns, key); }
    @Override public void setSysctl(Optional<String> ns, String key, String value) throws NetException { k.setSysctl(ns, key, value); }
    @Override public void nft(Optional<String> ns, Transaction tx) throws NetException { k.nft(ns, tx); }
    @Override public boolean tableExists(Optional<String> ns, TableRef table) throws NetException { return k.tableExists(ns, table); }
    @Override public Optional<Table> listTable(Optional<String> ns, TableRef table) throws NetException { return k.listTable(ns, table); }
    @Override public void flushConntrack(Optional<String> ns, ConntrackFlush flush) throws NetException { k.flushConntrack(ns, flush); }
}
