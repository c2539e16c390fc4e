package io.nslab.cli.run;

import io.nslab.cli.CliException;
import io.nslab.netlink.NlSocket;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.ErrnoException;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One namespace nslab talks to: its handle (none for the namespace nslab runs
 * in), one rtnetlink session opened once inside it (on first use), and a
 * name -> ifindex cache. In a batch, {@link #beforeLookup} flushes requests
 * still waiting to be sent, since they may create the name being looked up.
 */
final class NsSession implements AutoCloseable {
    private final Optional<String> name;
    private final Optional<NetNs> ns;
    private Rtnl rtnl;
    final Map<String, Integer> ifindex = new HashMap<>();
    /** Names known to exist here without asking: seen, or made/moved here by an earlier line of this run. */
    final Set<String> known = new HashSet<>();
    /**
     * A namespace this run created and whose every link nslab knows (dumped
     * once, right after creation): links made into it get the next free
     * ifindex explicitly, so later lines need no look-up. Anything else that
     * could bring links in (a move, a tun/tap) ends this.
     */
    boolean fresh;
    int nextIndex;

    /** Called before a name is looked up in the kernel (a batch sends its pending requests first). */
    Hook beforeLookup = () -> { };

    interface Hook {
        void run() throws CliException;
    }

    NsSession(Optional<String> name, Optional<NetNs> ns, Optional<Rtnl> rtnl) {
        this.name = name;
        this.ns = ns;
        this.rtnl = rtnl.orElse(null);
    }

    /** The namespace name, empty for the one nslab runs in. */
    Optional<String> name() { return name; }

    /** The namespace handle, empty for the one nslab runs in. */
    Optional<NetNs> netns() { return ns; }

    Rtnl rtnl() throws CliException {
        if (rtnl == null) {
            try {
                rtnl = ns.isPresent() ? ns.get().rtnl() : Rtnl.open();
            } catch (ErrnoException e) {
                throw CliException.failed(label() + ": cannot open rtnetlink: " + e.getMessage());
            }
        }
        return rtnl;
    }

    NlSocket socket() throws CliException { return rtnl().socket(); }

    /** Dumps the links of a namespace just created, and starts assigning ifindexes in it. */
    void markFresh(String text) throws CliException {
        Map<Integer, String> names = Kernel.names(this, text);
        int max = 0;
        for (var e : names.entrySet()) {
            ifindex.put(e.getValue(), e.getKey());
            known.add(e.getValue());
            max = Math.max(max, e.getKey());
        }
        nextIndex = max + 1;
        fresh = true;
    }

    /** The ifindex to give a link made here, if this namespace is fresh. */
    OptionalInt claimIndex(String name) {
        if (!fresh) return OptionalInt.empty();
        int i = nextIndex++;
        ifindex.put(name, i);
        known.add(name);
        return OptionalInt.of(i);
    }

    /** For messages: namespace "ns1", or the current namespace. */
    String label() { return name.map(n -> "namespace \"" + n + "\"").orElse("the current namespace"); }

    @Override public void close() {
        if (rtnl != null) rtnl.close();
        ns.ifPresent(NetNs::close);
    }
}
