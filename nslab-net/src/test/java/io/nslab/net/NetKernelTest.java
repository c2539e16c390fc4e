package io.nslab.net;

import com.fasterxml.jackson.databind.JsonNode;
import io.nslab.testing.KernelTest;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.state.Marker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.nslab.net.NetEngine.ConnectRequest;
import static io.nslab.net.NetEngine.CreateRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Networks on the real kernel, inside the test sandbox: S4 and S10 rebuilt,
 * isolation, concurrency, idempotent disconnect, complete teardown, bad input.
 * Every address lives in a namespace this test made.
 */
@KernelTest
class NetKernelTest {
    @TempDir Path state;
    Sandbox sb;
    NetEngine engine;

    @BeforeEach
    void setUp() {
        Sandbox.preconditions();
        sb = new Sandbox();
        engine = new NetEngine(new NetStore(state), new NetlinkKernel());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (engine != null) for (Network n : engine.list()) engine.remove(n.name(), true);
        if (sb != null) sb.close();
    }

    /** What teardown must give back: ruleset, forwarding sysctls, links of the host namespace, the store. */
    Map<String, Object> snapshot(Optional<String> host) throws Exception {
        Map<String, Object> m = new TreeMap<>();
        m.put("ruleset", Sandbox.nftRuleset(host));
        m.put("links", Sandbox.linkNames(host));
        NetlinkKernel k = new NetlinkKernel();
        m.put("ip_forward", k.sysctl(host, NetEngine.FORWARD_V4));
        m.put("ipv6 forwarding", k.sysctl(host, NetEngine.FORWARD_V6));
        List<String> files = new ArrayList<>();
        if (Files.isDirectory(state)) try (Stream<Path> s = Files.list(state)) {
            s.filter(p -> p.toString().endsWith(".json")).forEach(p -> files.add(p.getFileName().toString()));
        }
        m.put("store", files);
        return m;
    }

