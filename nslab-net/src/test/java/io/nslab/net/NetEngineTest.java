package io.nslab.net;

import io.nslab.netlink.nft.Command;
import io.nslab.netlink.nft.NftText;
import io.nslab.netlink.nft.Transaction;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.state.Marker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.nslab.net.NetEngine.ConnectRequest;
import static io.nslab.net.NetEngine.CreateRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The engine's bookkeeping (IPAM, validation, rollback, store) against an in-memory kernel. */
class NetEngineTest {
    @TempDir Path dir;
    FakeKernel kernel;
    NetEngine engine;

    @BeforeEach
    void setUp() {
        kernel = new FakeKernel();
        kernel.namespaces.addAll(List.of("a", "b", "c", "d", "e", "f", "g", "h"));
        engine = new NetEngine(new NetStore(dir), kernel);
    }

    private Map<String, String> snapshot() throws Exception {
        Map<String, String> m = new TreeMap<>();
        if (Files.isDirectory(dir)) try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".json")).toList()) m.put(p.getFileName().toString(), Files.readString(p));
        }
        Map<String, Set<String>> links = new TreeMap<>();
        kernel.links.forEach((k, v) -> { if (!v.isEmpty()) links.put(k, new TreeSet<>(v)); });
        m.put("links", links.toString());
        m.put("sysctls", new TreeMap<>(kernel.sysctls).toString());
        m.put("tables", new TreeMap<>(kernel.tables).keySet().toString());
        return m;
    }

    @Test
    void aRollbackLeavesALinkWithoutTheNetworksMarkAloneAndClearsItsJournal() throws Exception {
        engine.create(CreateRequest.of("nm", "10.30.0.0/24"));
        List<String> deletes = new ArrayList<>();
        // the veth's name was someone else's: the create fails, and the link of that name is not the network's
        NetKernel taken = new DelegatingKernel(kernel) {
            @Override public void addVeth(Optional<String> hostNs, String bridge, String hostIf, String ns, String ifname,
                                          IpPrefix address, InetAddress gateway, Marker owner) throws NetException {
                throw new NetException("link add " + hostIf + ": File exists");
            }
            @Override public void deleteLink(Optional<String> ns, String name, Marker owner) throws NetException {
                deletes.add(name + " " + owner);
                throw new NotOwnedException("link " + name + " does not carry nslab's mark " + owner);
            }
        };
        assertThatThrownBy(() -> new NetEngine(new NetStore(dir), taken).connect(ConnectRequest.of("nm", "a")))
                .hasMessageEndingWith(": File exists (rolled back)");
        assertThat(deletes).singleElement().asString().endsWith(" nslab:net:nm");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(f -> f.endsWith(".journal"));
        }
        assertThat(engine.connect(ConnectRequest.of("nm", "a")).address().getHostAddress()).isEqualTo("10.30.0.2");
    }

    @Test
    void createsWithDefaultGatewayAndBridgeAndTurnsForwardingOn() throws Exception {
        Network n = engine.create(CreateRequest.of("web", "10.1.0.0/24"));
        assertThat(n.gateway().getHostAddress()).isEqualTo("10.1.0.1");
        assertThat(n.bridge()).isEqualTo("nsl-web");
        assertThat(kernel.sysctls).containsEntry("(current) net.ipv4.ip_forward", "1").containsEntry("(current) net.ipv6.conf.all.forwarding", "1");
        assertThat(n.savedSysctls()).containsEntry("net.ipv4.ip_forward", "0");
        assertThat(kernel.tables).containsKey("(current) ip nslab-net-web");
        assertThat(engine.list()).extracting(Network::name).containsExactly("web");
        assertThat(NetStore.pretty(NetStore.toJson(engine.inspect("web")))).contains("\"subnet\" : \"10.1.0.0/24\"");
    }

    @Test
    void handsOutAddressesInOrderNeverGatewayNetworkOrBroadcastAndReleasesThem() throws Exception {
        engine.create(CreateRequest.of("small", "10.2.0.0/29"));
        List<String> got = new ArrayList<>();
        for (String ns : List.of("a", "b", "c", "d", "e")) got.add(engine.connect(ConnectRequest.of("small", ns)).address().getHostAddress());
        assertThat(got).containsExactly("10.2.0.2", "10.2.0.3", "10.2.0.4", "10.2.0.5", "10.2.0.6");
        assertThatThrownBy(() -> engine.connect(ConnectRequest.of("small", "f")))
                .hasMessage("net connect small f: network small: no free address left in 10.2.0.0/29 (5 endpoints connected)");
        assertThat(engine.disconnect("small", "c")).isTrue();
        assertThat(engine.connect(ConnectRequest.of("small", "f")).address().getHostAddress()).isEqualTo("10.2.0.4");
    }

    @Test
    void requestedAddressesAreChecked() throws Exception {
        engine.create(CreateRequest.of("n", "10.3.0.0/24").withGateway("10.3.0.254"));
        assertThat(engine.connect(ConnectRequest.of("n", "a").withIp("10.3.0.1")).address().getHostAddress()).isEqualTo("10.3.0.1");
        for (var c : Map.of("10.3.0.0", "is the network address of 10.3.0.0/24",
                "10.3.0.255", "is the broadcast address of 10.3.0.0/24",
                "10.3.0.254", "is the gateway of network n",
                "10.4.0.9", "is outside the subnet 10.3.0.0/24",
                "10.3.0.1", "is already in use by a",
                "10.3.0.300", "bad address 10.3.0.300: not an IP address").entrySet()) {
            assertThatThrownBy(() -> engine.connect(ConnectRequest.of("n", "b").withIp(c.getKey())))
                    .isInstanceOf(NetException.class).hasMessageStartingWith("net connect n b: ").hasMessageContaining(c.getValue());
        }
        assertThat(engine.inspect("n").endpoints()).hasSize(1);
    }

    @Test
    void disconnectIsIdempotent() throws Exception {
        engine.create(CreateRequest.of("n", "10.5.0.0/24"));
        engine.connect(ConnectRequest.of("n", "a"));
        assertThat(engine.disconnect("n", "a")).isTrue();
        assertThat(engine.disconnect("n", "a")).isFalse();
        assertThat(engine.disconnect("n", "never")).isFalse();
    }

    @Test
    void badInputChangesNothing() throws Exception {
        engine.create(CreateRequest.of("one", "10.6.0.0/16"));
        engine.connect(ConnectRequest.of("one", "a").withPorts("8080:80", "5353:53/udp"));
        Map<String, String> before = snapshot();
        List<String> logBefore = List.copyOf(kernel.log);
        record Bad(Executable call, String message) {}
        List<Bad> bad = List.of(
                new Bad(() -> engine.create(CreateRequest.of("x", "10.7.0.0/33")), "net create x: bad subnet 10.7.0.0/33: prefix length out of range 0..32: 33"),
                new Bad(() -> engine.create(CreateRequest.of("x", "10.7.0.300/24")), "net create x: bad subnet 10.7.0.300/24: not an IP address literal: 10.7.0.300"),
                new Bad(() -> engine.create(CreateRequest.of("x", "10.7.0.0")), "net create x: bad subnet 10.7.0.0: missing /LENGTH"),
                new Bad(() -> engine.create(CreateRequest.of("x", "10.7.0.1/24")), "net create x: bad subnet 10.7.0.1/24: host bits set (did you mean 10.7.0.0/24?)"),
                new Bad(() -> engine.create(CreateRequest.of("x", "10.6.128.0/24")), "net create x: subnet 10.6.128.0/24 overlaps 10.6.0.0/16 of network one"),
                new Bad(() -> engine.create(CreateRequest.of("x", "10.0.0.0/8")), "net create x: subnet 10.0.0.0/8 overlaps 10.6.0.0/16 of network one"),
                new Bad(() -> engine.create(CreateRequest.of("x", "10.8.0.0/24").withGateway("10.9.0.1")), "net create x: gateway 10.9.0.1 is outside the subnet 10.8.0.0/24"),
                new Bad(() -> engine.create(CreateRequest.of("x", "10.8.0.0/24").withGateway("10.8.0.255")), "net create x: gateway 10.8.0.255 is the broadcast address of 10.8.0.0/24"),
                new Bad(() -> engine.create(CreateRequest.of("one", "10.8.0.0/24")), "net create one: network one already exists"),
                new Bad(() -> engine.create(CreateRequest.of("bad name", "10.8.0.0/24")), "net create bad name: bad network name (letters, digits, '_', '.', '-'; at most 32, starting with a letter or digit)"),
                new Bad(() -> engine.create(CreateRequest.of("x", "10.8.0.0/24").withHostNs("nope")), "net create x: no such network namespace: nope"),
                new Bad(() -> engine.create(CreateRequest.of("x", "10.8.0.0/24").withBridge("nsl-one")), "net create x: bridge nsl-one is already used by network one"),
                new Bad(() -> engine.connect(ConnectRequest.of("one", "b").withPorts("70000:80")), "net connect one b: published port 70000:80: host port 70000 out of range 1..65535"),
                new Bad(() -> engine.connect(ConnectRequest.of("one", "b").withPorts("8081:0")), "net connect one b: published port 8081:0: container port 0 out of range 1..65535"),
                new Bad(() -> engine.connect(ConnectRequest.of("one", "b").withPorts("80:80/icmp")), "net connect one b: published port 80:80/icmp: protocol must be tcp or udp, not icmp"),
                new Bad(() -> engine.connect(ConnectRequest.of("one", "b").withPorts("8080:81")), "net connect one b: port 8080:81/tcp is already published (to a on network one)"),
                new Bad(() -> engine.connect(ConnectRequest.of("one", "b").withPorts("10.6.0.9:5353:53/udp")), "net connect one b: port 10.6.0.9:5353:53/udp is already published (to a on network one)"),
                new Bad(() -> engine.connect(ConnectRequest.of("one", "b").withPorts("9000:80", "9000:81")), "net connect one b: port 9000:81/tcp is given twice"),
                new Bad(() -> engine.connect(ConnectRequest.of("nonet", "b")), "net connect nonet b: no such network: nonet"),
                new Bad(() -> engine.connect(ConnectRequest.of("one", "nons")), "net connect one nons: no such network namespace: nons"),
                new Bad(() -> engine.connect(ConnectRequest.of("one", "a")), "net connect one a: a is already connected to one"),
                new Bad(() -> engine.connect(ConnectRequest.of("one", "b").withIfname("eth0/x")), "net connect one b: bad interface name eth0/x (1..15 characters, no spaces, '/' or ':')"),
                new Bad(() -> engine.disconnect("nonet", "a"), "net disconnect nonet a: no such network: nonet"),
                new Bad(() -> engine.remove("nonet", false), "net rm nonet: no such network: nonet"),
                new Bad(() -> engine.remove("one", false), "net rm one: network still has 1 endpoint(s) connected (a); disconnect them or use --force"),
                new Bad(() -> engine.inspect("nonet"), "net inspect nonet: no such network: nonet"));
        for (Bad b : bad) {
            assertThatThrownBy(b.call()::run).isInstanceOf(NetException.class).hasMessage(b.message());
            assertThat(snapshot()).as(b.message()).isEqualTo(before);
        }
        assertThat(kernel.log).isEqualTo(logBefore);
    }

    @FunctionalInterface
    interface Executable {
        void run() throws Exception;
    }

    @Test
    void aFailingStepRollsBackWhatTheCallDid() throws Exception {
        engine.create(CreateRequest.of("n", "10.10.0.0/24"));
        Map<String, String> before = snapshot();
        kernel.failOn = "nft";
        assertThatThrownBy(() -> engine.connect(ConnectRequest.of("n", "a").withPorts("8080:80")))
                .hasMessage("net connect n a: nft: injected failure (rolled back)");
        assertThat(snapshot()).isEqualTo(before);
        kernel.failOn = "nft";
        Map<String, String> beforeCreate = snapshot();
        assertThatThrownBy(() -> engine.create(CreateRequest.of("m", "10.11.0.0/24")))
                .hasMessage("net create m: nft: injected failure (rolled back)");
        assertThat(snapshot()).isEqualTo(beforeCreate);
    }

    @Test
    void removeRestoresSysctlsWhenTheLastNetworkOfTheNamespaceGoes() throws Exception {
        Map<String, String> before = snapshot();
        engine.create(CreateRequest.of("n1", "10.12.0.0/24"));
        engine.create(CreateRequest.of("n2", "10.13.0.0/24").withInternal(true));
        engine.connect(ConnectRequest.of("n1", "a").withPorts("53:53/udp"));
        engine.remove("n1", true);
        assertThat(kernel.flushes).hasSize(2); // on connect and on removal
        assertThat(kernel.sysctls).containsEntry("(current) net.ipv4.ip_forward", "1");
        engine.remove("n2", false);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void internalNetworksHaveNoMasqueradeAndNoPublishedPorts() throws Exception {
        engine.create(CreateRequest.of("in", "10.14.0.0/24").withInternal(true));
        List<String> rules = NetTables.replace(engine.inspect("in")).commands().stream()
                .filter(c -> c instanceof Command.AddRule).map(c -> NftText.rule(((Command.AddRule) c).rule())).toList();
        assertThat(rules).noneMatch(r -> r.contains("oifname != \"nsl-in\" masquerade")).anyMatch(r -> r.contains("masquerade"));
        assertThatThrownBy(() -> engine.connect(ConnectRequest.of("in", "a").withPorts("80:80")))
                .hasMessage("net connect in a: network in is internal: ports cannot be published");
    }

    @Test
    void fiftyConcurrentConnectsGetFiftyDistinctAddresses() throws Exception {
        kernel.anyNamespace = true;
        engine.create(CreateRequest.of("busy", "10.20.0.0/24"));
        try (ExecutorService ex = Executors.newFixedThreadPool(50)) {
            List<Future<Endpoint>> fs = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String ns = "t" + i;
                fs.add(ex.submit(() -> new NetEngine(new NetStore(dir), kernel).connect(ConnectRequest.of("busy", ns))));
            }
            Set<String> addrs = new HashSet<>();
            for (Future<Endpoint> f : fs) addrs.add(f.get().address().getHostAddress());
            assertThat(addrs).hasSize(50);
        }
        assertThat(engine.inspect("busy").endpoints()).hasSize(50);
    }

    @Test
    void concurrentProcessesNeverShareAnAddress() throws Exception {
        assumeTrue(System.getenv("NSLAB_FULL_KERNEL") == null, "child JVMs crash in JIT-compiled code under QEMU TCG (SIGSEGV/SIGILL in String.substring, BigInteger.mulAdd, ...): the full-kernel lane leaves this to the main lane on the real kernel");
        engine.create(CreateRequest.of("procs", "10.21.0.0/24"));
        // the children run on the class path: this JVM's module path (tests run on it) and class path
        String cp = Stream.of(System.getProperty("jdk.module.path"), System.getProperty("java.class.path"))
                .filter(Objects::nonNull).collect(Collectors.joining(File.pathSeparator));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> ps = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ps.add(new ProcessBuilder(java, "-cp", cp, IpamWorker.class.getName(),
                    dir.toString(), "procs", "p" + i, "10").redirectErrorStream(true).start());
        }
        // and threads of this JVM at the same time
        kernel.anyNamespace = true;
        try (ExecutorService ex = Executors.newFixedThreadPool(10)) {
            for (int i = 0; i < 10; i++) {
                String ns = "local" + i;
                ex.submit(() -> engine.connect(ConnectRequest.of("procs", ns)));
            }
        }
        for (Process p : ps) {
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor()).as(out).isZero();
        }
        List<Endpoint> eps = engine.inspect("procs").endpoints();
        assertThat(eps).hasSize(60);
        assertThat(eps.stream().map(e -> e.address().getHostAddress()).distinct().count()).isEqualTo(60);
    }

    @Test
    void publishedPortsParse() {
        assertThat(PublishedPort.parse("8080:80").toString()).isEqualTo("8080:80/tcp");
        assertThat(PublishedPort.parse("127.0.0.1:53:53/udp").toString()).isEqualTo("127.0.0.1:53:53/udp");
        assertThat(PublishedPort.parse("[::1]:8443:443").toString()).isEqualTo("[0:0:0:0:0:0:0:1]:8443:443/tcp");
        assertThatThrownBy(() -> PublishedPort.parse("80")).hasMessage("published port 80: expected [HOSTIP:]HOSTPORT:PORT[/tcp|udp]");
        assertThatThrownBy(() -> PublishedPort.parse("x:80")).hasMessage("published port x:80: \"x\" is not a port number");
    }

    @Test
    void connectAndDisconnectChangeOnlyMapElementsWhateverTheNetworkSize() throws Exception {
        kernel.anyNamespace = true;
        engine.create(CreateRequest.of("big", "10.21.0.0/24"));
        for (int i = 0; i < 20; i++) engine.connect(ConnectRequest.of("big", "m" + i).withPorts((7000 + i) + ":80"));
        int before = kernel.log.size();
        engine.connect(ConnectRequest.of("big", "last").withPorts("7999:80", "127.0.0.1:7998:80/udp"));
        Transaction tx = kernel.tables.get("(current) ip nslab-net-big");
        // two maps per kind of key (address, port), one element each: independent of the 20 endpoints already there
        assertThat(tx.commands()).hasSize(4).allMatch(c -> c instanceof Command.AddElements a && a.elements().size() == 1);
        engine.disconnect("big", "last");
        tx = kernel.tables.get("(current) ip nslab-net-big");
        assertThat(tx.commands()).hasSize(4).allMatch(c -> c instanceof Command.DeleteElements d && d.keys().size() == 1);
        int nftBefore = (int) kernel.log.stream().filter(o -> o.equals("nft")).count();
        engine.connect(ConnectRequest.of("big", "noports"));
        engine.disconnect("big", "noports");
        assertThat(kernel.log.stream().filter(o -> o.equals("nft")).count()).as("no nft work without published ports").isEqualTo(nftBefore);
        assertThat(before).isPositive();
    }

    @Test
    void aRefusedElementChangeFallsBackToRewritingTheTable() throws Exception {
        engine.create(CreateRequest.of("fb", "10.22.0.0/24"));
        NetKernel refusesElements = new DelegatingKernel(kernel) {
            @Override public void nft(Optional<String> ns, Transaction tx) throws NetException {
                if (tx.commands().stream().anyMatch(c -> c instanceof Command.AddElements) && !(tx.commands().getFirst() instanceof Command.AddTable))
                    throw new NetException("nftables: Could not process rule: No such file or directory");
                super.nft(ns, tx);
            }
        };
        new NetEngine(new NetStore(dir), refusesElements).connect(ConnectRequest.of("fb", "a").withPorts("8080:80"));
        Transaction tx = kernel.tables.get("(current) ip nslab-net-fb");
        assertThat(tx.commands().getFirst()).isInstanceOf(Command.AddTable.class);
        assertThat(tx.commands()).anySatisfy(c -> assertThat(c).isInstanceOfSatisfying(Command.AddElements.class, e ->
                assertThat(e.elements()).extracting(NftText::element).contains("tcp . 8080 : 10.22.0.2")));
    }
}
