package io.nslab.netlink;

import io.nslab.netlink.route.Link;
import io.nslab.netlink.route.LinkChange;
import io.nslab.netlink.route.LinkConst;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkKindMissingException;
import io.nslab.netlink.route.LinkNetns;
import io.nslab.netlink.route.LinkRef;
import io.nslab.netlink.route.LinkRequests;
import io.nslab.netlink.route.LinkSpec;
import io.nslab.netlink.route.RtConst;
import io.nslab.netlink.sys.LibC;
import io.nslab.netlink.sys.TunTap;
import io.nslab.netlink.wire.NlMessage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;

/**
 * Link operations over one rtnetlink socket, in that socket's namespace:
 * {@code ip link add/set/del/show}. Names of other links (parent, master,
 * VXLAN dev) are resolved to indexes here, and named namespaces are opened
 * for the duration of a request. Not thread-safe (neither is the socket).
 */
public final class Links {
    private final NlSocket socket;

    public Links(NlSocket socket) {
        this.socket = socket;
    }

    /** The socket these operations use (for pipelined batches of {@link LinkRequests}). */
    public NlSocket socket() { return socket; }

    /**
     * Creates a link, like {@code ip link add}. A TUN/TAP device is made
     * through /dev/net/tun in the calling thread's namespace (open the
     * socket on that thread), then given the spec's other settings.
     * A kind the kernel lacks fails with {@link LinkKindMissingException}.
     */
    public void add(LinkSpec spec) throws ErrnoException {
        if (spec.kind() instanceof LinkKind.Tuntap t) {
            addTuntap(spec, t);
            return;
        }
        Optional<ErrnoException> e = addPipelined(List.of(spec)).get(0);
        if (e.isPresent()) throw e.get();
    }

    /**
     * Creates many links pipelined (one sendmsg per chunk, ACKs collected
     * after) and returns, per spec, its error if any; the kernel goes on past
     * a failure. Names (parent, master, VXLAN dev) are resolved before
     * anything is sent, so refer to links made in the same batch by an
     * ifindex you assign them ({@link LinkSpec#withIndex}). TUN/TAP specs are
     * made one by one, in their place in the order.
     */
    public List<Optional<ErrnoException>> addAll(List<LinkSpec> specs) throws ErrnoException {
        List<Optional<ErrnoException>> out = new ArrayList<>(specs.size());
        int i = 0;
        while (i < specs.size()) {
            if (specs.get(i).kind() instanceof LinkKind.Tuntap) {
                try {
                    add(specs.get(i));
                    out.add(Optional.empty());
                } catch (ErrnoException e) {
                    out.add(Optional.of(e));
                }
                i++;
                continue;
            }
            int end = i;
            while (end < specs.size() && !(specs.get(end).kind() instanceof LinkKind.Tuntap)) end++;
            out.addAll(addPipelined(specs.subList(i, end)));
            i = end;
        }
        return out;
    }

    private List<Optional<ErrnoException>> addPipelined(List<LinkSpec> specs) throws ErrnoException {
        // Each namespace given by name or path is opened once per batch, closed when it has been sent.
        Map<LinkNetns, OpenNs> opened = new HashMap<>();
        try {
            List<NlRequest> requests = new ArrayList<>();
            List<Integer> owner = new ArrayList<>();   // spec index of each request
            List<Optional<ErrnoException>> out = new ArrayList<>();
            // Names looked up once per batch: a thousand veths on one bridge ask for br0's index once.
            Map<String, Integer> indexes = new HashMap<>();
            for (int k = 0; k < specs.size(); k++) {
                LinkSpec spec = specs.get(k);
                out.add(Optional.empty());
                try {
                    LinkSpec sent = resolve(spec, indexes);
                    OpenNs peer = OpenNs.of(peerNetns(sent.kind()), "link add " + spec.name(), opened);
                    OpenNs self = OpenNs.of(sent.netns(), "link add " + spec.name(), opened);
                    if (peer.fd().isPresent()) sent = sent.withKind(((LinkKind.Veth) sent.kind()).withPeerNetns(peer.fd().get()));
                    if (self.fd().isPresent()) sent = sent.withNetns(self.fd().get());
                    for (NlRequest r : LinkRequests.create(sent)) {
                        requests.add(r);
                        owner.add(k);
                    }
                } catch (ErrnoException e) {
                    out.set(k, Optional.of(e));
                }
            }
            List<Optional<ErrnoException>> results = socket.executeAll(requests);
            for (int r = 0; r < results.size(); r++) {
                int k = owner.get(r);
                if (results.get(r).isPresent() && out.get(k).isEmpty()) out.set(k, Optional.of(explain(specs.get(k).kind(), results.get(r).get())));
            }
            return out;
        } finally {
            for (OpenNs o : opened.values()) o.close();
        }
    }