    @Test
    void s10DockerBridgeWithPublishedPortsMasqueradeAndHairpin() throws Exception {
        sb.ns("docker"); sb.ns("nginx"); sb.ns("gitlab"); sb.ns("outside");
        // the docker namespace's uplink to an "outside" world made by the test
        sb.wire(Optional.of("docker"), "ens41", "192.168.54.230/24", "outside", "eth0", "192.168.54.51/24");
        sb.defaultRoute("docker", "192.168.54.51");
        Map<String, Object> before = snapshot(Optional.of("docker"));

        engine.create(CreateRequest.of("docker", "172.17.0.0/16").withGateway("172.17.0.1").withHostNs("docker").withBridge("docker0"));
        Endpoint nginx = engine.connect(ConnectRequest.of("docker", "nginx").withPorts("8080:80"));
        Endpoint gitlab = engine.connect(ConnectRequest.of("docker", "gitlab").withPorts("9090:80"));
        assertThat(nginx.address().getHostAddress()).isEqualTo("172.17.0.2");
        assertThat(gitlab.address().getHostAddress()).isEqualTo("172.17.0.3");
        assertThat(Sandbox.addresses("nginx", "eth0")).containsExactly("172.17.0.2/16");
        assertThat(Sandbox.run("ip", "-n", "nginx", "link", "show", "eth0")).contains("link/ether 02:42:ac:11:00:02");
        assertThat(Sandbox.defaultVia("gitlab")).isEqualTo("172.17.0.1");
        assertThat(Sandbox.addresses("docker", "docker0")).containsExactly("172.17.0.1/16");

        sb.httpServer("nginx", 80, "nginx.file");
        sb.httpServer("gitlab", 80, "gitlab.file");
        // from outside, through the docker namespace's address
        assertThat(sb.httpGet("outside", "192.168.54.230", 8080)).contains("nginx.file");
        assertThat(sb.httpGet("outside", "192.168.54.230", 9090)).contains("gitlab.file");
        // hairpin: a container through a host address, to itself and to its neighbour
        assertThat(sb.httpGet("nginx", "192.168.54.230", 8080)).contains("nginx.file");
        assertThat(sb.httpGet("nginx", "172.17.0.1", 9090)).contains("gitlab.file");
        // containers reach each other directly on the bridge
        assertThat(sb.httpGet("gitlab", "172.17.0.2", 80)).contains("nginx.file");

        // replacing a container must not disturb the others (the bridge keeps its MAC)
        String bridgeMac = Sandbox.run("ip", "-n", "docker", "link", "show", "docker0");
        assertThat(bridgeMac).contains("link/ether 02:42:ac:11:00:01");
        engine.disconnect("docker", "gitlab");
        engine.connect(ConnectRequest.of("docker", "gitlab").withPorts("9090:80"));
        assertThat(Sandbox.run("ip", "-n", "docker", "link", "show", "docker0")).contains("link/ether 02:42:ac:11:00:01");
        // the outside sees the masqueraded source address
        List<String> peers = sb.tcpServer("outside", 7000, "hello");
        assertThat(sb.tcpOnce("nginx", "192.168.54.51", 7000)).contains("hello");
        assertThat(sb.tcp("gitlab", "192.168.54.51", 7000)).contains("hello");
        assertThat(peers).containsExactly("192.168.54.230", "192.168.54.230");
        assertThat(Sandbox.ping("nginx", "192.168.54.51")).isTrue();

        // a port published on 127.0.0.1 only: from the docker namespace itself, not from outside
        engine.disconnect("docker", "gitlab");
        engine.connect(ConnectRequest.of("docker", "gitlab").withPorts("9090:80", "127.0.0.1:9091:80"));
        assertThat(sb.httpGet("docker", "127.0.0.1", 9091)).contains("gitlab.file");
        assertThat(sb.httpGetOnce("outside", "192.168.54.230", 9091)).isEmpty();
        assertThat(sb.httpGet("docker", "192.168.54.230", 9090)).contains("gitlab.file");
        // inspect, ls
        assertThat(NetStore.toJson(engine.inspect("docker")).path("endpoints").size()).isEqualTo(2);

        engine.remove("docker", true);
        assertThat(snapshot(Optional.of("docker"))).isEqualTo(before);
    }

    @Test
    void s4NamespaceBehindTheHostReachesOutsideMasqueraded() throws Exception {
        sb.ns("breezy"); sb.ns("outside4");
        sb.wire(Optional.empty(), "uplink4", "10.99.0.1/24", "outside4", "eth0", "10.99.0.2/24");
        Map<String, Object> before = snapshot(Optional.empty());
        engine.create(CreateRequest.of("s4", "192.168.50.0/24"));
        engine.connect(ConnectRequest.of("s4", "breezy").withIfname("veth1"));
        assertThat(Sandbox.addresses("breezy", "veth1")).containsExactly("192.168.50.2/24");
        assertThat(Sandbox.defaultVia("breezy")).isEqualTo("192.168.50.1");
        List<String> peers = sb.tcpServer("outside4", 8000, "baidu");
        // outside4 has no route back to 192.168.50.0/24: only masquerade makes this work
        assertThat(sb.tcp("breezy", "10.99.0.2", 8000)).contains("baidu");
        assertThat(peers).containsExactly("10.99.0.1");
        assertThat(sb.icmp("breezy", "10.99.0.2")).isTrue();
        engine.disconnect("s4", "breezy");
        engine.remove("s4", false);
        assertThat(snapshot(Optional.empty())).isEqualTo(before);
    }

