package io.nslab.cli.run;

import io.nslab.netlink.NlSocket;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.netns.NetNs;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One namespace nslab talks to: its handle (none for the namespace nslab runs
 * in), one rtnetlink session opened once inside it, and a name -> ifindex
 * cache that commands invalidate when they add, rename, move or delete links.
 */
final class NsSession implements AutoCloseable {
    private final Optional<String> name;
    private final Optional<NetNs> ns;
    private final Rtnl rtnl;
    final Map<String, Integer> ifindex = new HashMap<>();

    NsSession(Optional<String> name, Optional<NetNs> ns, Rtnl rtnl) {
        this.name = name;
        this.ns = ns;
        this.rtnl = rtnl;
    }

    /** The namespace name, empty for the one nslab runs in. */
    Optional<String> name() { return name; }

    /** The namespace handle, empty for the one nslab runs in. */
    Optional<NetNs> netns() { return ns; }

    Rtnl rtnl() { return rtnl; }

    NlSocket socket() { return rtnl.socket(); }

    /** For messages: "ns1" or "the current namespace". */
    String label() { return name.map(n -> "namespace \"" + n + "\"").orElse("the current namespace"); }

    @Override public void close() {
        rtnl.close();
        ns.ifPresent(NetNs::close);
    }
}
