package io.nslab.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nslab.netlink.nft.ConntrackFlush;
import io.nslab.netlink.nft.NftText;
import io.nslab.netlink.nft.Proto;
import io.nslab.netlink.nft.Table;
import io.nslab.netlink.nft.Transaction;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.state.Marker;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Docker-style networks: {@code create}, {@code connect}, {@code disconnect},
 * {@code list}, {@code inspect}, {@code remove}. Every call holds the store's
 * lock for its whole duration, first finishes or undoes what an interrupted
 * command left (its {@link NetJournal}), validates everything before changing
 * anything, journals each kernel step on disk before making it, undoes them
 * newest first if a later one fails, and persists the new state last. Inputs are the strings a user typed, so
 * that every mistake is reported here in one line, the same way for the CLI
 * and for Java callers.
 */
public final class NetEngine {
    static final String FORWARD_V4 = "net.ipv4.ip_forward";
    static final String FORWARD_V6 = "net.ipv6.conf.all.forwarding";
    private static final Pattern IFNAME = Pattern.compile("[^\\s/:]{1,15}");

    private final NetStore store;
    private final NetKernel kernel;
    private final Trace trace;

    public NetEngine(NetStore store, NetKernel kernel) {
        this(store, kernel, Trace.NONE);
    }

    NetEngine(NetStore store, NetKernel kernel, Trace trace) {
        this.store = Objects.requireNonNull(store, "store");
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.trace = Objects.requireNonNull(trace, "trace");
    }

    public NetStore store() {
        return store;
    }

    /** What {@code net create} asks for. */
    public record CreateRequest(String name, String subnet, Optional<String> gateway, boolean internal,
                                Optional<String> hostNs, Optional<String> bridge) {
        public CreateRequest {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(subnet, "subnet");
            Objects.requireNonNull(gateway, "gateway");
            Objects.requireNonNull(hostNs, "hostNs");
            Objects.requireNonNull(bridge, "bridge");
        }

        public static CreateRequest of(String name, String subnet) {
            return new CreateRequest(name, subnet, Optional.empty(), false, Optional.empty(), Optional.empty());
        }

        public CreateRequest withGateway(String g) { return new CreateRequest(name, subnet, Optional.of(g), internal, hostNs, bridge); }
        public CreateRequest withInternal(boolean i) { return new CreateRequest(name, subnet, gateway, i, hostNs, bridge); }
        public CreateRequest withHostNs(String ns) { return new CreateRequest(name, subnet, gateway, internal, Optional.of(ns), bridge); }
        public CreateRequest withBridge(String b) { return new CreateRequest(name, subnet, gateway, internal, hostNs, Optional.of(b)); }
    }

    /** What {@code net connect} asks for. */
    public record ConnectRequest(String network, String ns, Optional<String> ip, String ifname, List<String> ports) {
        public ConnectRequest {
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(ns, "ns");
            Objects.requireNonNull(ip, "ip");
            Objects.requireNonNull(ifname, "ifname");
            ports = List.copyOf(ports);
        }

        public static ConnectRequest of(String network, String ns) {
            return new ConnectRequest(network, ns, Optional.empty(), "eth0", List.of());
        }

        public ConnectRequest withIp(String a) { return new ConnectRequest(network, ns, Optional.of(a), ifname, ports); }
        public ConnectRequest withIfname(String i) { return new ConnectRequest(network, ns, ip, i, ports); }
        public ConnectRequest withPorts(String... p) { return new ConnectRequest(network, ns, ip, ifname, List.of(p)); }
    }

    // ------------------------------------------------------------------ create