    @Test
    void networksAreIsolatedExceptThroughPublishedPorts() throws Exception {
        sb.ns("isohost"); sb.ns("a1"); sb.ns("a2"); sb.ns("b1");
        engine.create(CreateRequest.of("iso-a", "10.31.0.0/24").withHostNs("isohost"));
        engine.create(CreateRequest.of("iso-b", "10.32.0.0/24").withHostNs("isohost"));
        String a1 = engine.connect(ConnectRequest.of("iso-a", "a1").withPorts("8081:81")).address().getHostAddress();
        String a2 = engine.connect(ConnectRequest.of("iso-a", "a2")).address().getHostAddress();
        String b1 = engine.connect(ConnectRequest.of("iso-b", "b1")).address().getHostAddress();
        for (String ns : List.of("a1", "a2", "b1")) {
            sb.tcpServer(ns, 81, ns);
            sb.udpServer(ns, 82, ns);
        }
        // same network: everything passes (positive control)
        assertThat(sb.icmp("a1", a2)).isTrue();
        assertThat(sb.tcp("a1", a2, 81)).contains("a2");
        assertThat(sb.udp("a1", a2, 82)).contains("a2");
        // across networks: nothing, both ways
        assertThat(sb.icmp("a1", b1)).isFalse();
        assertThat(sb.icmp("b1", a1)).isFalse();
        assertThat(Sandbox.ping("b1", a1)).isFalse();
        assertThat(sb.tcpOnce("a1", b1, 81)).isEmpty();
        assertThat(sb.tcpOnce("b1", a1, 81)).isEmpty();
        assertThat(sb.udp("a1", b1, 82)).isEmpty();
        assertThat(sb.udp("b1", a1, 82)).isEmpty();
        // except a published port, through the host's address
        assertThat(sb.tcp("b1", "10.32.0.1", 8081)).contains("a1");
    }