    private static Optional<LinkNetns> peerNetns(LinkKind k) {
        return k instanceof LinkKind.Veth v ? v.peerNetns() : Optional.empty();
    }

    /**
     * A TUN/TAP device the kernel names (the first free tunN or tapN), as {@code ip tuntap add} without
     * a name makes it, in the calling thread's namespace (open the socket on that thread); returns its name.
     */
    public String addTuntap(LinkKind.Tuntap t) throws ErrnoException {
        return createTuntap("", t).name();
    }

    /**
     * {@code ip tuntap del}'s ioctls in the calling thread's namespace: TUNSETIFF with the given mode and
     * flags (the kernel refuses a device of another mode or queue layout), then TUNSETPERSIST 0. As with
     * ip, a name that is not there (or an empty one) makes a fresh device that this drops again.
     */
    public void deleteTuntap(String name, LinkKind.Tuntap t) throws ErrnoException {
        try {
            TunTap.delete(name, tunFlags(t));
        } catch (ErrnoException e) {
            throw new ErrnoException("tuntap del" + (name.isEmpty() ? "" : " " + name), e.errno(), e.call());
        }
    }

    /** TUNSETIFF's flags for {@code t}, as ip sets them (IFF_NO_PI unless pi). */
    private static int tunFlags(LinkKind.Tuntap t) {
        int flags = t.mode().flag;
        if (!t.pi()) flags |= LinkConst.IFF_NO_PI;
        if (t.vnetHdr()) flags |= LinkConst.IFF_VNET_HDR;
        if (t.multiQueue()) flags |= LinkConst.IFF_MULTI_QUEUE;
        if (t.oneQueue()) flags |= LinkConst.IFF_ONE_QUEUE;
        return flags;
    }

    /** Makes the device through /dev/net/tun ({@code name} empty: the kernel's choice) and returns it as the socket sees it. */
    private Link createTuntap(String name, LinkKind.Tuntap t) throws ErrnoException {
        String what = "link add" + (name.isEmpty() ? "" : " " + name);
        int flags = tunFlags(t) | LinkConst.IFF_TUN_EXCL;
        String made;
        try {
            made = TunTap.create(name, flags, t.owner().orElse(-1), t.group().orElse(-1));
        } catch (ErrnoException e) {
            if (e.is(Errno.ENOENT)) {
                throw new LinkKindMissingException(what, LinkKind.Type.TUN.word(),
                        LinkKind.Type.TUN.kernelOption().orElseThrow(), e.errno(), TunTap.DEVICE + " missing");
            }
            if (e.is(Errno.EBUSY) && e.call().equals("ioctl(TUNSETIFF)")) {
                // IFF_TUN_EXCL answers EBUSY for an existing name: report it as every other kind does.
                throw new ErrnoException(what, Errno.EEXIST);
            }
            throw new ErrnoException(what, e.errno(), e.call());
        }
        // /dev/net/tun makes the device in the calling thread's namespace; make sure that is the socket's.
        Optional<Link> link = get(made);
        if (link.isEmpty() || !link.get().kindName().equals(Optional.of("tun"))) {
            try { TunTap.delete(made, flags & ~LinkConst.IFF_TUN_EXCL); } catch (ErrnoException ignored) { /* best effort */ }
            throw new ErrnoException(what, Errno.ENODEV,
                    "the calling thread is not in the socket's network namespace (tun/tap devices are made in the caller's; run Links.add there)");
        }
        return link.get();
    }

    private void addTuntap(LinkSpec spec, LinkKind.Tuntap t) throws ErrnoException {
        if (spec.index().isPresent()) {
            throw new IllegalArgumentException("link add " + spec.name() + ": a tun/tap device cannot be given an ifindex");
        }
        Optional<Link> made = Optional.of(createTuntap(spec.name(), t));
        List<LinkChange> rest = new ArrayList<>();
        spec.address().ifPresent(a -> rest.add(LinkChange.address(a)));
        spec.mtu().ifPresent(m -> rest.add(LinkChange.mtu(m)));
        spec.txqlen().ifPresent(q -> rest.add(LinkChange.txqlen(q)));
        spec.master().ifPresent(m -> rest.add(new LinkChange.Master(m)));
        spec.alias().ifPresent(a -> rest.add(LinkChange.alias(a)));
        if (spec.up()) rest.add(LinkChange.up());
        spec.netns().ifPresent(n -> rest.add(LinkChange.netns(n)));
        if (!rest.isEmpty()) send(LinkRef.of(made.get().index()), spec.name(), rest);
    }

