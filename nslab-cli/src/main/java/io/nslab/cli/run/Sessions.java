package io.nslab.cli.run;

import io.nslab.cli.CliException;
import io.nslab.cli.ExitCode;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.netns.NetNsException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The namespaces of one nslab run, each opened once and cached (one rtnetlink
 * socket per namespace for the whole batch). Not thread-safe: used by the
 * thread that runs the commands.
 */
final class Sessions implements AutoCloseable {
    private final Map<String, NsSession> named = new HashMap<>();
    private NsSession current;

    /** The session for {@code ns} (empty = the namespace nslab runs in); {@code what} prefixes errors. */
    NsSession get(Optional<String> ns, String what) throws CliException {
        if (ns.isEmpty()) {
            if (current == null) {
                current = new NsSession(Optional.empty(), Optional.empty(), Optional.empty());
            }
            return current;
        }
        NsSession s = named.get(ns.get());
        if (s != null) return s;
        NetNs h;
        try {
            h = NetNs.open(ns.get());
        } catch (NetNsException e) {
            throw new NoSuchNamespace(what + ": no such namespace \"" + ns.get() + "\"");
        }
        return adopt(ns.get(), h, what);
    }

    /** Takes over a handle (e.g. from {@code NetNs.createOpen}) and opens its rtnetlink session. */
    NsSession adopt(String name, NetNs h, String what) {
        return adopt(name, h, Optional.empty());
    }

    /** Takes over a handle and an rtnetlink session already opened inside it. */
    NsSession adopt(String name, NetNs h, Optional<Rtnl> rtnl) {
        NsSession s = new NsSession(Optional.of(name), Optional.of(h), rtnl);
        NsSession old = named.put(name, s);
        if (old != null) old.close();
        return s;
    }

    /** Takes over a session prepared elsewhere (a namespace made ahead). */
    NsSession adopt(String name, NsSession s) {
        NsSession old = named.put(name, s);
        if (old != null) old.close();
        return s;
    }

    /** Drops the cached session of a deleted namespace. */
    void forget(String name) {
        NsSession s = named.remove(name);
        if (s != null) s.close();
    }

    /** All sessions opened so far. */
    List<NsSession> all() {
        List<NsSession> l = new ArrayList<>(named.values());
        if (current != null) l.add(current);
        return l;
    }

    /** Every link cache, after something may have moved links between namespaces. */
    void invalidateAll() {
        if (current != null) current.ifindex.clear();
        named.values().forEach(s -> s.ifindex.clear());
    }

    @Override public void close() {
        if (current != null) current.close();
        named.values().forEach(NsSession::close);
        named.clear();
    }

    /**
     * A namespace named by -n that is not there: ip's netns_switch exits 255 for it. A batch line's own
     * {@code -n} (nslab's extension) fails only that line, with status 1 (BatchRun).
     */
    static final class NoSuchNamespace extends CliException {
        NoSuchNamespace(String message) {
            super(ExitCode.IP_INVALID, message);
        }
    }
}