    @Test
    void fiftyConcurrentConnectsAndDisconnects() throws Exception {
        sb.ns("host50");
        Map<String, Object> before = snapshot(Optional.of("host50"));
        engine.create(CreateRequest.of("fifty", "10.50.0.0/24").withHostNs("host50"));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 50; i++) names.add(sb.ns("c" + i));
        Set<String> addrs = new HashSet<>();
        try (ExecutorService ex = Executors.newFixedThreadPool(50)) {
            List<Future<Endpoint>> fs = new ArrayList<>();
            for (String n : names) fs.add(ex.submit(() -> engine.connect(ConnectRequest.of("fifty", n))));
            for (Future<Endpoint> f : fs) addrs.add(f.get().address().getHostAddress());
        }
        assertThat(addrs).hasSize(50);
        for (int i = 0; i < 50; i += 7) {
            String got = Sandbox.addresses("c" + i, "eth0").getFirst();
            assertThat(addrs).contains(got.substring(0, got.indexOf('/')));
        }
        assertThat(sb.icmp("c0", "10.50.0.1")).isTrue();
        try (ExecutorService ex = Executors.newFixedThreadPool(50)) {
            List<Future<Boolean>> fs = new ArrayList<>();
            for (String n : names) fs.add(ex.submit(() -> engine.disconnect("fifty", n)));
            for (Future<Boolean> f : fs) assertThat(f.get()).isTrue();
        }
        assertThat(engine.inspect("fifty").endpoints()).isEmpty();
        engine.remove("fifty", false);
        assertThat(snapshot(Optional.of("host50"))).isEqualTo(before);
    }

    @Test
    void disconnectIsIdempotentEvenAfterTheNamespaceIsGone() throws Exception {
        sb.ns("idhost"); sb.ns("gone"); sb.ns("stay");
        engine.create(CreateRequest.of("idem", "10.60.0.0/24").withHostNs("idhost"));
        Endpoint g = engine.connect(ConnectRequest.of("idem", "gone").withPorts("7070:70"));
        engine.connect(ConnectRequest.of("idem", "stay"));
        assertThat(engine.disconnect("idem", "stay")).isTrue();
        assertThat(engine.disconnect("idem", "stay")).isFalse();
        NetNs.delete("gone");
        assertThat(engine.disconnect("idem", "gone")).isTrue();
        assertThat(engine.disconnect("idem", "gone")).isFalse();
        assertThat(Sandbox.linkNames(Optional.of("idhost"))).doesNotContain(g.hostIfname());
        assertThat(Sandbox.nftRuleset(Optional.of("idhost")).toString()).doesNotContain("7070");
        // the address and the port are free again
        sb.ns("again");
        Endpoint again = engine.connect(ConnectRequest.of("idem", "again").withPorts("7070:70"));
        assertThat(again.address()).isEqualTo(g.address());
    }

    @Test
    void publishedUdpPortFollowsTheContainerBehindIt() throws Exception {
        sb.ns("udphost"); sb.ns("u1"); sb.ns("u2"); sb.ns("uout");
        sb.wire(Optional.of("udphost"), "up0", "10.70.9.1/24", "uout", "eth0", "10.70.9.2/24");
        engine.create(CreateRequest.of("udp", "10.70.0.0/24").withHostNs("udphost"));
        engine.connect(ConnectRequest.of("udp", "u1").withPorts("5353:53/udp"));
        sb.udpServer("u1", 53, "first");
        sb.udpServer("u2", 53, "second");
        DatagramSocket client = sb.udpClient("uout", 40000);
        assertThat(Sandbox.ask(client, "10.70.9.1", 5353)).contains("first");
        engine.disconnect("udp", "u1");
        engine.connect(ConnectRequest.of("udp", "u2").withPorts("5353:53/udp"));
        // same client socket, same 5-tuple: only a conntrack flush lets it reach the new container
        assertThat(Sandbox.ask(client, "10.70.9.1", 5353)).contains("second");
    }

    @Test
    void badInputOnTheRealKernelChangesNothing() throws Exception {
        sb.ns("badhost"); sb.ns("x1"); sb.ns("x2");
        engine.create(CreateRequest.of("bad", "10.80.0.0/24").withHostNs("badhost"));
        engine.connect(ConnectRequest.of("bad", "x1").withPorts("8080:80"));
        Map<String, Object> before = snapshot(Optional.of("badhost"));
        String storeBefore = Files.readString(state.resolve("bad.json"));
        List<String> x2Links = Sandbox.linkNames(Optional.of("x2"));
        assertThatThrownBy(() -> engine.connect(ConnectRequest.of("bad", "nope"))).hasMessage("net connect bad nope: no such network namespace: nope");
        assertThatThrownBy(() -> engine.connect(ConnectRequest.of("bad", "x2").withIfname("lo"))).hasMessage("net connect bad x2: an interface named lo already exists in x2");
        assertThatThrownBy(() -> engine.connect(ConnectRequest.of("bad", "x2").withPorts("8080:80"))).hasMessage("net connect bad x2: port 8080:80/tcp is already published (to x1 on network bad)");
        assertThatThrownBy(() -> engine.connect(ConnectRequest.of("bad", "x2").withPorts("65536:80"))).hasMessage("net connect bad x2: published port 65536:80: host port 65536 out of range 1..65535");
        assertThatThrownBy(() -> engine.create(CreateRequest.of("bad2", "10.80.0.128/25").withHostNs("badhost"))).hasMessage("net create bad2: subnet 10.80.0.128/25 overlaps 10.80.0.0/24 of network bad");
        assertThatThrownBy(() -> engine.create(CreateRequest.of("bad2", "10.81.0.0/24").withHostNs("badhost").withBridge("lo"))).hasMessage("net create bad2: an interface named lo already exists in badhost");
        assertThatThrownBy(() -> engine.create(CreateRequest.of("bad2", "10.81.0.0/24").withGateway("10.82.0.1").withHostNs("badhost"))).hasMessage("net create bad2: gateway 10.82.0.1 is outside the subnet 10.81.0.0/24");
        assertThat(snapshot(Optional.of("badhost"))).isEqualTo(before);
        assertThat(Files.readString(state.resolve("bad.json"))).isEqualTo(storeBefore);
        assertThat(Sandbox.linkNames(Optional.of("x2"))).isEqualTo(x2Links);
    }

    /** A link's alias as {@code ip -j -d link show} prints it (absent: empty). */
    static Optional<String> alias(String ns, String link) throws Exception {
        JsonNode l = Sandbox.JSON.readTree(Sandbox.run("ip", "-n", ns, "-j", "-d", "link", "show", "dev", link)).get(0);
        return l.has("ifalias") ? Optional.of(l.get("ifalias").asText()) : Optional.empty();
    }

    @Test
    void linksCarryTheNetworksMarkAndOnlyMarkedLinksAreDeleted() throws Exception {
        sb.ns("mkhost"); sb.ns("m1");
        engine.create(CreateRequest.of("mk", "10.92.0.0/24").withHostNs("mkhost"));
        Endpoint e = engine.connect(ConnectRequest.of("mk", "m1"));
        String mark = Marker.net("mk").text();
        assertThat(mark).isEqualTo("nslab:net:mk");
        assertThat(alias("mkhost", "nsl-mk")).contains(mark);
        assertThat(alias("mkhost", e.hostIfname())).contains(mark);

        // the user re-labels the veth: it is no longer provably nslab's, so disconnect leaves it and keeps the endpoint
        Sandbox.run("ip", "-n", "mkhost", "link", "set", "dev", e.hostIfname(), "alias", "uplink of bob");
        assertThatThrownBy(() -> engine.disconnect("mk", "m1")).isInstanceOf(NetException.class)
                .hasMessageContaining("link " + e.hostIfname() + " in netns mkhost does not carry nslab's mark nslab:net:mk (alias 'uplink of bob')")
                .hasMessageContaining("left alone");
        assertThat(Sandbox.linkNames(Optional.of("mkhost"))).contains(e.hostIfname());
        assertThat(engine.inspect("mk").endpoint("m1")).isPresent(); // its address is still on the link: not handed out again
        assertThat(Sandbox.addresses("m1", "eth0")).contains(e.address().getHostAddress() + "/24");

        // someone else's link under the name once nslab's went: left alone too
        Sandbox.run("ip", "-n", "mkhost", "link", "del", e.hostIfname());
        Sandbox.run("ip", "-n", "mkhost", "link", "add", e.hostIfname(), "type", "veth", "peer", "name", "bobs");
        assertThatThrownBy(() -> engine.disconnect("mk", "m1")).isInstanceOf(NetException.class)
                .hasMessageContaining("(no alias)");
        assertThat(Sandbox.linkNames(Optional.of("mkhost"))).contains(e.hostIfname(), "bobs");

        // once it is gone, the disconnect completes; rm leaves a foreign bridge of the network's name alone as well
        Sandbox.run("ip", "-n", "mkhost", "link", "del", e.hostIfname());
        assertThat(engine.disconnect("mk", "m1")).isTrue();
        Sandbox.run("ip", "-n", "mkhost", "link", "set", "dev", "nsl-mk", "alias", "");
        assertThatThrownBy(() -> engine.remove("mk", false)).isInstanceOf(NetException.class)
                .hasMessageContaining("link nsl-mk in netns mkhost does not carry nslab's mark nslab:net:mk");
        assertThat(Sandbox.linkNames(Optional.of("mkhost"))).contains("nsl-mk");
        Sandbox.run("ip", "-n", "mkhost", "link", "set", "dev", "nsl-mk", "alias", mark);
        // the rm was journaled: the next command on the store finishes it
        assertThat(engine.list()).isEmpty();
        assertThat(Sandbox.linkNames(Optional.of("mkhost"))).containsExactly("lo");
        assertThat(engine.list()).isEmpty();
    }

    @Test
    void aKernelFailureMidwayRollsBack() throws Exception {
        sb.ns("rbhost"); sb.ns("r1");
        engine.create(CreateRequest.of("rb", "10.90.0.0/24").withHostNs("rbhost"));
        Map<String, Object> before = snapshot(Optional.of("rbhost"));
        // the namespace disappears between validation and the veth: the kernel refuses, nothing is left behind
        NetKernel flaky = new DelegatingKernel(new NetlinkKernel()) {
            @Override
            public void addVeth(Optional<String> hostNs, String bridge, String hostIf, String ns, String ifname,
                                IpPrefix address, InetAddress gateway, Marker owner) throws NetException {
                super.addVeth(hostNs, bridge, hostIf, ns, ifname, address, gateway, owner);
                throw new NetException("injected failure after the veth");
            }
        };
        NetEngine e2 = new NetEngine(new NetStore(state), flaky);
        assertThatThrownBy(() -> e2.connect(ConnectRequest.of("rb", "r1").withPorts("8080:80")))
                .hasMessage("net connect rb r1: injected failure after the veth (rolled back)");
        assertThat(snapshot(Optional.of("rbhost"))).isEqualTo(before);
        assertThat(Sandbox.linkNames(Optional.of("r1"))).containsExactly("lo");
    }

    @Test
    void aNetworkWhoseHostNamespaceWasDeletedCanStillBeRemoved() throws Exception {
        sb.ns("doomed"); sb.ns("d1");
        engine.create(CreateRequest.of("doomed", "10.91.0.0/24").withHostNs("doomed"));
        engine.connect(ConnectRequest.of("doomed", "d1").withPorts("8080:80"));
        NetNs.delete("doomed");
        assertThat(engine.disconnect("doomed", "d1")).isTrue();
        engine.remove("doomed", false);
        assertThat(engine.list()).isEmpty();
    }

    @Test
    void ipv6NetworkPublishesAndMasquerades() throws Exception {
        sb.ns("v6host"); sb.ns("v6c"); sb.ns("v6out");
        sb.wire(Optional.of("v6host"), "up6", "fd00:99::1/64", "v6out", "eth0", "fd00:99::2/64");
        engine.create(CreateRequest.of("six", "fd00:77::/64").withHostNs("v6host"));
        Endpoint e = engine.connect(ConnectRequest.of("six", "v6c").withPorts("8080:80"));
        assertThat(e.address().getHostAddress()).isEqualTo("fd00:77:0:0:0:0:0:2");
        assertThat(Sandbox.run("ip", "netns", "exec", "v6host", "nft", "list", "table", "ip6", "nslab-net-six"))
                .contains("ip6 saddr fd00:77::/64 oifname != \"nsl-six\" masquerade", "tcp . 8080 : fd00:77::2", "tcp . 8080 : 80");
        // This JVM started in a namespace without IPv6 addresses, so the JDK has IPv6 switched off for
        // its whole life ("IPv6 protocol family unavailable"): the traffic here is netcat's, in the namespaces.
        Process server = new ProcessBuilder("ip", "netns", "exec", "v6out", "nc", "-6", "-n", "-v", "-l", "-p", "7000")
                .redirectErrorStream(true).start();
        Process web = new ProcessBuilder("ip", "netns", "exec", "v6c", "sh", "-c", "echo six | nc -6 -l -p 80").start();
        try {
            Thread.sleep(300);
            String toOutside = Sandbox.run("ip", "netns", "exec", "v6c", "sh", "-c", "echo hi | nc -6 -w 2 -q 1 fd00:99::2 7000; true");
            server.waitFor(5, TimeUnit.SECONDS);
            String seen = new String(server.getInputStream().readAllBytes());
            assertThat(seen).contains("hi").contains("Connection received on fd00:99::1");
            String page = Sandbox.run("ip", "netns", "exec", "v6out", "sh", "-c", "nc -6 -w 2 fd00:99::1 8080 </dev/null; true");
            assertThat(page.strip()).isEqualTo("six");
        } finally {
            server.destroy();
            web.destroy();
        }
        engine.remove("six", true);
        assertThat(Sandbox.nftRuleset(Optional.of("v6host")).path("nftables").size()).isZero();
    }
}