    public Network create(CreateRequest rq) throws NetException {
        String what = "net create " + rq.name();
        return locked(what, Optional.of(rq.name()), () -> {
            Network n = validateCreate(what, rq);
            List<Network> all = store.all();
            Map<String, String> saved = new LinkedHashMap<>();
            Optional<Network> sibling = all.stream().filter(o -> o.sharesHostWith(n)).findFirst();
            Undo undo = new Undo();
            NetJournal j = journal(n.name());
            try {
                if (sibling.isPresent()) {
                    saved.putAll(sibling.get().savedSysctls());
                } else {
                    for (String key : List.of(FORWARD_V4, FORWARD_V6))
                        kernel.sysctl(n.hostNs(), key).ifPresent(v -> saved.put(key, v));
                }
                Network withSaved = new Network(n.name(), n.subnet(), n.gateway(), n.bridge(), n.internal(), n.hostNs(), List.of(), saved);
                ObjectNode base = hostEntry(j, "create", withSaved);
                base.set("spec", NetStore.toJson(withSaved));
                for (String key : List.of(FORWARD_V4, FORWARD_V6)) {
                    Optional<String> before = kernel.sysctl(n.hostNs(), key);
                    if (before.isEmpty() || before.get().equals("1")) continue;
                    j.intend(base.deepCopy().put("key", key).put("previous", before.get()), "sysctl");
                    kernel.setSysctl(n.hostNs(), key, "1");
                    undo.push(() -> kernel.setSysctl(n.hostNs(), key, before.get()));
                }
                j.intend(base.deepCopy().put("link", n.bridge()), "bridge");
                undo.push(() -> deleteIfMade(n.hostNs(), n.bridge(), n.marker())); // first: addBridge is several steps
                kernel.addBridge(n.hostNs(), n.bridge(), n.gatewayAddress(), n.marker());
                j.intend(base, "table");
                kernel.nft(n.hostNs(), NetTables.replace(withSaved));
                undo.push(() -> kernel.nft(n.hostNs(), NetTables.remove(withSaved)));
                put(withSaved);
                j.clear();
                return withSaved;
            } catch (NetException | RuntimeException e) {
                rollback(undo, j, e);
                throw failed(what, e);
            }
        });
    }

    private Network validateCreate(String what, CreateRequest rq) throws NetException {
        if (!NetStore.NAME.matcher(rq.name()).matches())
            throw new NetException(what + ": bad network name (letters, digits, '_', '.', '-'; at most 32, starting with a letter or digit)");
        IpPrefix subnet = parseSubnet(what, rq.subnet());
        InetAddress gw;
        if (rq.gateway().isPresent()) {
            gw = parseAddress(what, "gateway", rq.gateway().get());
            if (!subnet.contains(gw))
                throw new NetException(what + ": gateway " + gw.getHostAddress() + " is outside the subnet " + Network.text(subnet));
            Network probe = new Network(rq.name(), subnet, gw, "x", false, Optional.empty(), List.of(), Map.of());
            Optional<String> p = Ipam.problemWith(probe, gw).filter(s -> !s.contains("is the gateway"));
            if (p.isPresent()) throw new NetException(what + ": gateway " + p.get());
        } else {
            try {
                gw = Ipam.defaultGateway(subnet);
            } catch (NetException e) {
                throw new NetException(what + ": " + e.getMessage());
            }
        }
        if (Ipam.capacity(subnet).signum() <= 0)
            throw new NetException(what + ": subnet " + Network.text(subnet) + " leaves no address for endpoints");
        String bridge = rq.bridge().orElse(defaultBridge(rq.name()));
        checkIfname(what, "bridge", bridge);
        if (rq.hostNs().isPresent() && !kernel.namespaceExists(rq.hostNs().get()))
            throw new NetException(what + ": no such network namespace: " + rq.hostNs().get());
        Network n = new Network(rq.name(), subnet, gw, bridge, rq.internal(), rq.hostNs(), List.of(), Map.of());
        for (Network o : store.all()) {
            if (o.name().equals(n.name())) throw new NetException(what + ": network " + n.name() + " already exists");
            if (!o.sharesHostWith(n)) continue;
            if (o.subnet().overlaps(subnet))
                throw new NetException(what + ": subnet " + n.subnetText() + " overlaps " + o.subnetText() + " of network " + o.name());
            if (o.bridge().equals(bridge))
                throw new NetException(what + ": bridge " + bridge + " is already used by network " + o.name());
        }
        if (kernel.linkExists(n.hostNs(), bridge))
            throw new NetException(what + ": an interface named " + bridge + " already exists in " + n.hostNsLabel());
        return n;
    }

