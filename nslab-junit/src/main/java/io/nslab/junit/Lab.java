package io.nslab.junit;

import io.nslab.lab.apply.Applier;
import io.nslab.lab.apply.Progress;
import io.nslab.lab.engine.DownResult;
import io.nslab.lab.engine.LabEngine;
import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.nft.Nft;
import io.nslab.netlink.nft.Transaction;
import io.nslab.netlink.route.LinkChange;
import io.nslab.netlink.tc.QdiscKind;
import io.nslab.netlink.tc.QdiscSpec;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A lab that is up for a test: its nodes, and faults made and undone at run time. Made by
 * {@link NetLabExtension} (from {@link NetLab} or a {@link LabSpec}) and injected into parameters and fields
 * of this type; torn down after its class or method, whatever the outcome.
 *
 * <p>Interfaces are named {@code NODE:IFNAME} as in lab files. Faults are undone by {@link #heal()}, and all go
 * with the lab.
 */
public final class Lab implements AutoCloseable {
    private final LabEngine engine;
    private final Topology topology;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Partitions partitions = new Partitions();      // guarded by this
    private final Set<String> downed = new LinkedHashSet<>();    // NODE:IFNAME set down by linkDown; guarded by this
    private final Set<String> impaired = new LinkedHashSet<>();  // NODE:IFNAME with a root qdisc of ours; guarded by this
    private boolean closed;                                      // guarded by this

    private Lab(LabEngine engine, Topology topology) {
        this.engine = engine;
        this.topology = topology;
        for (String n : topology.nodes()) nodes.put(n, new Node(this, n, topology.namespace(n)));
    }

    /**
     * Brings {@code spec} up under the instance name {@code instance} (validated first: nothing is made for a
     * file with problems; a failed up undoes itself).
     */
    static Lab up(LabEngine engine, LabSpec spec, String instance) throws Exception {
        return up(engine, spec, Topology.of(spec, instance));
    }

    /** Brings up {@code t}, read from {@code spec}. */
    static Lab up(LabEngine engine, LabSpec spec, Topology t) throws Exception {
        engine.up(t.model(), spec.file(), Progress.NONE, Applier.FaultHook.NONE);
        return new Lab(engine, t);
    }

    Topology topology() { return topology; }

    /** The instance name (also the prefix of the namespaces: {@code NAME.NODE}); {@code nslab down NAME} removes it. */
    public String name() { return topology.name(); }

    /** The node named so in the lab file. */
    public Node node(String name) {
        Node n = nodes.get(name);
        if (n == null) throw new IllegalArgumentException("lab " + name() + " has no node " + name + " (nodes: " + String.join(", ", nodes.keySet()) + ")");
        return n;
    }

    /** Every node, in file order. */
    public List<Node> nodes() { return List.copyOf(nodes.values()); }

    /** Cuts nodes {@code a} and {@code b} off each other (both ways); other traffic goes on. */
    public void partition(String a, String b) throws Exception {
        partition(List.of(a), List.of(b));
    }

    /** Cuts every node of {@code side} off every node of {@code other}, both ways. */
    public synchronized void partition(Collection<String> side, Collection<String> other) throws Exception {
        for (String n : side) node(n);
        for (String n : other) node(n);
        applyPartitions(partitions.cut(new TreeSet<>(side), new TreeSet<>(other)));
    }

    /** Whether {@code a} and {@code b} are cut off each other now. */
    public synchronized boolean partitioned(String a, String b) {
        return partitions.isCut(a, b);
    }

    /** Undoes every fault: partitions, links set down by {@link #linkDown}, impairments. */
    public synchronized void heal() throws Exception {
        applyPartitions(partitions.heal());
        for (String ref : List.copyOf(downed)) linkUp(ref);
        for (String ref : List.copyOf(impaired)) unimpair(ref);
    }

    private void applyPartitions(Set<String> touched) throws Exception {
        for (String n : touched) {
            Transaction tx = partitions.table(n, topology::addresses);
            node(n).handle().run(() -> {
                try (Nft nft = Nft.open()) {
                    nft.applyQuiet(tx);
                }
            });
        }
    }

    /** Sets interface {@code NODE:IFNAME} down (a veth's peer then loses its carrier too). */
    public synchronized void linkDown(String ref) throws Exception {
        link(ref, LinkChange.down());
        downed.add(ref);
    }

    /** Sets interface {@code NODE:IFNAME} up again. */
    public synchronized void linkUp(String ref) throws Exception {
        link(ref, LinkChange.up());
        downed.remove(ref);
    }

    private void link(String ref, LinkChange change) throws Exception {
        String[] r = split(ref);
        node(r[0]).handle().run(() -> {
            try (Rtnl rtnl = Rtnl.open()) {
                rtnl.links().set(r[1], change);
            }
        });
    }

    /**
     * Puts {@code kind} (a {@code Tbf} rate limit, a {@code Netem} delay or loss...) as the root qdisc of
     * interface {@code NODE:IFNAME}, replacing what is there: what leaves that interface is shaped. A kind the
     * kernel lacks throws {@code QdiscKindMissingException} naming its CONFIG_ option (netem:
     * CONFIG_NET_SCH_NETEM).
     */
    public synchronized void impair(String ref, QdiscKind kind) throws Exception {
        String[] r = split(ref);
        node(r[0]).handle().run(() -> {
            try (Rtnl rtnl = Rtnl.open()) {
                rtnl.qdiscs().replace(QdiscSpec.root(r[1], kind));
            }
        });
        impaired.add(ref);
    }

    /** Removes the impairment of {@code NODE:IFNAME} (back to the kernel's default qdisc). */
    public synchronized void unimpair(String ref) throws Exception {
        String[] r = split(ref);
        node(r[0]).handle().run(() -> {
            try (Rtnl rtnl = Rtnl.open()) {
                rtnl.qdiscs().del(QdiscSpec.root(r[1]));
            } catch (ErrnoException e) {
                if (!e.is(Errno.ENOENT) && !e.is(Errno.EINVAL)) throw e;   // no root qdisc of ours: nothing to undo
            }
        });
        impaired.remove(ref);
    }

    private String[] split(String ref) {
        int c = ref.indexOf(':');
        if (c <= 0 || c == ref.length() - 1) throw new IllegalArgumentException("interface \"" + ref + "\": write NODE:IFNAME, e.g. a:eth0");
        String node = ref.substring(0, c), ifname = ref.substring(c + 1);
        node(node);
        if (!topology.hasIface(node, ifname))
            throw new IllegalArgumentException("lab " + name() + ": node " + node + " has no interface " + ifname);
        return new String[] {node, ifname};
    }

    /** Tears the lab down: the nodes' threads and processes first, then everything its journal says it made. */
    @Override public void close() throws Exception {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        RuntimeException stopping = null;
        for (Node n : nodes.values()) {
            try {
                n.close();
            } catch (RuntimeException e) {                       // the namespaces go regardless
                if (stopping == null) stopping = e;
            }
        }
        DownResult r = engine.down(name());
        NetLabExtension.forget(this);
        if (stopping != null) throw stopping;
        if (!r.clean()) throw new IllegalStateException("lab " + name() + ": teardown left " + String.join("; ", r.problems())
                + " (nslab down " + name() + " retries)");
    }

    @Override public String toString() { return "Lab[" + name() + ", nodes " + nodes.keySet() + "]"; }
}