    /** Changes a link, like {@code ip link set NAME ...}; all changes go in one request. */
    public void set(String name, LinkChange... changes) throws ErrnoException {
        set(name, List.of(changes));
    }

    public void set(String name, List<LinkChange> changes) throws ErrnoException {
        LinkRef target = LinkRef.of(name);
        if (changes.stream().anyMatch(c -> c instanceof LinkChange.Name)) {
            // The kernel finds a link by IFLA_IFNAME unless given an index, and a rename uses IFLA_IFNAME for the new name.
            target = LinkRef.of(require(name, "link set " + name).index());
        }
        send(target, name, changes);
    }

    public void set(int index, LinkChange... changes) throws ErrnoException {
        send(LinkRef.of(index), "ifindex " + index, List.of(changes));
    }

    private void send(LinkRef target, String label, List<LinkChange> changes) throws ErrnoException {
        String what = "link set " + label;
        List<LinkChange> resolved = new ArrayList<>(changes.size());
        for (LinkChange c : changes) {
            if (c instanceof LinkChange.Master m) resolved.add(new LinkChange.Master(resolve(m.master(), what)));
            else resolved.add(c);
        }
        Optional<LinkNetns> ns = resolved.stream().filter(c -> c instanceof LinkChange.Netns).map(c -> ((LinkChange.Netns) c).netns()).findFirst();
        try (OpenNs open = OpenNs.of(ns, what)) {
            if (open.fd().isPresent()) {
                resolved.replaceAll(c -> c instanceof LinkChange.Netns ? LinkChange.netns(open.fd().get()) : c);
            }
            NlRequest r = LinkRequests.set(target, resolved);
            socket.execute(new NlRequest(r.type(), r.flags(), r.body(), what));
        }
    }

    /** Deletes a link, like {@code ip link del NAME}. */
    public void delete(String name) throws ErrnoException {
        socket.execute(LinkRequests.delete(name));
    }

    public void delete(int index) throws ErrnoException {
        socket.execute(LinkRequests.delete(index));
    }

    /**
     * Deletes link {@code name} only while its alias passes {@code ours}, by
     * the ifindex the same lookup returned, never by name: a link renamed or
     * made again in between is not hit. Empty when it was deleted or is gone
     * already; otherwise the link, left alone.
     */
    public Optional<Link> deleteIfAlias(String name, Predicate<Optional<String>> ours) throws ErrnoException {
        Optional<Link> l = get(name);
        if (l.isEmpty()) return Optional.empty();
        if (!ours.test(l.get().alias())) return l;
        try {
            delete(l.get().index());
        } catch (ErrnoException e) {
            if (!e.is(Errno.ENODEV)) throw e;
        }
        return Optional.empty();
    }

    /** The link called {@code name}, or empty if there is none. */
    public Optional<Link> get(String name) throws ErrnoException {
        return get(LinkRequests.get(name));
    }

    public Optional<Link> get(int index) throws ErrnoException {
        return get(LinkRequests.get(index));
    }

    private Optional<Link> get(NlRequest r) throws ErrnoException {
        try {
            for (NlMessage m : socket.query(r)) {
                if (m.type() == RtConst.RTM_NEWLINK) return Optional.of(Link.decode(m));
            }
            return Optional.empty();
        } catch (ErrnoException e) {
            if (e.is(Errno.ENODEV)) return Optional.empty();
            throw e;
        }
    }

    /** The link called {@code name}; a clear error ({@code link show NAME failed: ENODEV (No such device)}) if absent. */
    public Link require(String name) throws ErrnoException {
        return require(name, "link show " + name);
    }

    private Link require(String name, String what) throws ErrnoException {
        Optional<Link> l = get(name);
        if (l.isEmpty()) throw new ErrnoException(what, Errno.ENODEV, "no link named \"" + name + "\"");
        return l.get();
    }

    /** The ifindex of {@code name}, if it exists (one ioctl, no netlink round trip: {@link NlSocket#linkIndex}). */
    public OptionalInt index(String name) throws ErrnoException {
        return socket.linkIndex(name);
    }

    /** Every link in the namespace, like {@code ip link show}. */
    public List<Link> dump() throws ErrnoException {
        List<Link> out = new ArrayList<>();
        for (NlMessage m : socket.dump(LinkRequests.dump())) {
            if (m.type() == RtConst.RTM_NEWLINK) out.add(Link.decode(m));
        }
        return out;
    }

    /** The spec with every link name (parent, master, VXLAN dev) replaced by its ifindex. */
    public LinkSpec resolve(LinkSpec s) throws ErrnoException {
        return resolve(s, new HashMap<>());
    }