    /** {@code nsl-NAME}, shortened with a hash when the name is too long for an interface. */
    static String defaultBridge(String name) {
        String b = "nsl-" + name;
        return b.length() <= 15 ? b : "nsl-" + name.substring(0, 5) + "-" + hash(name).substring(0, 5);
    }

    // ------------------------------------------------------------------ connect

    public Endpoint connect(ConnectRequest rq) throws NetException {
        String what = "net connect " + rq.network() + " " + rq.ns();
        List<ConntrackFlush> flushes = new ArrayList<>();
        Endpoint ep = locked(what, Optional.of(rq.network()), () -> {
            Network n = store.get(rq.network()).orElseThrow(() -> new NetException(what + ": no such network: " + rq.network()));
            if (!kernel.namespaceExists(rq.ns())) throw new NetException(what + ": no such network namespace: " + rq.ns());
            if (n.endpoint(rq.ns()).isPresent())
                throw new NetException(what + ": " + rq.ns() + " is already connected to " + n.name());
            checkIfname(what, "interface", rq.ifname());
            List<PublishedPort> ports = parsePorts(what, n, rq.ports());
            List<Network> all = store.all();
            for (PublishedPort p : ports) {
                for (Network o : all) {
                    if (!o.sharesHostWith(n)) continue;
                    for (Endpoint e : o.endpoints())
                        for (PublishedPort q : e.ports())
                            if (p.conflictsWith(q))
                                throw new NetException(what + ": port " + p + " is already published (to " + e.ns() + " on network " + o.name() + ")");
                }
            }
            InetAddress addr;
            if (rq.ip().isPresent()) {
                addr = parseAddress(what, "address", rq.ip().get());
                Optional<String> p = Ipam.problemWith(n, addr);
                if (p.isPresent()) throw new NetException(what + ": " + p.get());
            } else {
                addr = Ipam.allocate(n).orElseThrow(() -> new NetException(what + ": network " + n.name()
                        + ": no free address left in " + n.subnetText() + " (" + n.endpoints().size() + " endpoints connected)"));
            }
            if (kernel.linkExists(Optional.of(rq.ns()), rq.ifname()))
                throw new NetException(what + ": an interface named " + rq.ifname() + " already exists in " + rq.ns());
            String hostIf = hostIfname(n, rq.ns(), all);
            Endpoint e = new Endpoint(rq.ns(), rq.ifname(), hostIf, addr, ports);
            Network after = n.withEndpoint(e);
            trace.at("validated");
            Undo undo = new Undo();
            NetJournal j = journal(n.name());
            ObjectNode base = hostEntry(j, "connect", n).put("ns", rq.ns()).put("link", hostIf).put("address", addr.getHostAddress());
            try {
                // journaled and registered first: addVeth is several kernel steps, and deleting the host side undoes all of them
                j.intend(base, "veth");
                undo.push(() -> deleteIfMade(n.hostNs(), hostIf, n.marker()));
                kernel.addVeth(n.hostNs(), n.bridge(), hostIf, rq.ns(), rq.ifname(), n.withLength(addr), n.gateway(), n.marker());
                if (NetTables.publishesOnLoopback(after) && n.subnet().isIpv4()) {
                    // DNAT of 127.0.0.1 to the bridge needs route_localnet; set on nslab's own bridge only (gone with it,
                    // so not journaled: nothing to undo)
                    String key = "net.ipv4.conf." + n.bridge() + ".route_localnet";
                    if (!kernel.sysctl(n.hostNs(), key).orElse("0").equals("1")) kernel.setSysctl(n.hostNs(), key, "1");
                }
                Transaction tx = NetTables.connect(n, e);
                if (!tx.isEmpty()) j.intend(base, "elements");
                change(n.hostNs(), tx, after);
                undo.push(() -> kernel.nft(n.hostNs(), NetTables.replace(n)));
                put(after);
                j.clear();
            } catch (NetException | RuntimeException ex) {
                rollback(undo, j, ex);
                throw failed(what, ex);
            }
            for (PublishedPort p : ports) if (p.proto() == Proto.UDP) flushes.add(flushFor(n, p));
            return e;
        });
        flush(store.get(rq.network()).map(Network::hostNs).orElse(Optional.empty()), flushes);
        return ep;
    }

