package io.nslab.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.LinkChange;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkNetns;
import io.nslab.netlink.route.LinkSpec;
import io.nslab.netlink.route.RouteSpec;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Kernel-test fixture: named namespaces it made (deleted at the end), links
 * between them, and traffic sent from threads inside them. Observers
 * ({@code ip}, {@code nft}, {@code ping}) are spawned only to look.
 */
final class Sandbox implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private final List<String> made = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, NetNs> handles = new ConcurrentHashMap<>();
    private final List<AutoCloseable> servers = new CopyOnWriteArrayList<>();

    static void preconditions() {
        assumeTrue(System.getenv("NSLAB_IN_SANDBOX") != null,
                "not inside the test sandbox (test/sandbox/bin/java): refusing to touch this machine's network");
    }

    String ns(String name) throws IOException {
        NetNs.create(name);
        made.add(name);
        try (NetNs h = NetNs.open(name); Rtnl r = h.rtnl()) {
            r.links().set("lo", LinkChange.up());
        }
        return name;
    }

    NetNs handle(String name) {
        return handles.computeIfAbsent(name, n -> {
            try {
                return NetNs.open(n);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A veth between two namespaces (empty = the sandbox's own), addressed and up, like the tutorials' uplinks. */
    void wire(Optional<String> nsA, String ifA, String cidrA, String nsB, String ifB, String cidrB) throws IOException {
        NetNs a = nsA.isPresent() ? handle(nsA.get()) : NetNs.current();
        try (Rtnl r = a.rtnl()) {
            r.links().add(LinkSpec.of(ifA, LinkKind.veth(ifB).withPeerNetns(LinkNetns.name(nsB))).withUp(true));
            r.addresses().add(NetlinkKernel.addressSpec(ifA, IpPrefix.parse(cidrA)));
        }
        try (Rtnl r = handle(nsB).rtnl()) {
            r.links().set(ifB, LinkChange.up());
            r.addresses().add(NetlinkKernel.addressSpec(ifB, IpPrefix.parse(cidrB)));
        }
    }

    void defaultRoute(String ns, String via) throws IOException {
        try (Rtnl r = handle(ns).rtnl()) {
            r.routes().add(RouteSpec.defaultRoute().via(InetAddress.ofLiteral(via)));
        }
    }

    // ------------------------------------------------------------------ traffic, from threads inside namespaces

    /** A TCP server in {@code ns} answering each connection with {@code reply} and recording the peer address. */
    List<String> tcpServer(String ns, int port, String reply) throws IOException {
        ServerSocket ss = handle(ns).call(() -> new ServerSocket(port));
        servers.add(ss);
        List<String> peers = new CopyOnWriteArrayList<>();
        Thread.ofPlatform().daemon(true).start(() -> {
            while (!ss.isClosed()) {
                try (Socket s = ss.accept()) {
                    peers.add(s.getInetAddress().getHostAddress());
                    s.getOutputStream().write(reply.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return peers;
    }

    /** An HTTP server (the JDK's) bound inside {@code ns}, serving {@code body} on /. */
    void httpServer(String ns, int port, String body) throws IOException {
        com.sun.net.httpserver.HttpServer s = handle(ns).call(() -> com.sun.net.httpserver.HttpServer.create(new InetSocketAddress(port), 0));
        s.createContext("/", ex -> {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("X-Peer", ex.getRemoteAddress().getAddress().getHostAddress());
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        s.start();
        servers.add(() -> s.stop(0));
    }

    /**
     * GET / from inside {@code ns}, up to 3 attempts (the machine running the
     * tests is shared and can stall a handshake): the body, or empty.
     */
    Optional<String> httpGet(String ns, String host, int port) throws IOException {
        for (int i = 0; i < 3; i++) {
            Optional<String> r = httpGetOnce(ns, host, port);
            if (r.isPresent()) return r;
            System.err.println("retrying GET " + host + ":" + port + " from " + ns);
        }
        return Optional.empty();
    }

    /** One GET attempt: for checks that something is NOT reachable. */
    Optional<String> httpGetOnce(String ns, String host, int port) throws IOException {
        return handle(ns).call(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.ofLiteral(host), port), 2000);
                s.setSoTimeout(3000);
                s.getOutputStream().write(("GET / HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                String resp = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                int body = resp.indexOf("\r\n\r\n");
                return Optional.of(body < 0 ? resp : resp.substring(body + 4));
            } catch (IOException e) {
                return Optional.<String>empty();
            }
        });
    }

    /** Connects from inside {@code ns} (up to 3 attempts), reads what the server says; empty if it never could. */
    Optional<String> tcp(String ns, String host, int port) throws IOException {
        for (int i = 0; i < 3; i++) {
            Optional<String> r = tcpOnce(ns, host, port);
            if (r.isPresent()) return r;
            System.err.println("retrying tcp " + host + ":" + port + " from " + ns);
        }
        return Optional.empty();
    }

    /** One attempt: for checks that something is NOT reachable. */
    Optional<String> tcpOnce(String ns, String host, int port) throws IOException {
        return handle(ns).call(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.ofLiteral(host), port), 1500);
                s.setSoTimeout(2000);
                return Optional.of(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                System.err.println("tcp " + host + ":" + port + " from " + ns + ": " + e);
                return Optional.<String>empty();
            }
        });
    }

    /** A UDP server in {@code ns} answering every datagram with {@code reply}. */
    void udpServer(String ns, int port, String reply) throws IOException {
        DatagramSocket ds = handle(ns).call(() -> new DatagramSocket(port));
        servers.add(ds);
        Thread.ofPlatform().daemon(true).start(() -> {
            byte[] buf = new byte[1500];
            while (!ds.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    ds.receive(p);
                    byte[] r = reply.getBytes(StandardCharsets.UTF_8);
                    ds.send(new DatagramPacket(r, r.length, p.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    /** A UDP client socket made inside {@code ns} (kept: same source port for every send). */
    DatagramSocket udpClient(String ns, int localPort) throws IOException {
        DatagramSocket ds = handle(ns).call(() -> new DatagramSocket(localPort));
        servers.add(ds);
        return ds;
    }

    static Optional<String> ask(DatagramSocket ds, String host, int port) throws IOException {
        // a late answer to an earlier retried question would otherwise be read as this one's (seen under load)
        ds.setSoTimeout(50);
        try {
            while (true) ds.receive(new DatagramPacket(new byte[1500], 1500));
        } catch (SocketTimeoutException drained) {
            // nothing stale left
        }
        ds.setSoTimeout(700);
        byte[] q = "?".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 3; i++) {
            ds.send(new DatagramPacket(q, q.length, InetAddress.ofLiteral(host), port));
            try {
                DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
                ds.receive(p);
                return Optional.of(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
            } catch (SocketTimeoutException e) {
                // retry
            }
        }
        return Optional.empty();
    }

    /** One UDP question from a fresh socket inside {@code ns}. */
    Optional<String> udp(String ns, String host, int port) throws IOException {
        return handle(ns).call(() -> {
            try (DatagramSocket ds = new DatagramSocket()) {
                return ask(ds, host, port);
            }
        });
    }

    /** ICMP echo from a thread inside {@code ns} (root: a raw ICMP socket). */
    boolean icmp(String ns, String host) throws IOException {
        return handle(ns).call(() -> InetAddress.ofLiteral(host).isReachable(1000));
    }

    // ------------------------------------------------------------------ observers

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc != 0) throw new IOException(String.join(" ", cmd) + " exited " + rc + ": " + out);
        return out;
    }

    /** {@code ping -c1} run inside {@code ns} through {@code ip netns exec}: the observer's opinion. */
    static boolean ping(String ns, String host) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "ping", "-c", "1", "-W", "1", host).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    static List<String> execIn(Optional<String> ns, String... cmd) {
        List<String> c = new ArrayList<>();
        if (ns.isPresent()) c.addAll(List.of("ip", "netns", "exec", ns.get()));
        c.addAll(Arrays.asList(cmd));
        return c;
    }

    static JsonNode nftRuleset(Optional<String> ns) throws IOException, InterruptedException {
        JsonNode n = JSON.readTree(run(execIn(ns, "nft", "-j", "list", "ruleset").toArray(String[]::new)));
        var items = (ArrayNode) n.path("nftables");
        for (int i = items.size() - 1; i >= 0; i--) if (items.get(i).has("metainfo")) items.remove(i);
        return n;
    }

    static List<String> linkNames(Optional<String> ns) throws IOException, InterruptedException {
        JsonNode n = JSON.readTree(run(execIn(ns, "ip", "-j", "link", "show").toArray(String[]::new)));
        List<String> names = new ArrayList<>();
        n.forEach(l -> names.add(l.get("ifname").asText()));
        names.sort(null);
        return names;
    }

    static List<String> addresses(String ns, String ifname) throws IOException, InterruptedException {
        JsonNode n = JSON.readTree(run("ip", "-n", ns, "-j", "addr", "show", "dev", ifname));
        List<String> out = new ArrayList<>();
        n.forEach(l -> l.path("addr_info").forEach(a -> {
            if (a.get("family").asText().equals("inet")) out.add(a.get("local").asText() + "/" + a.get("prefixlen").asInt());
        }));
        return out;
    }

    static String defaultVia(String ns) throws IOException, InterruptedException {
        JsonNode n = JSON.readTree(run("ip", "-n", ns, "-j", "route", "show", "default"));
        return n.path(0).path("gateway").asText();
    }

    @Override
    public void close() {
        for (AutoCloseable s : servers) {
            try { s.close(); } catch (Exception ignored) { }
        }
        handles.values().forEach(NetNs::close);
        for (String n : made) {
            try { NetNs.delete(n); } catch (IOException ignored) { }
        }
    }
}