    /** {@link #resolve(LinkSpec)} with names already looked up in {@code indexes} (filled as it goes). */
    private LinkSpec resolve(LinkSpec s, Map<String, Integer> indexes) throws ErrnoException {
        String what = "link add " + s.name();
        LinkSpec r = s;
        if (s.master().isPresent()) r = r.withMaster(resolve(s.master().get(), what, indexes));
        LinkKind k = switch (s.kind()) {
            case LinkKind.Macvlan m when m.parent().isPresent() -> new LinkKind.Macvlan(Optional.of(resolve(m.parent().get(), what, indexes)), m.mode(), m.tap());
            case LinkKind.Ipvlan m when m.parent().isPresent() -> new LinkKind.Ipvlan(Optional.of(resolve(m.parent().get(), what, indexes)), m.mode(), m.flags());
            case LinkKind.Vlan v when v.parent().isPresent() -> new LinkKind.Vlan(Optional.of(resolve(v.parent().get(), what, indexes)), v.id(), v.protocol());
            case LinkKind.Vxlan x when x.dev().isPresent() -> x.withDev(resolve(x.dev().get(), what, indexes));
            default -> s.kind();
        };
        return r.withKind(k);
    }

    private LinkRef resolve(LinkRef ref, String what) throws ErrnoException {
        return resolve(ref, what, new HashMap<>());
    }

    private LinkRef resolve(LinkRef ref, String what, Map<String, Integer> indexes) throws ErrnoException {
        if (ref instanceof LinkRef.ByName n) {
            Integer known = indexes.get(n.name());
            if (known == null) {
                known = require(n.name(), what).index();
                indexes.put(n.name(), known);
            }
            return LinkRef.of(known);
        }
        return ref;
    }

    /**
     * Turns the kernel's "Unknown device type" (EOPNOTSUPP on RTM_NEWLINK)
     * for {@code kind} into an error naming the kernel option; likewise a
     * bridge's vlan_filtering refused by a kernel without
     * CONFIG_BRIDGE_VLAN_FILTERING. Other errors are returned as they are.
     * For callers sending {@link LinkRequests#add} in batches.
     */
    public static ErrnoException explain(LinkKind kind, ErrnoException e) {
        if (!e.is(Errno.EOPNOTSUPP) || e instanceof LinkKindMissingException) return e;
        Optional<LinkKind.KernelOption> opt = Optional.empty();
        if (e.detail().map(d -> d.contains("Unknown device type")).orElse(false)) {
            opt = LinkKind.kernelOption(kind.kind());
        } else if (kind instanceof LinkKind.Bridge b && b.vlanFiltering().orElse(false)) {
            opt = Optional.of(new LinkKind.KernelOption("CONFIG_BRIDGE_VLAN_FILTERING", "bridge VLAN filtering"));
        }
        if (opt.isEmpty()) return e;
        LinkKindMissingException x = new LinkKindMissingException(e.call(), kind.kind(), opt.get(), e.errno(), e.detail().orElse(null));
        x.initCause(e);
        return x;
    }

    /** A namespace opened for one request when given by name or path; nothing to open for fds and pids. */
    private record OpenNs(Optional<LinkNetns> fd, int owned) implements AutoCloseable {
        /** As {@link #of(Optional, String)}, reusing what {@code cache} holds and keeping what it opens there (the caller closes them). */
        static OpenNs of(Optional<LinkNetns> ns, String what, Map<LinkNetns, OpenNs> cache) throws ErrnoException {
            if (ns.isEmpty()) return of(ns, what);
            OpenNs o = cache.get(ns.get());
            if (o == null) {
                o = of(ns, what);
                cache.put(ns.get(), o);
            }
            return o;
        }

        static OpenNs of(Optional<LinkNetns> ns, String what) throws ErrnoException {
            if (ns.isEmpty()) return new OpenNs(Optional.empty(), -1);
            String path = switch (ns.get()) {
                case LinkNetns.Name n -> n.path();
                case LinkNetns.Path p -> p.path();
                default -> null;
            };
            if (path == null) return new OpenNs(ns, -1);
            int fd;
            try {
                fd = LibC.open(path, LibC.O_RDONLY, 0);
            } catch (ErrnoException e) {
                String name = ns.get() instanceof LinkNetns.Name n ? "namespace \"" + n.name() + "\" (" + path + ")" : "namespace " + path;
                throw new ErrnoException(what, e.errno(), e.is(Errno.ENOENT) ? "no " + name : name);
            }
            return new OpenNs(Optional.of(LinkNetns.fd(fd)), fd);
        }

        @Override public void close() {
            if (owned >= 0) {
                try { LibC.close(owned); } catch (ErrnoException ignored) { /* the request is done either way */ }
            }
        }
    }
}
