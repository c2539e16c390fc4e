package io.nslab.net.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nslab.net.NetlinkKernel;
import io.nslab.netlink.Errno;
import io.nslab.netlink.ErrnoException;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.netns.NetNsException;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.Link;
import io.nslab.netlink.route.Route;
import io.nslab.netlink.route.RouteSpec;
import io.nslab.state.Marker;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * nslab as a CNI plugin (spec 1.1): the command in {@code CNI_COMMAND}, the
 * container in {@code CNI_CONTAINERID}/{@code CNI_NETNS}/{@code CNI_IFNAME},
 * the network configuration on stdin; a result or an error object on stdout.
 * One plugin does what the bridge + host-local + portmap chain does.
 *
 * <p>ADD validates everything (config, environment, namespace, ports,
 * addresses) before the first kernel change, then makes each change with its
 * undo registered, and writes the store last: a failure undoes what was made
 * and leaves the store as it was. DEL and GC only ever remove, tolerate what
 * is already gone, and succeed when there is nothing to do.
 */
public final class CniPlugin {
    private static final Pattern CONTAINER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.\\-]*");
    private static final Pattern IFNAME = Pattern.compile("[^\\s/:]{1,15}");
    static final long DEFAULT_LOCK_TIMEOUT_MS = 30_000;

    private final NetNs host;
    private final PrintStream log;

    /** {@code host}: the namespace the bridge lives in (the caller's own, for a runtime); warnings go to stderr. */
    public CniPlugin(NetNs host) {
        this(host, System.err);
    }

    /**
     * {@code log}: where warnings go, one line each (CNI's stdout holds only
     * the result or the error object; the spec leaves stderr to logs): a link
     * DEL left alone because it is not the one the plugin made.
     */
    public CniPlugin(NetNs host, PrintStream log) {
        this.host = host;
        this.log = log;
    }

    /** Runs one call; returns the exit code (0 success, 1 error result printed). */
    public int run(Map<String, String> env, String stdin, PrintStream out) {
        try {
            JsonNode result = dispatch(env, stdin);
            if (result != null) out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result));
            out.flush();
            return 0;
        } catch (CniError e) {
            out.println(e.toJson(CniConfig.versionOf(stdin)).toPrettyString());
            out.flush();
            return 1;
        } catch (IOException | RuntimeException e) {
            out.println(new CniError(CniError.OTHER, "nslab: " + e, e).toJson(CniConfig.versionOf(stdin)).toPrettyString());
            out.flush();
            return 1;
        }
    }

    JsonNode dispatch(Map<String, String> env, String stdin) throws CniError, IOException {
        String cmd = env.get("CNI_COMMAND");
        if (cmd == null || cmd.isEmpty()) throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_COMMAND is not set (ADD, DEL, CHECK, GC, STATUS or VERSION)");
        if (cmd.equals("VERSION")) return version(stdin);
        CniConfig cfg = CniConfig.parse(stdin);
        CniStore store = new CniStore(CniStore.dirFor(cfg.ipam(), env), lockTimeout(env));
        return switch (cmd) {
            case "ADD" -> add(cfg, store, Call.of(env, true));
            case "DEL" -> del(cfg, store, Call.of(env, false));
            case "CHECK" -> check(cfg, store, Call.of(env, true));
            case "GC" -> gc(cfg, store);
            case "STATUS" -> status(cfg, store);
            default -> throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_COMMAND " + cmd + " is not one of ADD, DEL, CHECK, GC, STATUS, VERSION");
        };
    }

    private static long lockTimeout(Map<String, String> env) {
        try {
            return Long.parseLong(env.getOrDefault("NSLAB_CNI_LOCK_TIMEOUT_MS", "" + DEFAULT_LOCK_TIMEOUT_MS));
        } catch (NumberFormatException e) {
            return DEFAULT_LOCK_TIMEOUT_MS;
        }
    }

    /** The container of one call, from the environment. */
    record Call(Attachment.Key key, Optional<String> netns) {
        static Call of(Map<String, String> env, boolean netnsRequired) throws CniError {
            String id = env.get("CNI_CONTAINERID");
            if (id == null || id.isEmpty()) throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_CONTAINERID is not set");
            if (!CONTAINER_ID.matcher(id).matches())
                throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_CONTAINERID \"" + id + "\": letters, digits, '_', '.', '-', starting with a letter or digit");
            String ifname = env.get("CNI_IFNAME");
            if (ifname == null || ifname.isEmpty()) throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_IFNAME is not set");
            if (!IFNAME.matcher(ifname).matches() || ifname.equals(".") || ifname.equals(".."))
                throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_IFNAME \"" + ifname + "\": 1..15 characters, no spaces, '/' or ':'");
            String ns = env.get("CNI_NETNS");
            if ((ns == null || ns.isEmpty()) && netnsRequired) throw new CniError(CniError.INVALID_ENVIRONMENT, "CNI_NETNS is not set");
            return new Call(new Attachment.Key(id, ifname), Optional.ofNullable(ns).filter(s -> !s.isEmpty()));
        }
    }

    // ------------------------------------------------------------------ VERSION, STATUS

    private static JsonNode version(String stdin) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("cniVersion", "1.1.0");
        ArrayNode v = o.putArray("supportedVersions");
        CniConfig.SUPPORTED_VERSIONS.forEach(v::add);
        return o;
    }

    private static JsonNode status(CniConfig cfg, CniStore store) throws CniError {
        store.checkWritable();
        return null;
    }

    // ------------------------------------------------------------------ ADD

    private JsonNode add(CniConfig cfg, CniStore store, Call call) throws CniError, IOException {
        if (cfg.ipam().isEmpty()) throw Json.invalid("ipam", "missing (nslab hands out the container's addresses from its ranges)");
        if (cfg.ipMasq()) for (boolean v4 : List.of(true, false))
            if (cfg.rangeSets().stream().filter(s -> s.getFirst().ipv4() == v4).count() > 1)
                throw Json.invalid("ipMasq", "masquerade of two IPv" + (v4 ? 4 : 6) + " range sets is not supported (one per IP version)");
        for (int i = 0; i < cfg.portMappings().size(); i++) {
            CniConfig.PortMap p = cfg.portMappings().get(i);
            if (p.hostIp().isPresent() && !cfg.hasFamily(p.hostIp().get().getAddress().length == 4))
                throw Json.invalid("runtimeConfig.portMappings[" + i + "].hostIP", IpPrefix.text(p.hostIp().get()) + ": the network has no range of its IP version");
        }
        String nsPath = call.netns().orElseThrow();
        try (NetNs container = openNetns(nsPath)) {
            checkPortsElsewhere(cfg, store);
            return store.locked(cfg.name(), st -> {
                try {
                    return addLocked(cfg, store, call, nsPath, container, st);
                } catch (IOException e) {
                    throw new CniError(CniError.OTHER, "ADD " + call.key() + " on " + cfg.name() + ": " + e.getMessage(), e);
                }
            });
        }
    }

    private static NetNs openNetns(String path) throws CniError {
        try {
            return NetNs.openPath(Path.of(path));
        } catch (NetNsException e) {
            int code = e.is(Errno.ENOENT) ? CniError.UNKNOWN_CONTAINER : CniError.INVALID_ENVIRONMENT;
            throw new CniError(code, "CNI_NETNS " + path + ": " + (e.is(Errno.ENOENT) ? "no such network namespace" : e.getMessage()));
        }
    }

    private static void checkPortsElsewhere(CniConfig cfg, CniStore store) throws CniError {
        if (cfg.portMappings().isEmpty()) return;
        for (String other : store.networks()) {
            if (other.equals(cfg.name())) continue;
            for (Attachment a : store.read(other).attachments()) portClash(cfg, a, other);
        }
    }

    private static void portClash(CniConfig cfg, Attachment a, String network) throws CniError {
        for (int i = 0; i < cfg.portMappings().size(); i++)
            for (CniConfig.PortMap q : a.ports())
                if (cfg.portMappings().get(i).conflictsWith(q))
                    throw Json.invalid("runtimeConfig.portMappings[" + i + "].hostPort", "port " + cfg.portMappings().get(i)
                            + " is already published (to container " + a.key() + " on network " + network + ")");
    }

    private JsonNode addLocked(CniConfig cfg, CniStore store, Call call, String nsPath, NetNs container, CniStore.State st)
            throws CniError, IOException {
        Attachment.Key key = call.key();
        if (st.find(key).isPresent())
            throw new CniError(CniError.OTHER, "container " + key + " is already attached to network " + cfg.name() + " (DEL it first)");
        for (Attachment a : st.attachments()) portClash(cfg, a, cfg.name());
        if (CniKernel.link(container, key.ifname()).isPresent())
            throw new CniError(CniError.OTHER, "CNI_IFNAME " + key.ifname() + " already exists in " + nsPath);
        List<String> newLast = new ArrayList<>(st.last());
        List<Attachment.Ip> ips = CniAllocator.allocate(cfg.name(), cfg.rangeSets(), st, newLast);
        String hostIf = hostIfname(cfg.name(), key);
        if (CniKernel.link(host, hostIf).isPresent())
            throw new CniError(CniError.OTHER, "host interface " + hostIf + " for " + key + " already exists");
        byte[] mac = NetlinkKernel.macFor(ips.getFirst().address().address());
        Attachment att = new Attachment(key, nsPath, hostIf, hex(mac), ips, cfg.portMappings());
        CniStore.State after = st.with(att, newLast);

        Deque<Undo> undo = new ArrayDeque<>();
        try {
            byte[] brMac = NetlinkKernel.macFor(ips.getFirst().gateway());
            brMac[1] = 0x43; // not the MAC a container with the gateway's address would get
            Marker owner = Marker.cni(cfg.name());
            boolean created = CniKernel.ensureBridge(host, cfg.bridge(), cfg.mtu(), cfg.promiscMode(), brMac, owner);
            if (created) {
                undo.push(() -> CniKernel.deleteMarked(host, cfg.bridge(), owner));
                after = after.withBridgeCreated(true);
            } else {
                after = after.withBridgeCreated(st.bridgeCreated());
            }
            if (cfg.isGateway()) {
                List<IpPrefix> gws = ips.stream().map(ip -> new IpPrefix(ip.gateway(), ip.address().length())).toList();
                List<IpPrefix> added = CniKernel.addGateways(host, cfg.bridge(), gws);
                undo.push(() -> CniKernel.deleteAddresses(host, cfg.bridge(), added));
            }
            undo.push(() -> CniKernel.deleteMarked(host, hostIf, owner)); // first: adding a veth is several steps
            CniKernel.addVeth(host, container, cfg.bridge(), hostIf, key.ifname(), cfg.mtu(), cfg.hairpinMode(), mac, owner);
            List<CniResult.RouteOut> routes = routes(cfg, ips);
            List<RouteSpec> specs = routes.stream().map(r -> CniKernel.route(r.dst(), r.via())).toList();
            CniKernel.configure(container, key.ifname(), cfg.mtu(), ips.stream().map(Attachment.Ip::address).toList(), specs);
            if (cfg.isGateway() || cfg.ipMasq()) {
                if (cfg.hasFamily(true)) CniKernel.enable(host, "net.ipv4.ip_forward");
                if (cfg.hasFamily(false)) CniKernel.enable(host, "net.ipv6.conf.all.forwarding");
            }
            if (cfg.ipMasq()) {
                CniKernel.nft(host, CniTables.replace(cfg, after.attachments()));
                undo.push(() -> CniKernel.nft(host, CniTables.replace(cfg, st.attachments())));
                if (cfg.hasFamily(true) && cfg.portMappings().stream().anyMatch(p -> p.hostIp().isPresent() && p.hostIp().get().isLoopbackAddress()))
                    host.sysctl("net.ipv4.conf." + cfg.bridge() + ".route_localnet", "1");
            }
            store.write(cfg.name(), after);
            Link br = CniKernel.link(host, cfg.bridge()).orElseThrow();
            Link hv = CniKernel.link(host, hostIf).orElseThrow();
            List<CniResult.Iface> ifaces = List.of(
                    new CniResult.Iface(cfg.bridge(), br.address().map(Object::toString).orElse(""), Optional.empty()),
                    new CniResult.Iface(hostIf, hv.address().map(Object::toString).orElse(""), Optional.empty()),
                    new CniResult.Iface(key.ifname(), hex(mac), Optional.of(nsPath)));
            return CniResult.add(cfg, ifaces, ips, routes);
        } catch (IOException | CniError | RuntimeException e) {
            while (!undo.isEmpty()) {
                try {
                    undo.pop().run();
                } catch (IOException | RuntimeException u) {
                    e.addSuppressed(u);
                }
            }
            throw e;
        }
    }

    @FunctionalInterface
    private interface Undo {
        void run() throws IOException;
    }

    /** The container's routes: ipam's (via the gateway of their IP version unless given), then default routes if isDefaultGateway. */
    static List<CniResult.RouteOut> routes(CniConfig cfg, List<Attachment.Ip> ips) {
        List<CniResult.RouteOut> out = new ArrayList<>();
        for (IpamConfig.CniRoute r : cfg.ipam().orElseThrow().routes()) {
            Optional<InetAddress> via = r.gw();
            if (via.isEmpty()) via = ips.stream().filter(ip -> ip.address().isIpv4() == r.dst().isIpv4()).map(Attachment.Ip::gateway).findFirst();
            out.add(new CniResult.RouteOut(r.dst(), r.gw(), via));
        }
        if (cfg.isDefaultGateway()) {
            for (boolean v4 : List.of(true, false)) {
                Optional<Attachment.Ip> first = ips.stream().filter(ip -> ip.address().isIpv4() == v4).findFirst();
                if (first.isEmpty() || out.stream().anyMatch(r -> r.dst().isDefault() && r.dst().isIpv4() == v4)) continue;
                out.add(new CniResult.RouteOut(IpPrefix.any(!v4), Optional.of(first.get().gateway()), Optional.of(first.get().gateway())));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ DEL, GC

    private JsonNode del(CniConfig cfg, CniStore store, Call call) throws CniError {
        store.locked(cfg.name(), st -> {
            Optional<Attachment> a = st.find(call.key());
            if (a.isEmpty()) return null;
            CniStore.State after = st.without(call.key());
            detach(cfg, a.get(), call.netns(), after);
            finish(cfg, store, after);
            return null;
        });
        return null;
    }

    private JsonNode gc(CniConfig cfg, CniStore store) throws CniError {
        if (cfg.validAttachments().isEmpty()) throw Json.invalid("cni.dev/valid-attachments", "missing (GC needs the list of attachments to keep)");
        List<Attachment.Key> valid = cfg.validAttachments().get();
        store.locked(cfg.name(), st -> {
            CniStore.State after = st;
            for (Attachment a : st.attachments()) {
                if (valid.contains(a.key())) continue;
                after = after.without(a.key());
                detach(cfg, a, Optional.empty(), after);
            }
            if (after != st) finish(cfg, store, after);
            return null;
        });
        return null;
    }

    /** Removes one attachment's interfaces and ports; what is gone already (its namespace too) is no error. */
    private void detach(CniConfig cfg, Attachment a, Optional<String> nsPath, CniStore.State after) throws CniError {
        try {
            String path = nsPath.orElse(a.netns());
            try (NetNs c = NetNs.openPath(Path.of(path))) {
                Optional<Link> l = CniKernel.link(c, a.key().ifname());
                // deleting the container end takes the host end with it; only our own (its MAC) is deleted
                if (l.isPresent() && l.get().address().map(Object::toString).orElse("").equals(a.mac()))
                    CniKernel.deleteLink(c, a.key().ifname());
            } catch (NetNsException e) {
                if (!e.is(Errno.ENOENT, Errno.EINVAL)) throw e;
            }
            leftAlone(cfg, "DEL " + a.key(), a.hostIf(), CniKernel.deleteMarked(host, a.hostIf(), Marker.cni(cfg.name())));
            if (cfg.ipMasq() || !a.ports().isEmpty()) CniKernel.nft(host, CniTables.replace(cfg, after.attachments()));
        } catch (IOException e) {
            throw new CniError(CniError.OTHER, "DEL " + a.key() + " on " + cfg.name() + ": " + e.getMessage(), e);
        }
    }

    /** Writes the state; with the last attachment gone, removes the bridge nslab made and the NAT tables. */
    private void finish(CniConfig cfg, CniStore store, CniStore.State after) throws CniError {
        try {
            if (after.attachments().isEmpty()) {
                CniKernel.nft(host, CniTables.remove(cfg));
                if (after.bridgeCreated())
                    leftAlone(cfg, "network " + cfg.name(), cfg.bridge(), CniKernel.deleteMarked(host, cfg.bridge(), Marker.cni(cfg.name())));
                after = after.withBridgeCreated(false);
            }
        } catch (IOException e) {
            throw new CniError(CniError.OTHER, "network " + cfg.name() + ": " + e.getMessage(), e);
        }
        store.write(cfg.name(), after);
    }

    /**
     * A host link DEL/GC would have deleted but that does not carry the
     * network's mark: someone else's under that name (the plugin's own is gone,
     * which DEL takes as done). Left alone, and said on the log; the call
     * still succeeds, as DEL must when what it made is already gone.
     */
    private void leftAlone(CniConfig cfg, String what, String link, Optional<String> carries) {
        if (carries.isEmpty()) return;
        log.println("nslab: " + what + " on " + cfg.name() + ": host interface " + link + " does not carry nslab's mark "
                + Marker.cni(cfg.name()).text() + " (" + carries.get() + "): it is not the link nslab made, so it was left alone; delete it yourself if it is");
        log.flush();
    }

    // ------------------------------------------------------------------ CHECK

    private JsonNode check(CniConfig cfg, CniStore store, Call call) throws CniError, IOException {
        JsonNode prev = cfg.prevResult().orElseThrow(() -> Json.invalid("prevResult", "missing (CHECK compares the container with it)"));
        Attachment a = store.locked(cfg.name(), st -> st.find(call.key()).orElseThrow(() ->
                new CniError(CniError.UNKNOWN_CONTAINER, "container " + call.key() + " is not attached to network " + cfg.name())));
        try (NetNs c = openNetns(call.netns().orElseThrow())) {
            CniKernel.Observed seen = CniKernel.observe(c, call.key().ifname()).orElseThrow(() ->
                    new CniError(CniError.OTHER, "CHECK " + call.key() + ": interface " + call.key().ifname() + " is gone from " + call.netns().get()));
            if (CniKernel.link(host, a.hostIf()).isEmpty())
                throw new CniError(CniError.OTHER, "CHECK " + call.key() + ": host interface " + a.hostIf() + " is gone");
            int mine = -1;
            JsonNode ifs = prev.path("interfaces");
            for (int i = 0; i < ifs.size(); i++)
                if (ifs.get(i).path("name").asText().equals(call.key().ifname()) && ifs.get(i).has("sandbox")) mine = i;
            if (mine < 0) throw Json.invalid("prevResult.interfaces", "no interface " + call.key().ifname() + " with a sandbox");
            String mac = ifs.get(mine).path("mac").asText();
            if (!mac.equalsIgnoreCase(seen.mac()))
                throw new CniError(CniError.OTHER, "CHECK " + call.key() + ": prevResult.interfaces[" + mine + "].mac " + mac + " but " + call.key().ifname() + " has " + seen.mac());
            JsonNode ips = prev.path("ips");
            for (int i = 0; i < ips.size(); i++) {
                if (ips.get(i).path("interface").asInt(-1) != mine) continue;
                IpPrefix want = IpamConfig.prefix("prevResult.ips[" + i + "].address", ips.get(i).path("address").asText());
                if (!seen.addresses().contains(want))
                    throw new CniError(CniError.OTHER, "CHECK " + call.key() + ": prevResult.ips[" + i + "].address " + want + " is not on " + call.key().ifname());
                if (a.ips().stream().noneMatch(ip -> ip.address().equals(want)))
                    throw new CniError(CniError.OTHER, "CHECK " + call.key() + ": prevResult.ips[" + i + "].address " + want + " is not the address nslab handed out");
            }
            JsonNode routes = prev.path("routes");
            for (int i = 0; i < routes.size(); i++) {
                String f = "prevResult.routes[" + i + "]";
                IpPrefix dst = IpamConfig.prefix(f + ".dst", routes.get(i).path("dst").asText());
                Optional<InetAddress> gw = routes.get(i).has("gw") ? Optional.of(IpamConfig.address(f + ".gw", routes.get(i).get("gw").asText())) : Optional.empty();
                boolean found = false;
                for (Route r : seen.routes())
                    if (r.destination().equals(dst) && (gw.isEmpty() || r.gateway().equals(gw))) found = true;
                if (!found) throw new CniError(CniError.OTHER, "CHECK " + call.key() + ": " + f + " " + dst + gw.map(g -> " via " + IpPrefix.text(g)).orElse("") + " is not a route of " + call.key().ifname());
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ names

    /** {@code veth} + 8 hex digits of a hash of network, container and interface (the reference plugin's names are random). */
    static String hostIfname(String network, Attachment.Key key) {
        return "veth" + hash(network + "\0" + key.containerId() + "\0" + key.ifname()).substring(0, 8);
    }

    static String hex(byte[] mac) {
        return HexFormat.ofDelimiter(":").formatHex(mac);
    }

    private static String hash(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static boolean gone(ErrnoException e) {
        return e.is(Errno.ENOENT, Errno.ENODEV);
    }
}
