package io.nslab.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.nft.Proto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The networks' state on disk: one {@code NAME.json} per network in the state
 * directory ({@code /var/lib/nslab/networks} by default), written atomically
 * (temporary file + rename). Every read-modify-write happens under
 * {@link #locked}: an exclusive {@code FileChannel.lock} on {@code .lock} in
 * that directory, which excludes other processes, plus a lock per directory
 * inside this JVM, because {@code FileChannel.lock} is held per process and
 * would throw {@code OverlappingFileLockException} for a second thread.
 */
public final class NetStore {
    public static final Path DEFAULT_DIR = Path.of("/var/lib/nslab/networks");
    /** Network names: also used in file, table and bridge names. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");

    // The in-process half of the lock: FileChannel locks belong to the whole JVM,
    // so threads of one JVM must be serialised here before taking the file lock.
    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

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
        ReentrantLock jvm = JVM_LOCKS.computeIfAbsent(dir, d -> new ReentrantLock());
        jvm.lock();
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                return work.run();
            }
        } catch (IOException e) {
            throw new NetException("network store " + dir + ": " + e.getMessage(), e);
        } finally {
            jvm.unlock();
        }
    }

    /** Every network, by name. Call under {@link #locked} for a consistent view. */
    public List<Network> all() throws NetException {
        if (!Files.isDirectory(dir)) return List.of();
        List<Network> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                out.add(read(p));
            }
        } catch (IOException e) {
            throw new NetException("network store " + dir + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(Network::name));
        return out;
    }

    public Optional<Network> get(String name) throws NetException {
        if (!NAME.matcher(name).matches()) return Optional.empty();
        Path p = dir.resolve(name + ".json");
        if (!Files.exists(p)) return Optional.empty();
        return Optional.of(read(p));
    }

    public void put(Network n) throws NetException {
        Path p = dir.resolve(n.name() + ".json");
        Path tmp = dir.resolve("." + n.name() + ".json.tmp");
        try {
            Files.createDirectories(dir);
            Files.writeString(tmp, JSON.writeValueAsString(toJson(n)));
            try {
                Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new NetException("network " + n.name() + ": cannot write " + p + ": " + e.getMessage(), e);
        }
    }

    public void remove(String name) throws NetException {
        try {
            Files.deleteIfExists(dir.resolve(name + ".json"));
        } catch (IOException e) {
            throw new NetException("network " + name + ": cannot remove its state: " + e.getMessage(), e);
        }
    }

    private static Network read(Path p) throws NetException {
        try {
            return fromJson(JSON.readTree(Files.readString(p)));
        } catch (IOException | RuntimeException e) {
            throw new NetException("network store: cannot read " + p + ": " + e.getMessage(), e);
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

    public static Network fromJson(JsonNode o) {
        List<Endpoint> eps = new ArrayList<>();
        for (JsonNode j : o.path("endpoints")) {
            List<PublishedPort> ports = new ArrayList<>();
            for (JsonNode q : j.path("ports")) {
                ports.add(new PublishedPort(Proto.parse(q.get("proto").asText()),
                        q.path("hostIp").isTextual() ? Optional.of(IpPrefix.parseAddress(q.get("hostIp").asText())) : Optional.empty(),
                        q.get("hostPort").asInt(), q.get("port").asInt()));
            }
            String addr = j.get("address").asText();
            int slash = addr.indexOf('/');
            eps.add(new Endpoint(j.get("ns").asText(), j.get("ifname").asText(), j.get("hostIfname").asText(),
                    IpPrefix.parseAddress(slash < 0 ? addr : addr.substring(0, slash)), ports));
        }
        Map<String, String> sys = new LinkedHashMap<>();
        o.path("savedSysctls").properties().forEach(en -> sys.put(en.getKey(), en.getValue().asText()));
        return new Network(o.get("name").asText(), IpPrefix.parse(o.get("subnet").asText()),
                IpPrefix.parseAddress(o.get("gateway").asText()), o.get("bridge").asText(), o.path("internal").asBoolean(),
                o.path("hostNs").isTextual() ? Optional.of(o.get("hostNs").asText()) : Optional.empty(), eps, sys);
    }

    static String pretty(JsonNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
