package io.nslab.lab.host;

import io.nslab.lab.apply.KernelExecutor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Limits the host sets for every namespace at once, which a big lab hits without any error from the kernel:
 * <ul>
 * <li>the neighbour tables: ARP and ND entries of every namespace count against one limit per family,
 *     {@code net.ipv4/ipv6.neigh.default.gc_thresh3} (1024 by default; above {@code gc_thresh2} the kernel
 *     collects garbage at every new entry); past it, new entries fail and so does traffic;</li>
 * <li>the input backlog: a broadcast on a bridge is copied to every port at once, each copy queued for its veth
 *     peer on this CPU's backlog of {@code net.core.netdev_max_backlog} frames (1000 by default); copies beyond
 *     it are dropped, so on a segment wider than that, ARP requests miss members.</li>
 * </ul>
 * Only the initial network namespace can read or set them; in any other (a test sandbox, a container)
 * {@link #read} says so.
 *
 * <p>{@link #tune} raises them for a lab and remembers, in {@code ROOT/host-tuning.json}, the values it found
 * and the labs that needed more; {@link #release} restores those values when the last of those labs goes down,
 * once the kernel has freed the lab's neighbour entries (they go with its namespaces, which the kernel destroys
 * in the background).
 */
public final class HostLimits {
    /** net.core.netdev_max_backlog, as sysctl(8) names it. */
    public static final String BACKLOG = "net.core.netdev_max_backlog";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One family's table: entries in use now and the three thresholds. */
    public record Table(boolean ipv6, int inUse, int thresh1, int thresh2, int thresh3) {
        public String family() { return ipv6 ? "ipv6" : "ipv4"; }
        /** The sysctl's name as {@code sysctl(8)} writes it: {@code net.ipv4.neigh.default.gc_thresh3}. */
        public String sysctl(int k) { return "net." + family() + ".neigh.default.gc_thresh" + k; }
    }

    /** What the host allows: both neighbour tables and the input backlog. */
    public record Limits(List<Table> tables, int backlog) {}

    /**
     * The lab's need against the host's limits (empty when they cannot be read here) and this process's limit of
     * open files (RLIMIT_NOFILE, {@code ulimit -n}; empty when unknown).
     */
    public record Check(HostNeed need, Optional<Limits> limits, OptionalLong openFiles) {
        public Check(HostNeed need, Optional<Limits> limits) {
            this(need, limits, OptionalLong.empty());
        }

        /** Whether {@code up} can hold its namespace handles and sockets at once (not something --tune-host changes). */
        public boolean filesFit() {
            return openFiles.isEmpty() || need.files() <= openFiles.getAsLong();
        }

        public String filesMessage(String lab) {
            return "up " + lab + ": refused, nothing changed: the lab needs about " + need.files()
                    + " open files (a namespace handle and a netlink socket for each of up to " + KernelExecutor.OPEN_NAMESPACES + " namespaces at once) but this process may open "
                    + openFiles.orElse(0) + " (RLIMIT_NOFILE); raise it, e.g. ulimit -n " + ((need.files() + 1023) / 1024 * 1024)
                    + " before nslab up";
        }

        /** The neighbour tables, when readable. */
        public Optional<List<Table>> tables() { return limits.map(Limits::tables); }

        /**
         * Whether copies of broadcasts would overflow the backlog: below two broadcasts' worth of copies (the
         * widest bridge's ports and a tree's uplinks) at once, ARP requests from a few members at the same time
         * already lose copies.
         */
        public boolean backlogShort() {
            return limits.isPresent() && 2L * (need.fanout() + 8) > limits.get().backlog();
        }

        public boolean readable() { return limits.isPresent(); }

        /** Tables the lab does not fit in: entries in use plus the lab's need above gc_thresh3. */
        public List<Table> shortOf() {
            List<Table> out = new ArrayList<>();
            for (Table t : tables().orElse(List.of())) if (need.of(t.ipv6()) > 0 && t.inUse() + need.of(t.ipv6()) > t.thresh3()) out.add(t);
            return out;
        }

        /** True when the lab fits or the limits are unknown (nslab cannot tell; {@link #note} says so). */
        public boolean fits() { return shortOf().isEmpty() && !backlogShort(); }

        /** The sysctls to raise and their values ({@code net.ipv4.neigh.default.gc_thresh3} -> {@code 65536}), only raising. */
        public Map<String, Integer> wanted() {
            Map<String, Integer> out = new LinkedHashMap<>();
            for (Table t : shortOf()) {
                long total = (long) t.inUse() + need.of(t.ipv6());
                // twice what is needed, in steps of 1024: room for the lab's own traffic; gc_thresh2 at half, so
                // the lab's entries sit below it and are not collected while it runs
                int t3 = (int) Math.min(Integer.MAX_VALUE, (2 * total + 1023) / 1024 * 1024);
                out.put(t.sysctl(2), Math.max(t.thresh2(), t3 / 2));
                out.put(t.sysctl(3), Math.max(t.thresh3(), t3));
            }
            // sixteen times the widest bridge, in steps of 1024: verify's probes (and a lab's hosts) start ARP
            // requests side by side; a cap, not memory: only frames actually queued take any
            if (backlogShort()) out.put(BACKLOG, (int) Math.min(Integer.MAX_VALUE, (16L * (need.fanout() + 8) + 1023) / 1024 * 1024));
            return out;
        }

        /** Why {@code up} stops, naming the sysctls and values. */
        public String message(String lab) {
            List<String> why = new ArrayList<>();
            for (Table t : shortOf())
                why.add("about " + need.of(t.ipv6()) + " " + t.family().toUpperCase(Locale.ROOT) + " neighbour entries (" + t.inUse()
                        + " in use on this host) but " + t.sysctl(3) + " is " + t.thresh3());
            if (backlogShort())
                why.add("a broadcast copied to " + need.fanout() + " bridge ports at once but " + BACKLOG + " is " + limits.get().backlog());
            List<String> set = new ArrayList<>();
            wanted().forEach((k, v) -> set.add(k + "=" + v));
            return "up " + lab + ": refused, nothing changed: the lab needs " + String.join(" and ", why)
                    + " (limits shared by every namespace); set " + String.join(" ", set)
                    + " in the initial network namespace, or run up with --tune-host";
        }

        /** The one line said when the limits cannot be read. */
        public String note() {
            return "host limits: net.ipv4/ipv6.neigh.default.gc_thresh1/2/3 and " + BACKLOG + " cannot be read here"
                    + " (not the initial network namespace); this lab needs about " + need.ipv4() + " IPv4 and " + need.ipv6()
                    + " IPv6 neighbour entries (under gc_thresh3 with what the host holds)"
                    + (need.fanout() > 0 ? " and broadcasts copied to " + need.fanout() + " bridge ports (under the backlog)" : "");
        }

        /** One line for {@code plan}. */
        public String summary() {
            if (!readable()) return note();
            List<String> parts = new ArrayList<>();
            for (Table t : limits.get().tables())
                parts.add(t.family() + " " + need.of(t.ipv6()) + " needed + " + t.inUse() + " in use of gc_thresh3 " + t.thresh3());
            return "host limits: neighbour entries " + String.join(", ", parts) + "; broadcast copies " + need.fanout() + " of "
                    + BACKLOG + " " + limits.get().backlog() + (fits() ? "" : ": does not fit; up would stop unless --tune-host");
        }
    }

    /** How long {@link #release} waits for the kernel to free a lab's neighbour entries before restoring. */
    static final Duration DRAIN = Duration.ofSeconds(120);

    private final Path proc;
    private final Path state;

    /**
     * @param proc where procfs is ({@code /proc})
     * @param root nslab's state directory ({@code /run/nslab}); the tuning record lives there
     */
    public HostLimits(Path proc, Path root) {
        this.proc = proc;
        this.state = root.resolve("host-tuning.json");
    }

    /** Both tables and the backlog, or empty when this process is not in the initial network namespace. */
    public Optional<Limits> read() {
        try {
            return Optional.of(new Limits(List.of(table(false), table(true)), Integer.parseInt(readSysctl(sysctlPath(BACKLOG)))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public Check check(HostNeed need) {
        return new Check(need, read(), openFiles());
    }

    /** The soft limit of open files of this process, from {@code /proc/self/limits}. */
    private OptionalLong openFiles() {
        try {
            for (String l : Files.readAllLines(proc.resolve("self/limits"))) {
                if (!l.startsWith("Max open files")) continue;
                String soft = l.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(soft));
            }
        } catch (IOException | RuntimeException e) {
            // unknown: nothing to check against
        }
        return OptionalLong.empty();
    }

    private Table table(boolean v6) throws IOException {
        String fam = v6 ? "ipv6" : "ipv4";
        int[] t = new int[4];
        for (int k = 1; k <= 3; k++) t[k] = Integer.parseInt(readSysctl(sysctlPath(fam, k)));
        // every row of /proc/net/stat/*_cache (one per CPU) repeats the table's total in its first column, in hex
        List<String> rows = Files.readAllLines(proc.resolve("net/stat/" + (v6 ? "ndisc_cache" : "arp_cache")));
        int inUse = Integer.parseInt(rows.get(1).trim().split("\\s+")[0], 16);
        return new Table(v6, inUse, t[1], t[2], t[3]);
    }

    /**
     * A sysctl's value in one read(2): the kernel's integer handlers answer a read at a non-zero offset with
     * end-of-file, and Files.readString reads a file of size 0 one byte first (it read "1" for 1024).
     */
    static String readSysctl(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] b = new byte[4096];
            int n = in.read(b);
            return new String(b, 0, Math.max(0, n), StandardCharsets.US_ASCII).trim();
        }
    }

    private Path sysctlPath(String family, int k) {
        return proc.resolve("sys/net/" + family + "/neigh/default/gc_thresh" + k);
    }

    private Path sysctlPath(String dotted) {
        return proc.resolve("sys/" + dotted.replace('.', '/'));
    }

    /**
     * Raises what {@code check} wants for {@code lab}, recording the values found first (only the first lab that
     * raises a sysctl records it, so the host's own value is what comes back).
     */
    public void tune(String lab, Check check) throws IOException {
        if (!check.readable())
            throw new IOException("--tune-host: the neighbour table limits cannot be set from here (not the initial network namespace)");
        Files.createDirectories(state.getParent());
        try (FileChannel lock = lockFile(); FileLock _ = lock.lock()) {
            ObjectNode s = readState();
            ObjectNode original = (ObjectNode) s.get("original");
            for (var e : check.wanted().entrySet()) {
                Path p = sysctlPath(e.getKey());
                String now = readSysctl(p);
                if (!original.has(e.getKey())) original.put(e.getKey(), now);
                if (Integer.parseInt(now) < e.getValue()) Files.writeString(p, Integer.toString(e.getValue()));
            }
            ArrayNode labs = (ArrayNode) s.get("labs");
            boolean listed = false;
            for (var l : labs) listed |= l.asText().equals(lab);
            if (!listed) labs.add(lab);
            writeState(s);
        }
    }

    /** {@code lab} is down: when it was the last lab that needed more, the values found before come back. */
    public void release(String lab) throws IOException {
        if (!Files.exists(state)) return;
        try (FileChannel lock = lockFile(); FileLock _ = lock.lock()) {
            ObjectNode s = readState();
            ArrayNode labs = (ArrayNode) s.get("labs");
            for (int i = labs.size() - 1; i >= 0; i--) if (labs.get(i).asText().equals(lab)) labs.remove(i);
            if (!labs.isEmpty()) {
                writeState(s);
                return;
            }
            drain(s.get("original"));
            for (var e : s.get("original").properties()) Files.writeString(sysctlPath(e.getKey()), e.getValue().asText());
            Files.deleteIfExists(state);
        }
    }

    /**
     * Waits (up to {@link #DRAIN}) until the neighbour entries in use fit under the thresholds about to come back:
     * the kernel frees the entries of a lab's namespaces only when it gets round to destroying them, and until
     * then, thresholds put back too early make every other namespace's new entry fail (ENOBUFS).
     */
    private void drain(JsonNode original) {
        long deadline = System.nanoTime() + DRAIN.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Limits> now = read();
            if (now.isEmpty()) return;
            boolean fits = true;
            for (Table t : now.get().tables()) {
                var t2 = original.get(t.sysctl(2));
                if (t2 != null && t.inUse() > Integer.parseInt(t2.asText())) fits = false;
            }
            if (fits) return;
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The values {@link #release} will restore, while some lab holds the host tuned. */
    public Optional<Map<String, String>> recorded() throws IOException {
        if (!Files.exists(state)) return Optional.empty();
        Map<String, String> out = new LinkedHashMap<>();
        readState().get("original").properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return Optional.of(out);
    }

    private FileChannel lockFile() throws IOException {
        return FileChannel.open(state.resolveSibling("host-tuning.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }

    private ObjectNode readState() throws IOException {
        if (Files.exists(state)) return (ObjectNode) JSON.readTree(state.toFile());
        ObjectNode s = JSON.createObjectNode();
        s.putObject("original");
        s.putArray("labs");
        return s;
    }

    private void writeState(ObjectNode s) throws IOException {
        Path tmp = state.resolveSibling("host-tuning.json.tmp");
        Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(s) + "\n");
        Files.move(tmp, state, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
