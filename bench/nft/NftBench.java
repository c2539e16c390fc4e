import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nslab.net.Endpoint;
import io.nslab.net.NetTables;
import io.nslab.net.Network;
import io.nslab.net.PublishedPort;
import io.nslab.netlink.nft.Nft;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.nft.Proto;
import io.nslab.netlink.nft.TableRef;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Publishing N ports on one network, one transaction each, then removing
 * them one transaction each, timed per transaction on every path side by side
 * in one JVM: nslab's Nft (whatever backend the library has), libnftables'
 * JSON API called directly, and {@code nft -f -} spawned per change.
 * Run through bench/nft/run.sh, which puts it in a throwaway network namespace.
 *
 * <p>Usage: {@code NftBench [N [ROUNDS]]}.
 */
public class NftBench {
    static final Network NET = new Network("bench", IpPrefix.parse("172.30.0.0/16"), IpPrefix.parseAddress("172.30.0.1"),
            "br-bench", false, Optional.empty(), List.of(), Map.of());
    static final TableRef T = NET.table();
    static final int PORT0 = 10000, WARMUP = 300, WARMUP_SPAWNS = 30;

    /** One way of publishing and withdrawing port {@code PORT0 + i}. */
    interface Way extends AutoCloseable {
        void add(int i) throws Throwable;
        void delete(int i) throws Throwable;
        default void close() throws Exception {}
    }

    static String address(int i) {
        int a = 0xAC1E0002 + i; // 172.30.0.2 + i
        return (a >>> 24) + "." + (a >>> 16 & 255) + "." + (a >>> 8 & 255) + "." + (a & 255);
    }

    /** What {@code net connect -p PORT:80} sends: NetTables' own transactions, one long-lived Nft. */
    static Way nslab(List<Endpoint> eps) throws IOException {
        Nft nft = Nft.open();
        return new Way() {
            public void add(int i) throws Throwable { nft.applyQuiet(NetTables.connect(NET, eps.get(i))); }
            public void delete(int i) throws Throwable { nft.applyQuiet(NetTables.disconnect(NET, eps.get(i))); }
            public void close() { nft.close(); }
        };
    }

    /** The same, with an Nft opened and closed per change, as NetlinkKernel.nft does today. */
    static Way nslabOpenPerChange(List<Endpoint> eps) {
        return new Way() {
            public void add(int i) throws Throwable {
                try (Nft nft = Nft.open()) { nft.applyQuiet(NetTables.connect(NET, eps.get(i))); }
            }
            public void delete(int i) throws Throwable {
                try (Nft nft = Nft.open()) { nft.applyQuiet(NetTables.disconnect(NET, eps.get(i))); }
            }
        };
    }

    static Way libnftables(LibNftablesJson lib) {
        String head = "{\"add\":{\"element\":{\"family\":\"ip\",\"table\":\"" + T.name() + "\",\"name\":\"";
        String delHead = "{\"delete\":{\"element\":{\"family\":\"ip\",\"table\":\"" + T.name() + "\",\"name\":\"";
        return new Way() {
            public void add(int i) throws Throwable {
                String key = "{\"concat\":[\"tcp\"," + (PORT0 + i) + "]}";
                lib.run("{\"nftables\":["
                        + head + NetTables.PUB_ADDR + "\",\"elem\":[[" + key + ",\"" + address(i) + "\"]]}}},"
                        + head + NetTables.PUB_PORT + "\",\"elem\":[[" + key + ",80]]}}}]}");
            }
            public void delete(int i) throws Throwable {
                String key = "{\"concat\":[\"tcp\"," + (PORT0 + i) + "]}";
                lib.run("{\"nftables\":["
                        + delHead + NetTables.PUB_ADDR + "\",\"elem\":[" + key + "]}}},"
                        + delHead + NetTables.PUB_PORT + "\",\"elem\":[" + key + "]}}}]}");
            }
            public void close() throws Exception { lib.close(); }
        };
    }

    static Way nftF() {
        String t = "ip " + T.name() + " ";
        return new Way() {
            public void add(int i) throws Throwable {
                int p = PORT0 + i;
                nft("add element " + t + NetTables.PUB_ADDR + " { tcp . " + p + " : " + address(i) + " }\n"
                        + "add element " + t + NetTables.PUB_PORT + " { tcp . " + p + " : 80 }\n", "-f", "-");
            }
            public void delete(int i) throws Throwable {
                int p = PORT0 + i;
                nft("delete element " + t + NetTables.PUB_ADDR + " { tcp . " + p + " }\n"
                        + "delete element " + t + NetTables.PUB_PORT + " { tcp . " + p + " }\n", "-f", "-");
            }
        };
    }

    static String nft(String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("nft"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) { in.write(stdin.getBytes(StandardCharsets.UTF_8)); }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException("nft " + String.join(" ", args) + " failed: " + out + "\ninput: " + stdin);
        return out;
    }

    /** Elements in both maps, from one {@code nft -j list map} each. */
    static void expectElements(String label, int n) throws Exception {
        for (String m : List.of(NetTables.PUB_ADDR, NetTables.PUB_PORT)) {
            JsonNode root = new ObjectMapper().readTree(nft("", "-j", "list", "map", "ip", T.name(), m));
            int count = 0;
            for (JsonNode o : root.path("nftables")) count += o.path("map").path("elem").size();
            if (count != n) throw new IllegalStateException(label + ": map " + m + " holds " + count + " elements, expected " + n);
        }
    }

    record Samples(long[] add, long[] delete) {}