    private static List<PublishedPort> parsePorts(String what, Network n, List<String> specs) throws NetException {
        List<PublishedPort> out = new ArrayList<>();
        for (String s : specs) {
            PublishedPort p;
            try {
                p = PublishedPort.parse(s);
            } catch (IllegalArgumentException e) {
                throw new NetException(what + ": " + e.getMessage());
            }
            if (n.internal()) throw new NetException(what + ": network " + n.name() + " is internal: ports cannot be published");
            if (p.hostIp().isPresent() && (p.hostIp().get() instanceof Inet4Address) != n.subnet().isIpv4())
                throw new NetException(what + ": port " + p + ": host address and subnet " + n.subnetText() + " are of different IP versions");
            for (PublishedPort q : out)
                if (q.conflictsWith(p)) throw new NetException(what + ": port " + p + " is given twice");
            out.add(p);
        }
        return out;
    }

    /** {@code nsl} + 8 hex digits of a hash of network and namespace; unique among the stored endpoints. */
    private String hostIfname(Network n, String ns, List<Network> all) throws NetException {
        for (int i = 0; i < 100; i++) {
            String cand = "nsl" + hash(n.name() + "\0" + ns + "\0" + i).substring(0, 8);
            boolean taken = all.stream().flatMap(o -> o.endpoints().stream()).anyMatch(e -> e.hostIfname().equals(cand));
            if (!taken && !kernel.linkExists(n.hostNs(), cand)) return cand;
        }
        throw new NetException("net connect " + n.name() + " " + ns + ": cannot find a free interface name");
    }

    // ------------------------------------------------------------------ disconnect

    /**
     * Detaches {@code ns}; idempotent: returns false when it was not connected
     * (twice in a row, or never). Works when the namespace is already gone.
     */
    public boolean disconnect(String network, String ns) throws NetException {
        String what = "net disconnect " + network + " " + ns;
        List<ConntrackFlush> flushes = new ArrayList<>();
        boolean done = locked(what, Optional.of(network), () -> {
            Network n = store.get(network).orElseThrow(() -> new NetException(what + ": no such network: " + network));
            Optional<Endpoint> e = n.endpoint(ns);
            if (e.isEmpty()) return false;
            NetJournal j = journal(n.name());
            detach(what, n, e.get(), flushes, j);
            j.clear();
            return true;
        });
        Optional<Network> now = store.get(network);
        if (done && now.isPresent() && !hostGone(now.get())) flush(now.get().hostNs(), flushes);
        return done;
    }

