package io.nslab.lab.apply;

import io.nslab.lab.plan.NsRef;
import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;

import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ifindexes of a run: chosen by nslab for new links in the namespaces this
 * run made, learned once otherwise, and forgotten when a namespace's links
 * change shape (a move, an undo).
 */
final class Ifindexes {
    /** Something that looks an ifindex up in the kernel (after sending what is pending). */
    interface Lookup { OptionalInt index(NsRef ns, String name) throws Exception; }

    /** Namespaces made by this executor (this run): nothing but nslab makes links in them. */
    private final Set<String> born = ConcurrentHashMap.newKeySet();
    private final AtomicInteger nextIndex = new AtomicInteger(1000);
    /** Ifindexes by namespace and name, learned once per run (forgotten when the namespace's links change shape). */
    private final Map<NsRef, Map<String, Integer>> indexes = new ConcurrentHashMap<>();
    /** Bridge ifindexes by namespace and name: 1000 ports of one bridge need one lookup, not 1000. */
    private final Map<String, Integer> masters = new ConcurrentHashMap<>();

    /** {@code name} was made by this run. */
    void born(String name) { born.add(name); }

    /**
     * Whether nslab picks the ifindexes of new links in {@code ns}: only in a
     * namespace this run made. One counter for all namespaces, from 1000
     * (far above lo and any fallback device the kernel makes in a new
     * namespace): the two ends of a veth never share a number, since a
     * device whose peer has its own ifindex gets its carrier event handled
     * by the kernel's link watcher only up to a second later (not "urgent"),
     * and carries no traffic until then.
     */
    boolean choosable(NsRef ns) {
        return !ns.isHost() && born.contains(ns.name());
    }

    /** An ifindex for a new link in a namespace this run made, remembered for later steps; none elsewhere. */
    OptionalInt choose(NsRef ns, String name) {
        if (!choosable(ns)) return OptionalInt.empty();
        int i = nextIndex.getAndIncrement();
        indexes.computeIfAbsent(ns, k -> new ConcurrentHashMap<>()).put(name, i);
        return OptionalInt.of(i);
    }

    /** The ifindex of {@code name} in {@code ns}: chosen or learned before, else looked up (and kept). */
    int index(NsRef ns, String name, String what, Lookup lookup) throws Exception {
        Map<String, Integer> known = indexes.computeIfAbsent(ns, k -> new ConcurrentHashMap<>());
        Integer i = known.get(name);
        if (i == null) {
            i = lookup.index(ns, name).orElseThrow(() -> new ErrnoException(what, Errno.ENODEV, "no link named \"" + name + "\""));
            known.put(name, i);
        }
        return i;
    }

    /** Whether bridge {@code name}'s ifindex is known without a lookup. */
    boolean knowsMaster(NsRef ns, String name) { return masters.containsKey(ns + "/" + name); }

    void master(NsRef ns, String name, int index) { masters.put(ns + "/" + name, index); }

    /** The ifindex of bridge {@code name}, looked up once. */
    int master(NsRef ns, String name, Lookup lookup) throws Exception {
        String key = ns + "/" + name;
        Integer i = masters.get(key);
        if (i == null) {
            i = lookup.index(ns, name).orElseThrow(
                    () -> new ErrnoException("link set master " + name, Errno.ENODEV, "no link named \"" + name + "\""));
            masters.put(key, i);
        }
        return i;
    }

    /**
     * A link moves from {@code from} to {@code to}: it keeps its ifindex if
     * it is free there, which may be one nslab would pick, so from now on the
     * kernel numbers {@code to}'s new links.
     */
    void moved(NsRef from, NsRef to) {
        indexes.remove(from);
        indexes.remove(to);
        if (!to.isHost()) born.remove(to.name());
    }

    /** Forgets what was learned about {@code ns}'s links. */
    void forget(NsRef ns) { indexes.remove(ns); }

    void forgetMaster(NsRef ns, String name) { masters.remove(ns + "/" + name); }

    /** Forgets the bridges of namespace {@code name} (deleted). */
    void forgetMasters(String name) { masters.keySet().removeIf(k -> k.startsWith(name + "/")); }
}