    static Samples round(String label, Way w, int n) throws Throwable {
        long[] add = new long[n], del = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            w.add(i);
            add[i] = System.nanoTime() - t0;
        }
        expectElements(label + " after the adds", n);
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            w.delete(i);
            del[i] = System.nanoTime() - t0;
        }
        expectElements(label + " after the deletes", 0);
        return new Samples(add, del);
    }

    static void warm(Way w, int n) throws Throwable {
        for (int i = 0; i < n; i++) w.add(i);
        for (int i = 0; i < n; i++) w.delete(i);
    }

    public static void main(String[] args) throws Throwable {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        // the bench adds and deletes a table: refuse to run anywhere but in a fresh namespace (only lo)
        if (!freshNamespace())
            throw new IllegalStateException("this network namespace has interfaces besides lo: run bench/nft/run.sh");
        List<Endpoint> eps = new ArrayList<>();
        for (int i = 0; i < Math.max(n, WARMUP); i++)
            eps.add(new Endpoint("ns" + i, "eth0", "vb" + i, InetAddress.ofLiteral(address(i)),
                    List.of(new PublishedPort(Proto.TCP, Optional.empty(), PORT0 + i, 80))));

        try (Nft nft = Nft.open()) { nft.apply(NetTables.replace(NET)); }

        Map<String, Way> ways = new LinkedHashMap<>();
        ways.put("nslab Nft.applyQuiet", nslab(eps));
        ways.put("nslab Nft.open+applyQuiet+close", nslabOpenPerChange(eps));
        Optional<LibNftablesJson> lib = LibNftablesJson.open();
        if (lib.isPresent()) ways.put("libnftables JSON (FFM)", libnftables(lib.get()));
        else System.out.println("libnftables JSON: skipped, libnftables.so.1 not found (Debian: apt-get install libnftables1)");
        ways.put("nft -f - per change", nftF());

        for (var e : ways.entrySet()) warm(e.getValue(), e.getKey().startsWith("nft -f") ? WARMUP_SPAWNS : WARMUP);

        Map<String, List<Samples>> results = new LinkedHashMap<>();
        List<String> order = new ArrayList<>(ways.keySet());
        for (int r = 0; r < rounds; r++) {
            // alternate the order, so that no path always runs right after the same one
            if (r > 0) Collections.reverse(order);
            for (String k : order) results.computeIfAbsent(k, x -> new ArrayList<>()).add(round(k, ways.get(k), n));
        }
        for (Way w : ways.values()) w.close();
        try (Nft nft = Nft.open()) { nft.deleteTable(T); }

        System.out.printf(Locale.ROOT, "%d ports published then removed, one transaction each, %d round(s) per path; nslab's Nft backend: %s%n",
                n, rounds, backend());
        System.out.printf(Locale.ROOT, "%-32s %9s %9s %9s %9s %10s %10s %9s %9s%n", "path (per transaction, us)",
                "add_med", "add_p90", "del_med", "del_p90", "adds_ms", "dels_ms", "x_median", "x_total");
        double baseMed = 0, baseTot = 0;
        for (var e : results.entrySet()) {
            List<Samples> s = e.getValue();
            long[] add = concat(s.stream().map(Samples::add).toList()), del = concat(s.stream().map(Samples::delete).toList());
            long[] both = concat(List.of(add, del));
            double med = pct(both, 50), tot = (sum(add) + sum(del)) / 1e6 / rounds;
            if (baseMed == 0) { baseMed = med; baseTot = tot; }
            System.out.printf(Locale.ROOT, "%-32s %9.0f %9.0f %9.0f %9.0f %10.1f %10.1f %8.2fx %8.2fx%n", e.getKey(),
                    pct(add, 50) / 1e3, pct(add, 90) / 1e3, pct(del, 50) / 1e3, pct(del, 90) / 1e3,
                    sum(add) / 1e6 / rounds, sum(del) / 1e6 / rounds, med / baseMed, tot / baseTot);
        }
        System.out.println("adds_ms/dels_ms: total for the " + n + " adds / deletes, mean over the rounds; "
                + "x_median, x_total: that path's median per transaction (adds and deletes) / total, over the first row's");
        for (var e : results.entrySet()) {
            long[] first = e.getValue().getFirst().add();
            int tenth = Math.max(1, n / 10);
            System.out.printf(Locale.ROOT, "%-32s adds, round 1: first %d mean %.0f us, last %d mean %.0f us%n", e.getKey(),
                    tenth, mean(first, 0, tenth) / 1e3, tenth, mean(first, n - tenth, n) / 1e3);
        }
    }

    /** Which backend the nslab jar has: its libnftables binding is deleted when the netlink one lands. */
    static String backend() {
        try {
            Class.forName("io.nslab.netlink.sys.LibNftables");
            return "libnftables JSON";
        } catch (ClassNotFoundException e) {
            return "netlink (no sys.LibNftables in the jar)";
        }
    }

    static boolean freshNamespace() {
        try {
            return NetworkInterface.networkInterfaces().allMatch(i -> i.getName().equals("lo"));
        } catch (SocketException e) {
            return true; // not one interface with an address: lo is still down
        }
    }

    static long[] concat(List<long[]> parts) {
        return parts.stream().flatMapToLong(Arrays::stream).toArray();
    }

    static long sum(long[] v) {
        return Arrays.stream(v).sum();
    }

    static double mean(long[] v, int from, int to) {
        return Arrays.stream(v, from, to).average().orElse(0);
    }

    /** Nearest-rank percentile. */
    static double pct(long[] v, int p) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[Math.max(0, (int) Math.ceil(p / 100.0 * s.length) - 1)];
    }
}