    /**
     * Removes one endpoint: its map elements, its veth pair, its address (the
     * store). Journaled in {@code j} first; the caller clears the journal
     * ({@code rm --force} detaches every endpoint under its own entry).
     */
    private Network detach(String what, Network n, Endpoint e, List<ConntrackFlush> flushes, NetJournal j) throws NetException {
        Network after = n.withoutEndpoint(e.ns());
        if (hostGone(n)) { // the bridge, the veth and the table went with the host namespace
            put(after);
            return after;
        }
        Undo undo = new Undo();
        try {
            // once this is on disk the disconnect is finished by the next command if this one dies
            j.intend(hostEntry(j, "disconnect", n).put("ns", e.ns()).put("link", e.hostIfname()), "detach");
            change(n.hostNs(), NetTables.disconnect(n, e), after);
            undo.push(() -> kernel.nft(n.hostNs(), NetTables.replace(n)));
            // deleting the host side removes the peer in the namespace too; gone already if the namespace was deleted
            kernel.deleteLink(n.hostNs(), e.hostIfname(), n.marker());
            put(after);
        } catch (NetException | RuntimeException ex) {
            rollback(undo, j, ex);
            throw failed(what, ex);
        }
        for (PublishedPort p : e.ports()) if (p.proto() == Proto.UDP) flushes.add(flushFor(n, p));
        return after;
    }

    // ------------------------------------------------------------------ rm, ls, inspect

    /**
     * Removes the network: its table, its bridge, and (when it is the last
     * network of its host namespace) puts the forwarding sysctls back as they
     * were. Refused while endpoints are connected unless {@code force}.
     */
    public void remove(String name, boolean force) throws NetException {
        String what = "net rm " + name;
        List<ConntrackFlush> flushes = new ArrayList<>();
        Network gone = locked(what, Optional.of(name), () -> {
            Network n = store.get(name).orElseThrow(() -> new NetException(what + ": no such network: " + name));
            if (!n.endpoints().isEmpty() && !force)
                throw new NetException(what + ": network still has " + n.endpoints().size() + " endpoint(s) connected ("
                        + String.join(", ", n.endpoints().stream().map(Endpoint::ns).toList()) + "); disconnect them or use --force");
            return removeLocked(what, n, flushes);
        });
        if (!hostGone(gone)) flush(gone.hostNs(), flushes);
    }

    /**
     * rm (forced) under the lock: journaled as one {@code rm} entry first, so
     * that a process killed half way is finished by the next command, then
     * every endpoint detached, the table, the bridge, the sysctls, the store.
     */
    private Network removeLocked(String what, Network start, List<ConntrackFlush> flushes) throws NetException {
        Network n = start;
        NetJournal j = journal(n.name());
        j.intend(hostEntry(j, "rm", n), "remove");
        for (Endpoint e : n.endpoints()) n = detach(what, n, e, flushes, j);
        if (hostGone(n)) {
            store.remove(n.name());
            j.clear();
            return n;
        }
        try {
            kernel.nft(n.hostNs(), NetTables.remove(n));
            kernel.deleteLink(n.hostNs(), n.bridge(), n.marker());
            final Network fn = n;
            boolean last = store.all().stream().noneMatch(o -> o != null && !o.name().equals(fn.name()) && o.sharesHostWith(fn));
            if (last) {
                for (Map.Entry<String, String> s : n.savedSysctls().entrySet()) {
                    Optional<String> now = kernel.sysctl(n.hostNs(), s.getKey());
                    if (now.isPresent() && !now.get().equals(s.getValue())) kernel.setSysctl(n.hostNs(), s.getKey(), s.getValue());
                }
            }
            trace.at("store remove");
            store.remove(n.name());
            j.clear();
        } catch (NetException | RuntimeException ex) {
            throw failed(what, ex);
        }
        return n;
    }

    public List<Network> list() throws NetException {
        return locked("net ls", Optional.empty(), store::all);
    }

    public Network inspect(String name) throws NetException {
        return locked("net inspect " + name, Optional.of(name), () -> store.get(name).orElseThrow(() -> new NetException("net inspect " + name + ": no such network: " + name)));
    }

