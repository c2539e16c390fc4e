package io.nslab.cli.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import io.nslab.testing.KernelTest;
import io.nslab.netlink.netns.NetNs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.nslab.cli.kernel.Cli.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed tutorials' scenarios with nslab in place of ip, on the real kernel
 * (the test JVM's private namespace), cross-checked with ip -j and ping.
 */
@KernelTest
class SeedScenariosTest {
    @BeforeEach @AfterEach void clean() throws Exception { cleanup(); }

    @Test void s1VethBetweenTwoNamespaces() throws Exception {
        ok("netns add ns1", "netns add ns2",
                "link add veth0 type veth peer name veth1",
                "link set veth0 netns ns1", "link set veth1 netns ns2",
                "-n ns1 link set lo up", "-n ns2 link set lo up",
                "-n ns1 addr add 10.1.1.1/24 dev veth0", "-n ns2 addr add 10.1.1.2/24 dev veth1",
                "-n ns1 link set veth0 up", "-n ns2 link set veth1 up");
        assertThat(addrs("ns1", "veth0")).contains("10.1.1.1/24");
        assertThat(flags(link("ns2", "veth1"))).contains("UP", "LOWER_UP");
        assertThat(flags(link("ns1", "lo"))).contains("UP");
        assertThat(ping("ns1", "10.1.1.2")).isTrue();
        assertThat(ping("ns2", "10.1.1.1")).isTrue();
        // human output as ip prints it (the peer's namespace by name)
        assertThat(nslab("-n ns1 link").ok().out()).isEqualTo(run(List.of("ip", "-n", "ns1", "link")).out());
        assertThat(nslab("-n ns2 a").ok().out()).contains("link-netns ns1", "inet 10.1.1.2/24 scope global veth1");
        // the JSON nslab prints has ip's keys and values for what it covers
        JsonNode mine = nslab("-n ns1 -j link show dev veth0").ok().json().get(0);
        JsonNode theirs = link("ns1", "veth0");
        for (String k : List.of("ifindex", "ifname", "flags", "mtu", "operstate", "link_type", "address", "link_index", "link_netnsid")) {
            assertThat(mine.get(k)).as(k).isEqualTo(theirs.get(k));
        }
    }

    @Test void s2ThreeNamespacesOnAHostBridge() throws Exception {
        ok("link add br0 type bridge", "link set dev br0 up", "addr add 10.0.0.100/24 dev br0");
        for (int i = 1; i <= 3; i++) {
            ok("netns add ns" + i,
                    "link add veth" + i + " type veth peer br-veth" + i,
                    "link set veth" + i + " netns ns" + i,
                    "link set br-veth" + i + " master br0", "link set br-veth" + i + " up",
                    "-n ns" + i + " link set lo up",
                    "-n ns" + i + " addr add 10.0.0." + i + "/24 dev veth" + i,
                    "-n ns" + i + " link set veth" + i + " up");
        }
        assertThat(link(null, "br-veth2").get("master").asText()).isEqualTo("br0");
        JsonNode a = nslab("-j addr show dev br0").ok().json();
        assertThat(a.get(0).get("addr_info").get(0).get("local").asText()).isEqualTo("10.0.0.100");
        for (int i = 1; i <= 3; i++) assertThat(ping(null, "10.0.0." + i)).as("host -> ns%d", i).isTrue();
        assertThat(ping("ns1", "10.0.0.2")).isTrue();
        assertThat(ping("ns3", "10.0.0.1")).isTrue();
        assertThat(ping("ns2", "10.0.0.100")).isTrue();
    }

    @Test void s3TwoSubnetsDeviceRoutesRouteGetAndTcp() throws Exception {
        ok("netns add ns1", "netns add ns2",
                "link add veth0 type veth peer name veth1",
                "link set veth0 netns ns1", "link set veth1 netns ns2",
                "-n ns1 link set lo up", "-n ns2 link set lo up",
                "-n ns1 addr add 10.0.1.0/24 dev veth0", "-n ns1 link set veth0 up",
                "-n ns2 addr add 10.0.2.0/24 dev veth1", "-n ns2 link set veth1 up",
                "-n ns1 route add 10.0.2.0/24 dev veth0", "-n ns2 route add 10.0.1.0/24 dev veth1");
        // route get, human and JSON, against ip's own answer
        Result g = nslab("-n ns1 route get 10.0.2.0").ok();
        assertThat(g.out()).startsWith("10.0.2.0 dev veth0 src 10.0.1.0");
        JsonNode mine = nslab("-n ns1 -j -d route get 10.0.2.0").ok().json();
        assertThat(mine).isEqualTo(ip("ns1", "route get 10.0.2.0"));
        JsonNode routes = nslab("-n ns2 -j -d route").ok().json();
        assertThat(nslab("-n ns2 -j route").ok().out()).contains("\"dst\":\"10.0.1.0/24\",\"dev\":\"veth1\",\"scope\":\"link\"");
        JsonNode theirs = ip("ns2", "route");
        assertThat(routes.size()).isEqualTo(theirs.size());
        for (int i = 0; i < theirs.size(); i++) {
            for (String k : List.of("dst", "gateway", "dev", "protocol", "scope", "prefsrc", "metric")) {
                assertThat(routes.get(i).get(k)).as("route %d %s", i, k).isEqualTo(theirs.get(i).get(k));
            }
        }
        assertThat(nslab("-n ns1 route").ok().out()).isEqualTo(run(List.of("ip", "-n", "ns1", "route")).out());

        // a TCP conversation: server socket made inside ns2, client inside ns1
        try (NetNs ns1 = NetNs.open("ns1"); NetNs ns2 = NetNs.open("ns2")) {
            ServerSocket server = ns2.call(() -> new ServerSocket(8080, 1, InetAddress.ofLiteral("10.0.2.0")));
            try (server) {
                CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
                    try (Socket s = server.accept();
                         BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                         PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8)) {
                        String line = in.readLine();
                        out.println("pong " + line + " from " + s.getInetAddress().getHostAddress());
                        return line;
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                Socket client = ns1.call(() -> {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress(InetAddress.ofLiteral("10.0.2.0"), 8080), 2000);
                    return s;
                });
                try (client;
                     PrintWriter out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.UTF_8);
                     BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
                    out.println("ping");
                    assertThat(in.readLine()).isEqualTo("pong ping from 10.0.1.0");
                }
                assertThat(served.get(5, TimeUnit.SECONDS)).isEqualTo("ping");
            }
        }
    }

    @Test void s9BridgeInsideItsOwnNamespace() throws Exception {
        ok("netns add bridge-ns", "netns add ns1", "netns add ns2",
                "-n bridge-ns link add bridge type bridge",
                "-n bridge-ns link set bridge up",
                "-n bridge-ns addr add 172.16.10.100/24 dev bridge",
                "-n bridge-ns link add veth-1r type veth peer name veth-1d netns ns1",
                "-n bridge-ns link add veth-2r type veth peer name veth-2d netns ns2",
                "-n bridge-ns link set veth-1r master bridge", "-n bridge-ns link set veth-1r up",
                "-n bridge-ns link set veth-2r master bridge", "-n bridge-ns link set veth-2r up",
                "-n ns1 addr add 172.16.10.10/24 dev veth-1d", "-n ns1 link set veth-1d up",
                "-n ns2 addr add 172.16.10.20/24 dev veth-2d", "-n ns2 link set veth-2d up");
        assertThat(link("bridge-ns", "veth-1r").get("master").asText()).isEqualTo("bridge");
        // netns list with ids, as ip lists them (ids exist once namespaces hold each other's peers)
        assertThat(nslab("-n bridge-ns netns list").ok().out().lines().sorted().toList())
                .isEqualTo(run(List.of("ip", "-n", "bridge-ns", "netns", "list")).out().lines().sorted().toList());
        assertThat(nslab("-n bridge-ns -j netns list").ok().json().toString()).contains("\"id\":");
        assertThat(ip(null, "link show").toString()).doesNotContain("veth-1");
        assertThat(ping("ns1", "172.16.10.100")).isTrue();
        assertThat(ping("ns1", "172.16.10.20")).isTrue();
        assertThat(ping("ns2", "172.16.10.10")).isTrue();
    }

    @Test void s11MoveAPhysicalNicIntoANamespace() throws Exception {
        // ens41 stands for the machine's NIC: one end of a veth whose other end is the "LAN" (the test's namespace)
        ok("link add ens41 type veth peer name lan0", "addr add 192.168.54.1/24 dev lan0", "link set lan0 up",
                "netns add docker", "link set ens41 netns docker",
                "-n docker addr add 192.168.54.230/24 dev ens41", "-n docker link set ens41 up", "-n docker link set lo up",
                "-n docker route add default via 192.168.54.1");
        assertThat(ip(null, "link show").toString()).doesNotContain("\"ens41\"");
        assertThat(addrs("docker", "ens41")).containsExactly("192.168.54.230/24", addrs("docker", "ens41").get(1));
        assertThat(ip("docker", "route show default").get(0).get("gateway").asText()).isEqualTo("192.168.54.1");
        assertThat(ping("docker", "192.168.54.1")).isTrue();
        assertThat(ping(null, "192.168.54.230")).isTrue();
    }

    @Test void s13NetnsBasics() throws Exception {
        ok("netns add blue", "netns add red");
        // in ip's order (the directory's: on tmpfs, newest first), line for line what ip lists
        assertThat(nslab("netns list").ok().out()).isEqualTo(run(List.of("ip", "netns", "list")).out()).contains("blue\n", "red\n");
        // lo is down in a new namespace
        assertThat(flags(link("blue", "lo"))).doesNotContain("UP");
        assertThat(nslab("-n blue -j link show lo").ok().json().get(0).get("operstate").asText()).isEqualTo("DOWN");
        // exec: the command sees the namespace's interfaces only
        Result e = nslab("netns exec blue ip -j link show");
        assertThat(e.code()).isZero();
        JsonNode seen = JSON.readTree(e.out());
        assertThat(seen.size()).isEqualTo(1);
        assertThat(seen.get(0).get("ifname").asText()).isEqualTo("lo");
        assertThat(nslab("netns exec blue sh -c exit\\ 3").code()).isNotZero();
        assertThat(nslabArgs("netns", "exec", "blue", "sh", "-c", "exit 3").code()).isEqualTo(3);
        // pids and identify, with a process started in red by ip (the observer)
        Process sleeper = new ProcessBuilder("ip", "netns", "exec", "red", "sleep", "30").start();
        try {
            long pid = sleeper.pid();
            for (int i = 0; i < 50 && !nslab("netns pids red").out().contains(Long.toString(pid)); i++) Thread.sleep(20);
            assertThat(nslab("netns pids red").ok().out().lines().toList()).contains(Long.toString(pid));
            assertThat(nslab("netns identify " + pid).ok().out()).isEqualTo("red\n");
            assertThat(nslab("netns identify").ok().out()).isEqualTo("\n"); // as ip: a line even when no name matches
        } finally {
            sleeper.destroy();
            sleeper.waitFor();
        }
        ok("netns del blue", "netns delete red");
        assertThat(nslab("netns").ok().out()).isEmpty();
        assertThat(run(List.of("ip", "netns", "list")).out()).isEmpty();
    }
}
