package io.nslab.net.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nslab.netlink.nft.Proto;
import io.nslab.netlink.route.IpPrefix;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * nslab's address store for CNI networks: one {@code NAME.json} per network
 * in its directory (ipam {@code dataDir}, else {@code $NSLAB_STATE_DIR/cni},
 * else {@code /var/lib/nslab/cni}), written atomically (temporary file +
 * rename) and changed only under an exclusive lock on {@code NAME.lock}
 * (a file lock across processes plus a lock per file inside one JVM, where
 * file locks are per process). Every ADD, DEL and GC of a network is one
 * read-modify-write under that lock, which is why parallel ADDs never share
 * an address.
 */
public final class CniStore {
    public static final Path DEFAULT_DIR = Path.of("/var/lib/nslab/cni");
    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private final Path dir;
    private final long lockTimeoutMillis;

    public CniStore(Path dir, long lockTimeoutMillis) {
        this.dir = dir.toAbsolutePath().normalize();
        this.lockTimeoutMillis = lockTimeoutMillis;
    }

    static Path dirFor(Optional<IpamConfig> ipam, Map<String, String> env) {
        if (ipam.isPresent() && ipam.get().dataDir().isPresent()) return ipam.get().dataDir().get();
        String s = env.get("NSLAB_STATE_DIR");
        return s == null || s.isBlank() ? DEFAULT_DIR : Path.of(s, "cni");
    }

    public Path dir() {
        return dir;
    }

    /** The stored state of one network. */
    public record State(boolean bridgeCreated, List<String> last, List<Attachment> attachments) {
        static final State EMPTY = new State(false, List.of(), List.of());

        public State {
            last = List.copyOf(last);
            attachments = List.copyOf(attachments);
        }

        Optional<Attachment> find(Attachment.Key k) {
            return attachments.stream().filter(a -> a.key().equals(k)).findFirst();
        }

        State without(Attachment.Key k) {
            return new State(bridgeCreated, last, attachments.stream().filter(a -> !a.key().equals(k)).toList());
        }

        State with(Attachment a, List<String> newLast) {
            List<Attachment> l = new ArrayList<>(attachments);
            l.add(a);
            return new State(bridgeCreated, newLast, l);
        }

        State withBridgeCreated(boolean b) {
            return new State(b, last, attachments);
        }
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(State current) throws CniError;
    }

    /** Runs {@code work} on the network's state holding its lock; error 11 if the lock stays taken too long. */
    public <T> T locked(String network, Work<T> work) throws CniError {
        Path lockFile = dir.resolve(network + ".lock");
        ReentrantLock jvm = JVM_LOCKS.computeIfAbsent(lockFile, d -> new ReentrantLock());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(lockTimeoutMillis);
        try {
            if (!jvm.tryLock(lockTimeoutMillis, TimeUnit.MILLISECONDS)) throw busy(network);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy(network);
        }
        try {
            Files.createDirectories(dir);
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock l;
                while ((l = ch.tryLock()) == null) {
                    if (System.nanoTime() > deadline) throw busy(network);
                    Thread.sleep(2);
                }
                try (FileLock ignored = l) {
                    return work.run(read(network));
                }
            }
        } catch (IOException e) {
            throw new CniError(CniError.IO_FAILURE, "address store " + dir + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy(network);
        } finally {
            jvm.unlock();
        }
    }

    private CniError busy(String network) {
        return new CniError(CniError.TRY_AGAIN_LATER, "address store " + dir + ": network " + network
                + " is locked by another call for more than " + lockTimeoutMillis + " ms");
    }

    /** Every network with stored state. */
    public List<String> networks() throws CniError {
        if (!Files.isDirectory(dir)) return List.of();
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json") && !n.startsWith("."))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
        } catch (IOException e) {
            throw new CniError(CniError.IO_FAILURE, "address store " + dir + ": " + e.getMessage());
        }
    }

    public State read(String network) throws CniError {
        Path p = dir.resolve(network + ".json");
        if (!Files.exists(p)) return State.EMPTY;
        try {
            return fromJson(Json.MAPPER.readTree(Files.readString(p)));
        } catch (IOException | RuntimeException e) {
            throw new CniError(CniError.IO_FAILURE, "address store: cannot read " + p + ": " + e.getMessage());
        }
    }

    /** Writes the network's state (or removes its file when nothing is left). Call under {@link #locked}. */
    public void write(String network, State s) throws CniError {
        Path p = dir.resolve(network + ".json");
        try {
            if (s.attachments().isEmpty() && !s.bridgeCreated()) {
                Files.deleteIfExists(p);
                return;
            }
            Path tmp = dir.resolve("." + network + ".json.tmp");
            Files.writeString(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(toJson(s)));
            try {
                Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new CniError(CniError.IO_FAILURE, "address store: cannot write " + p + ": " + e.getMessage());
        }
    }

    /** Throws unless a file can be created in the store's directory (STATUS). */
    public void checkWritable() throws CniError {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".status", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new CniError(CniError.NOT_AVAILABLE, "address store " + dir + " cannot be written: " + e.getMessage());
        }
    }

    static ObjectNode toJson(State s) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("bridgeCreated", s.bridgeCreated());
        ArrayNode last = o.putArray("last");
        s.last().forEach(last::add);
        ArrayNode at = o.putArray("attachments");
        for (Attachment a : s.attachments()) {
            ObjectNode j = at.addObject();
            j.put("containerId", a.key().containerId());
            j.put("ifname", a.key().ifname());
            j.put("netns", a.netns());
            j.put("hostIf", a.hostIf());
            j.put("mac", a.mac());
            ArrayNode ips = j.putArray("ips");
            for (Attachment.Ip ip : a.ips())
                ips.addObject().put("set", ip.set()).put("address", ip.address().toString()).put("gateway", IpPrefix.text(ip.gateway()));
            ArrayNode ports = j.putArray("ports");
            for (CniConfig.PortMap p : a.ports()) {
                ObjectNode q = ports.addObject().put("protocol", p.proto().nft()).put("hostPort", p.hostPort()).put("containerPort", p.containerPort());
                p.hostIp().ifPresent(h -> q.put("hostIP", IpPrefix.text(h)));
            }
        }
        return o;
    }

    static State fromJson(JsonNode o) {
        List<String> last = new ArrayList<>();
        o.path("last").forEach(n -> last.add(n.asText()));
        List<Attachment> at = new ArrayList<>();
        for (JsonNode j : o.path("attachments")) {
            List<Attachment.Ip> ips = new ArrayList<>();
            for (JsonNode ip : j.path("ips"))
                ips.add(new Attachment.Ip(ip.get("set").asInt(), IpPrefix.parse(ip.get("address").asText()), IpPrefix.parseAddress(ip.get("gateway").asText())));
            List<CniConfig.PortMap> ports = new ArrayList<>();
            for (JsonNode p : j.path("ports"))
                ports.add(new CniConfig.PortMap(Proto.parse(p.get("protocol").asText()),
                        p.hasNonNull("hostIP") ? Optional.of(IpPrefix.parseAddress(p.get("hostIP").asText())) : Optional.empty(),
                        p.get("hostPort").asInt(), p.get("containerPort").asInt()));
            at.add(new Attachment(new Attachment.Key(j.get("containerId").asText(), j.get("ifname").asText()),
                    j.get("netns").asText(), j.get("hostIf").asText(), j.get("mac").asText(), ips, ports));
        }
        return new State(o.path("bridgeCreated").asBoolean(), last, at);
    }
}