    /**
     * {@code net inspect}: the stored network as JSON plus, under {@code "nftables"},
     * its table as the kernel holds it right now, in nft's syntax rendered from
     * the kernel's own dump (null if it is missing).
     */
    public ObjectNode inspectJson(String name) throws NetException {
        return locked("net inspect " + name, Optional.of(name), () -> {
            Network n = store.get(name).orElseThrow(() -> new NetException("net inspect " + name + ": no such network: " + name));
            ObjectNode o = NetStore.toJson(n);
            Optional<Table> live = hostGone(n) ? Optional.empty() : kernel.listTable(n.hostNs(), n.table());
            if (live.isPresent()) o.put("nftables", NftText.table(live.get()));
            else o.putNull("nftables");
            return o;
        });
    }


    // ------------------------------------------------------------------ lock, journal, recovery

    /**
     * Runs {@code work} under the store's lock, after finishing or undoing
     * whatever an interrupted command left in a journal (same lock, so no
     * other command can see the half-done state). A journal that cannot be
     * used (corrupt, or its clean-up fails) stops only commands on its own
     * network ({@code network}); the others go on and leave it in place.
     */
    private <T> T locked(String what, Optional<String> network, NetStore.LockedWork<T> work) throws NetException {
        T result = store.locked(() -> {
            trace.at("locked");
            recover(what, network);
            trace.at("recovered");
            return work.run();
        });
        trace.at("unlocked");
        return result;
    }

    private NetJournal journal(String network) {
        return new NetJournal(store, network, trace);
    }

    private static ObjectNode hostEntry(NetJournal j, String op, Network n) {
        ObjectNode o = j.entry(op);
        if (n.hostNs().isPresent()) o.put("hostNs", n.hostNs().get());
        else o.putNull("hostNs");
        return o;
    }

    private void put(Network n) throws NetException {
        trace.at("store put");
        store.put(n);
        trace.at("stored");
    }

    /** In-process rollback; the journal goes only if every undo step worked (else the next command retries them). */
    private static void rollback(Undo undo, NetJournal j, Exception cause) {
        if (!undo.rollback(cause)) return;
        try {
            j.clear();
        } catch (NetException e) {
            cause.addSuppressed(e);
        }
    }

    /**
     * Finishes or undoes every command a journal says did not finish:
     * <ul>
     * <li>{@code create}: undone unless the network is stored (the store is
     *     written last): table and bridge deleted, forwarding sysctls put back;
     * <li>{@code connect}: undone unless the store holds the endpoint with
     *     that veth: the veth deleted (the kernel deletes its peer and the
     *     address in the namespace with it), the table rewritten from the store
     *     if elements were being added; the address is free since the store
     *     never held it;
     * <li>{@code disconnect}: finished: elements, veth, then the endpoint
     *     leaves the store (its address is released);
     * <li>{@code rm}: finished, as {@code rm --force}.
     * </ul>
     * Every step tolerates what is already gone. If one fails the journal
     * stays, and the command that found it fails naming it.
     */
    private void recover(String what, Optional<String> network) throws NetException {
        for (String name : NetJournal.pending(store)) {
            NetJournal j = journal(name);
            List<JsonNode> entries;
            try {
                entries = j.entries();
            } catch (NetException e) {
                // a journal nslab cannot believe: none of it is acted on, and only its own network is stopped
                if (network.isPresent() && network.get().equals(name)) throw new NetException(what + ": " + e.getMessage()
                        + "; nothing of it was acted on: undo what it names by hand, then remove " + j.path(), e);
                continue;
            }
            if (entries.isEmpty()) {
                j.clear();
                continue;
            }
            String op = entries.getFirst().path("op").asText();
            try {
                switch (op) {
                    case "create" -> recoverCreate(name, entries);
                    case "connect" -> recoverConnect(name, entries);
                    case "disconnect" -> recoverDisconnect(what, name, entries, j);
                    case "rm" -> recoverRemove(what, name);
                    default -> throw new NetException("unknown journal entry " + entries.getFirst());
                }
                j.clear();
            } catch (NetException | RuntimeException e) {
                if (network.isEmpty() || !network.get().equals(name)) continue; // tried again by the next command on it
                String ns = entries.getFirst().path("ns").isTextual() ? " " + entries.getFirst().get("ns").asText() : "";
                throw new NetException(what + ": cannot clean up after an interrupted 'net " + op + " " + name + ns
                        + "' (journal " + j.path() + "): " + e.getMessage(), e);
            }
        }
    }

