package io.nslab.net;

import io.nslab.netlink.nft.Command;
import io.nslab.netlink.nft.ConntrackFlush;
import io.nslab.netlink.nft.Table;
import io.nslab.netlink.nft.TableRef;
import io.nslab.netlink.nft.Transaction;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.state.Marker;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A kernel in memory: links per namespace, sysctls, tables; can be told to fail one operation. */
final class FakeKernel implements NetKernel {
    final Set<String> namespaces = Collections.synchronizedSet(new HashSet<>());
    final Map<String, Set<String>> links = Collections.synchronizedMap(new HashMap<>());
    final Map<String, String> sysctls = Collections.synchronizedMap(new HashMap<>());
    final Map<String, Transaction> tables = Collections.synchronizedMap(new HashMap<>());
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    final List<ConntrackFlush> flushes = Collections.synchronizedList(new ArrayList<>());
    volatile boolean anyNamespace;
    volatile String failOn = "";

    FakeKernel() {
        sysctls.put("(current) " + NetEngine.FORWARD_V4, "0");
        sysctls.put("(current) " + NetEngine.FORWARD_V6, "0");
    }

    private static String key(Optional<String> ns) {
        return ns.orElse("(current)");
    }

    private void maybeFail(String op) throws NetException {
        if (!failOn.isEmpty() && op.startsWith(failOn)) throw new NetException(op + ": injected failure");
        log.add(op);
    }

    @Override public boolean namespaceExists(String ns) {
        return anyNamespace || namespaces.contains(ns);
    }

    @Override public boolean linkExists(Optional<String> ns, String name) {
        return links.getOrDefault(key(ns), Set.of()).contains(name);
    }

    @Override public void addBridge(Optional<String> ns, String bridge, IpPrefix gateway, Marker owner) throws NetException {
        maybeFail("addBridge " + bridge);
        links.computeIfAbsent(key(ns), k -> Collections.synchronizedSet(new HashSet<>())).add(bridge);
    }

    @Override public void deleteLink(Optional<String> ns, String name, Marker owner) throws NetException {
        maybeFail("deleteLink " + name);
        links.getOrDefault(key(ns), new HashSet<>()).remove(name);
    }

    @Override public void addVeth(Optional<String> hostNs, String bridge, String hostIf, String ns, String ifname,
                                  IpPrefix address, InetAddress gateway, Marker owner) throws NetException {
        maybeFail("addVeth " + hostIf);
        links.computeIfAbsent(key(hostNs), k -> Collections.synchronizedSet(new HashSet<>())).add(hostIf);
    }

    @Override public Optional<String> sysctl(Optional<String> ns, String k) {
        return Optional.ofNullable(sysctls.get(key(ns) + " " + k));
    }

    @Override public void setSysctl(Optional<String> ns, String k, String value) throws NetException {
        maybeFail("setSysctl " + k);
        sysctls.put(key(ns) + " " + k, value);
    }

    @Override public void nft(Optional<String> ns, Transaction tx) throws NetException {
        maybeFail("nft");
        for (TableRef t : tx.tables()) {
            boolean deleteOnly = tx.commands().getLast() instanceof Command.DeleteTable;
            if (deleteOnly) tables.remove(key(ns) + " " + t);
            else tables.put(key(ns) + " " + t, tx);
        }
    }

    @Override public boolean tableExists(Optional<String> ns, TableRef table) {
        return tables.containsKey(key(ns) + " " + table);
    }

    @Override public Optional<Table> listTable(Optional<String> ns, TableRef table) {
        return Optional.empty();
    }

    @Override public void flushConntrack(Optional<String> ns, ConntrackFlush flush) {
        flushes.add(flush);
    }
}
