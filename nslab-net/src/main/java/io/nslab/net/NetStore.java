package io.nslab.net;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.nft.Proto;
import io.nslab.state.StateDir;
import io.nslab.state.StateException;
import io.nslab.state.StateLock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The networks' state on disk: one {@code NAME.json} per network in the state
 * directory ({@code /var/lib/nslab/networks} by default), a verified
 * {@link StateDir} ({@code 0700}, files {@code 0600}, no links followed),
 * written atomically ({@code O_EXCL} temporary, fsync, rename). Every
 * read-modify-write happens under {@link #locked}: the {@link StateLock} on
 * {@code .lock} in that directory (other processes and other threads).
 */
public final class NetStore {
    public static final Path DEFAULT_DIR = Path.of("/var/lib/nslab/networks");
    /** Network names: also used in file, table and bridge names. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    static final String SUFFIX = ".json";
    static final String LOCK = ".lock";
    /** A network file is a few KB; thousands of endpoints stay far below this. */
    static final long LIMIT = 16L << 20;


    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;

    public NetStore(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** The store in {@code $NSLAB_STATE_DIR/networks}, or {@link #DEFAULT_DIR}. */
    public static NetStore fromEnvironment() {
        String s = System.getenv("NSLAB_STATE_DIR");
        return new NetStore(s == null || s.isBlank() ? DEFAULT_DIR : Path.of(s, "networks"));
    }

    public Path dir() {
        return dir;
    }

    /** Work to run while holding the store's lock. */
    @FunctionalInterface
    public interface LockedWork<T> {
        T run() throws NetException;
    }

    /** Runs {@code work} holding the store's lock (in this JVM and across processes). */
    public <T> T locked(LockedWork<T> work) throws NetException {
        try (StateDir d = StateDir.open(dir); StateLock ignored = StateLock.acquire(d, LOCK)) {
            return work.run();
        } catch (StateException e) {
            throw new NetException("network store: " + e.getMessage(), e);
        }
    }

    /** The verified directory, for one operation. */
    StateDir open() throws NetException {
        try {
            return StateDir.open(dir);
        } catch (StateException e) {
            throw new NetException("network store: " + e.getMessage(), e);
        }
    }

    /**
     * Every network that can be read, by name. A file that cannot be read
     * affects only its network: it is left out here (see {@link #problems})
     * and named by {@link #get}. Call under {@link #locked} for a consistent view.
     */
    public List<Network> all() throws NetException {
        return scan(new ArrayList<>());
    }

    /** One line per network file {@link #all} left out: the file and what is wrong with it. */
    public List<String> problems() throws NetException {
        List<String> problems = new ArrayList<>();
        scan(problems);
        return problems;
    }

    private List<Network> scan(List<String> problems) throws NetException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return List.of();
        List<Network> out = new ArrayList<>();
        try (StateDir d = open()) {
            for (String f : d.list()) {
                if (!f.endsWith(SUFFIX) || f.startsWith(".")) continue;
                String name = f.substring(0, f.length() - SUFFIX.length());
                if (!NAME.matcher(name).matches()) continue;
                try {
                    read(d, name).ifPresent(out::add);
                } catch (NetException e) {
                    problems.add(e.getMessage());
                }
            }
        } catch (StateException e) {
            throw new NetException("network store: " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(Network::name));
        return out;
    }

    public Optional<Network> get(String name) throws NetException {
        if (!NAME.matcher(name).matches()) return Optional.empty();
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        try (StateDir d = open()) {
            return read(d, name);
        }
    }

    public void put(Network n) throws NetException {
        Path p = dir.resolve(n.name() + SUFFIX);
        try (StateDir d = open()) {
            d.write(n.name() + SUFFIX, JSON.writeValueAsString(toJson(n)).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new NetException("network " + n.name() + ": cannot write " + (e instanceof StateException ? e.getMessage() : p + ": " + e.getMessage()), e);
        }
    }

    public void remove(String name) throws NetException {
        try (StateDir d = open()) {
            d.delete(name + SUFFIX);
        } catch (StateException e) {
            throw new NetException("network " + name + ": cannot remove its state: " + e.getMessage(), e);
        }
    }

    private static Optional<Network> read(StateDir d, String name) throws NetException {
        Path p = d.path().resolve(name + SUFFIX);
        Optional<byte[]> bytes;
        try {
            bytes = d.read(name + SUFFIX, LIMIT);
        } catch (StateException e) {
            throw new NetException("network " + name + ": " + e.getMessage(), e);
        }
        if (bytes.isEmpty()) return Optional.empty();
        JsonNode tree;
        try {
            tree = JSON.readTree(bytes.get());
        } catch (JsonProcessingException e) {
            throw new NetException("network " + name + ": " + p + ": not JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new NetException("network " + name + ": " + p + ": " + e.getMessage(), e);
        }
        try {
            Network n = fromJson(tree);
            if (!n.name().equals(name)) throw new IllegalArgumentException("field 'name': " + n.name() + " in the file of network " + name);
            return Optional.of(n);
        } catch (RuntimeException e) {
            throw new NetException("network " + name + ": " + p + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ JSON (also what `net inspect` prints)

    public static ObjectNode toJson(Network n) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", n.name());
        o.put("subnet", n.subnetText());
        o.put("gateway", n.gateway().getHostAddress());
        o.put("bridge", n.bridge());
        o.put("internal", n.internal());
        if (n.hostNs().isPresent()) o.put("hostNs", n.hostNs().get());
        else o.putNull("hostNs");
        o.put("table", n.table().family().nft() + " " + n.table().name());
        ArrayNode eps = o.putArray("endpoints");
        for (Endpoint e : n.endpoints()) {
            ObjectNode j = eps.addObject();
            j.put("ns", e.ns());
            j.put("ifname", e.ifname());
            j.put("hostIfname", e.hostIfname());
            j.put("address", Network.text(n.withLength(e.address())));
            ArrayNode ports = j.putArray("ports");
            for (PublishedPort pp : e.ports()) {
                ObjectNode q = ports.addObject();
                q.put("proto", pp.proto().nft());
                if (pp.hostIp().isPresent()) q.put("hostIp", pp.hostIp().get().getHostAddress());
                else q.putNull("hostIp");
                q.put("hostPort", pp.hostPort());
                q.put("port", pp.port());
            }
        }
        ObjectNode sys = o.putObject("savedSysctls");
        new TreeMap<>(n.savedSysctls()).forEach(sys::put);
        return o;
    }

    /** The network a state file holds; a missing or mistyped field is named in the exception's message. */
    public static Network fromJson(JsonNode o) {
        if (o == null || !o.isObject()) throw new IllegalArgumentException("not a JSON object");
        List<Endpoint> eps = new ArrayList<>();
        JsonNode epsNode = o.path("endpoints");
        for (int i = 0; i < epsNode.size(); i++) {
            JsonNode j = epsNode.get(i);
            String at = "endpoints[" + i + "].";
            List<PublishedPort> ports = new ArrayList<>();
            JsonNode portsNode = j.path("ports");
            for (int k = 0; k < portsNode.size(); k++) {
                JsonNode q = portsNode.get(k);
                String pat = at + "ports[" + k + "].";
                ports.add(new PublishedPort(field(pat + "proto", () -> Proto.parse(text(q, "proto", pat))),
                        q.path("hostIp").isTextual() ? Optional.of(address(q, "hostIp", pat)) : Optional.empty(),
                        integer(q, "hostPort", pat), integer(q, "port", pat)));
            }
            String addr = text(j, "address", at);
            int slash = addr.indexOf('/');
            eps.add(new Endpoint(text(j, "ns", at), text(j, "ifname", at), text(j, "hostIfname", at),
                    field(at + "address", () -> IpPrefix.parseAddress(slash < 0 ? addr : addr.substring(0, slash))), ports));
        }
        Map<String, String> sys = new LinkedHashMap<>();
        o.path("savedSysctls").properties().forEach(en -> sys.put(en.getKey(), en.getValue().asText()));
        return new Network(text(o, "name", ""), field("subnet", () -> IpPrefix.parse(text(o, "subnet", ""))),
                address(o, "gateway", ""), text(o, "bridge", ""), o.path("internal").asBoolean(),
                o.path("hostNs").isTextual() ? Optional.of(o.get("hostNs").asText()) : Optional.empty(), eps, sys);
    }

    private static String text(JsonNode o, String field, String at) {
        JsonNode v = o == null ? null : o.get(field);
        if (v == null || v.isNull()) throw new IllegalArgumentException("field '" + at + field + "' is missing");
        if (!v.isTextual()) throw new IllegalArgumentException("field '" + at + field + "' is not a string");
        return v.asText();
    }

    private static int integer(JsonNode o, String field, String at) {
        JsonNode v = o == null ? null : o.get(field);
        if (v == null || !v.isInt()) throw new IllegalArgumentException("field '" + at + field + "' is " + (v == null ? "missing" : "not an integer"));
        return v.asInt();
    }

    private static InetAddress address(JsonNode o, String field, String at) {
        String s = text(o, field, at);
        return field(at + field, () -> IpPrefix.parseAddress(s));
    }

    private static <T> T field(String name, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field '" + name + "': " + e.getMessage(), e);
        }
    }

    static String pretty(JsonNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