    private static Optional<String> hostNs(JsonNode entry) {
        return entry.path("hostNs").isTextual() ? Optional.of(entry.get("hostNs").asText()) : Optional.empty();
    }

    private boolean gone(Optional<String> ns) {
        return ns.isPresent() && !kernel.namespaceExists(ns.get());
    }

    private void recoverCreate(String name, List<JsonNode> entries) throws NetException {
        if (store.get(name).isPresent()) return; // the store is written last: create finished
        for (JsonNode e : entries.reversed()) {
            Optional<String> host = hostNs(e);
            if (gone(host)) return; // everything it made went with the namespace
            switch (e.path("step").asText()) {
                case "table" -> kernel.nft(host, NetTables.remove(NetStore.fromJson(e.get("spec"))));
                case "bridge" -> deleteIfMade(host, e.get("link").asText(), Marker.net(name));
                case "sysctl" -> {
                    String key = e.get("key").asText(), previous = e.get("previous").asText();
                    Optional<String> now = kernel.sysctl(host, key);
                    if (now.isPresent() && !now.get().equals(previous)) kernel.setSysctl(host, key, previous);
                }
                default -> { }
            }
        }
    }

    private void recoverConnect(String name, List<JsonNode> entries) throws NetException {
        JsonNode first = entries.getFirst();
        String ns = first.get("ns").asText(), link = first.get("link").asText();
        Optional<String> host = hostNs(first);
        Optional<Network> stored = store.get(name);
        if (stored.flatMap(n -> n.endpoint(ns)).filter(e -> e.hostIfname().equals(link)).isPresent()) return; // finished
        if (gone(host)) return;
        for (JsonNode e : entries.reversed()) {
            switch (e.path("step").asText()) {
                // the elements of an endpoint the store does not hold: the table as the store has it
                case "elements" -> { if (stored.isPresent()) kernel.nft(host, NetTables.replace(stored.get())); }
                case "veth" -> deleteIfMade(host, link, Marker.net(name));
                default -> { }
            }
        }
    }

    private void recoverDisconnect(String what, String name, List<JsonNode> entries, NetJournal j) throws NetException {
        JsonNode first = entries.getFirst();
        String ns = first.get("ns").asText(), link = first.get("link").asText();
        Optional<Network> stored = store.get(name);
        Optional<Endpoint> e = stored.flatMap(n -> n.endpoint(ns)).filter(x -> x.hostIfname().equals(link));
        List<ConntrackFlush> flushes = new ArrayList<>();
        if (e.isPresent()) detach(what, stored.get(), e.get(), flushes, j);
        else if (!gone(hostNs(first))) deleteIfMade(hostNs(first), link, Marker.net(name)); // stored already; the veth may not be gone
        if (stored.isPresent() && !hostGone(stored.get())) flush(stored.get().hostNs(), flushes);
    }

    private void recoverRemove(String what, String name) throws NetException {
        Optional<Network> stored = store.get(name);
        if (stored.isEmpty()) return; // removed from the store last: rm finished
        List<ConntrackFlush> flushes = new ArrayList<>();
        Network n = removeLocked(what, stored.get(), flushes);
        if (!hostGone(n)) flush(n.hostNs(), flushes);
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Applies an element change (one small transaction, nothing at all for an
     * endpoint without published ports). If the kernel refuses it (a table
     * the kernel and the store disagree on, e.g. made by an older nslab or
     * changed by hand), the whole table is rewritten from {@code after}
     * instead: the same end state, also atomically.
     */
    private void change(Optional<String> ns, Transaction tx, Network after) throws NetException {
        if (tx.isEmpty()) return;
        try {
            kernel.nft(ns, tx);
        } catch (NetException e) {
            kernel.nft(ns, NetTables.replace(after));
        }
    }

    /**
     * Undoing a create or connect (in process or after a kill): the link is
     * deleted if the command made it, i.e. it carries the network's mark. A
     * link of that name without the mark is not one this command made (its
     * create failed: the name was taken) and stays, and there is nothing of
     * the network's to delete.
     */
    private void deleteIfMade(Optional<String> ns, String link, Marker owner) throws NetException {
        try {
            kernel.deleteLink(ns, link, owner);
        } catch (NotOwnedException someoneElses) {
            // left alone: it never was this network's
        }
    }

    /** The network's host namespace was deleted: nothing of it is left in the kernel. */
    private boolean hostGone(Network n) {
        return n.hostNs().isPresent() && !kernel.namespaceExists(n.hostNs().get());
    }

    private static ConntrackFlush flushFor(Network n, PublishedPort p) {
        return new ConntrackFlush(!n.subnet().isIpv4(), p.proto(), p.hostPort(), p.hostIp());
    }

    /**
     * After the new rules are committed: stale conntrack entries of published
     * UDP ports would keep sending to the previous container (or nowhere).
     * Best effort: the change itself already succeeded.
     */
    private void flush(Optional<String> ns, List<ConntrackFlush> flushes) {
        for (ConntrackFlush f : flushes) {
            try {
                kernel.flushConntrack(ns, f);
            } catch (NetException | RuntimeException e) {
                System.getLogger(NetEngine.class.getName()).log(System.Logger.Level.WARNING,
                        "conntrack flush of udp port " + f.hostPort() + " failed: " + e.getMessage());
            }
        }
    }

    private static NetException failed(String what, Exception e) {
        if (e instanceof NetException ne && ne.getMessage().startsWith(what)) return ne;
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        NetException out = new NetException(what + ": " + msg + " (rolled back)", e);
        for (Throwable s : e.getSuppressed()) out.addSuppressed(s);
        return out;
    }

    /** {@code ADDR/LEN} with no host bits set; the messages name what is wrong as {@code net create} always has. */
    static IpPrefix parseSubnet(String what, String s) throws NetException {
        String t = s.strip();
        int slash = t.indexOf('/');
        if (slash < 0) throw new NetException(what + ": bad subnet " + s + ": missing /LENGTH");
        String addr = t.substring(0, slash);
        InetAddress a;
        try {
            a = IpPrefix.parseAddress(addr);
        } catch (IllegalArgumentException e) {
            throw new NetException(what + ": bad subnet " + s + ": not an IP address literal: " + addr);
        }
        int len;
        try {
            len = Integer.parseInt(t.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new NetException(what + ": bad subnet " + s + ": bad prefix length in " + t);
        }
        int max = a.getAddress().length * 8;
        if (len < 0 || len > max)
            throw new NetException(what + ": bad subnet " + s + ": prefix length out of range 0.." + max + ": " + len);
        IpPrefix p = new IpPrefix(a, len);
        if (!p.network().equals(p))
            throw new NetException(what + ": bad subnet " + s + ": host bits set (did you mean " + Network.text(p.network()) + "?)");
        return p;
    }

    static InetAddress parseAddress(String what, String role, String s) throws NetException {
        try {
            return IpPrefix.parseAddress(s.strip());
        } catch (IllegalArgumentException e) {
            throw new NetException(what + ": bad " + role + " " + s + ": not an IP address");
        }
    }

    private static void checkIfname(String what, String role, String name) throws NetException {
        if (!IFNAME.matcher(name).matches() || name.equals(".") || name.equals(".."))
            throw new NetException(what + ": bad " + role + " name " + name + " (1..15 characters, no spaces, '/' or ':')");
    }

    static String hash(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
