package io.nslab.junit;

import io.nslab.netlink.route.IpPrefix;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a lab comes from: a lab file, a class-path resource, or YAML text (what {@link #builder} writes). It is
 * read, validated and brought up under an instance name of its own by {@link NetLabExtension}; a lab built in
 * code goes through the same validator as a file, with the same messages.
 *
 * <pre>{@code
 * @RegisterExtension
 * static NetLabExtension net = NetLabExtension.of(LabSpec.builder("kv")
 *         .lan("sw", "10.0.0.0/24", "a", "b", "c")       // a bridge node sw; a, b, c on it: 10.0.0.1-3
 *         .build());
 * }</pre>
 */
public final class LabSpec {
    private final String text;
    private final String label;
    private final Optional<Path> file;

    private LabSpec(String text, String label, Optional<Path> file) {
        this.text = text;
        this.label = label;
        this.file = file;
    }

    /** A lab file (relative paths against the working directory). */
    public static LabSpec file(Path path) {
        try {
            return new LabSpec(Files.readString(path, StandardCharsets.UTF_8), path.toString(), Optional.of(path.toAbsolutePath()));
        } catch (IOException e) {
            throw new UncheckedIOException("lab file " + path + ": cannot read it: " + e.getMessage(), e);
        }
    }

    /**
     * {@code @NetLab(value)} of {@code anchor}: a file relative to the working directory when there is one,
     * else a class-path resource ({@code /x.yaml} from the root, {@code x.yaml} from the root or beside the class).
     */
    public static LabSpec locate(String value, Class<?> anchor) {
        Path p = Path.of(value);
        if (Files.isRegularFile(p)) return file(p);
        for (String r : value.startsWith("/") ? List.of(value) : List.of("/" + value, value)) {
            try (InputStream in = anchor.getResourceAsStream(r)) {
                if (in != null) return new LabSpec(new String(in.readAllBytes(), StandardCharsets.UTF_8), value, Optional.empty());
            } catch (IOException e) {
                throw new UncheckedIOException("lab resource " + r + ": " + e.getMessage(), e);
            }
        }
        throw new IllegalArgumentException("@NetLab(\"" + value + "\") on " + anchor.getName() + ": no such file (in "
                + Path.of("").toAbsolutePath() + ") and no such class-path resource");
    }

    /** A lab written out as YAML (or JSON) text; {@code label} names it in messages. */
    public static LabSpec yaml(String text, String label) {
        return new LabSpec(text, label, Optional.empty());
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The lab's text, as a file would hold it. */
    public String text() { return text; }

    /** How messages name it: the file, the resource or the builder's lab. */
    public String label() { return label; }

    /** The file it came from, remembered by the lab's state (so {@code nslab status} shows it). */
    public Optional<Path> file() { return file; }

    @Override public String toString() { return "LabSpec[" + label + "]"; }

    /** A small lab in code: nodes, veth links, bridged LANs, routes; written out as a lab file would be. */
    public static final class Builder {
        private final String name;
        private final Map<String, NodeText> nodes = new LinkedHashMap<>();
        private final List<String> links = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        private static final class NodeText {
            final List<String> interfaces = new ArrayList<>(), routes = new ArrayList<>();
            boolean forwarding;
            int ifaces;                       // interfaces given out by lan(): eth0, eth1, ...
        }

        private NodeText at(String node) {
            return nodes.computeIfAbsent(node, n -> new NodeText());
        }

        /** A node (a namespace); nodes named by links and LANs are added on their own. */
        public Builder node(String node) {
            at(node);
            return this;
        }

        /** A veth pair between two {@code NODE:IFNAME} ends, each with an address ({@code 10.0.0.1/24}) or none (null). */
        public Builder link(String endA, String addressA, String endB, String addressB) {
            at(endA.substring(0, Math.max(0, endA.indexOf(':'))));
            at(endB.substring(0, Math.max(0, endB.indexOf(':'))));
            links.add("  - ends: [" + end(endA, addressA) + ", " + end(endB, addressB) + "]");
            return this;
        }

        private static String end(String at, String address) {
            return address == null ? q(at) : "{at: " + q(at) + ", addresses: [" + q(address) + "]}";
        }

        /**
         * A LAN: node {@code bridgeNode} holds bridge {@code br0}; each member gets the next {@code ethN} linked to
         * it, with the member's ordinal address in {@code subnet} (10.0.0.1, 10.0.0.2, ... for 10.0.0.0/24).
         */
        public Builder lan(String bridgeNode, String subnet, String... members) {
            IpPrefix net = IpPrefix.parse(subnet).network();
            List<String> ports = new ArrayList<>();
            NodeText br = at(bridgeNode);
            for (int k = 0; k < members.length; k++) {
                NodeText m = at(members[k]);
                String port = "p" + (br.ifaces++);
                ports.add(port);
                String ifname = "eth" + (m.ifaces++);
                links.add("  - ends: [" + q(bridgeNode + ":" + port) + ", " + end(members[k] + ":" + ifname,
                        nth(net, k + 1).getHostAddress() + "/" + net.length()) + "]");
            }
            br.interfaces.add("      br0: {kind: bridge, ports: [" + String.join(", ", ports) + "]}");
            return this;
        }

        /** A route in {@code node}: {@code dst} (a subnet or {@code default}) via a gateway address. */
        public Builder route(String node, String dst, String via) {
            at(node).routes.add("      - {dst: " + q(dst) + ", via: " + q(via) + "}");
            return this;
        }

        /** IPv4 forwarding in {@code node} (a router). */
        public Builder forwarding(String node) {
            at(node).forwarding = true;
            return this;
        }

        public LabSpec build() {
            StringBuilder y = new StringBuilder("name: ").append(q(name)).append("\nnodes:\n");
            for (var e : nodes.entrySet()) {
                NodeText n = e.getValue();
                y.append("  ").append(q(e.getKey())).append(":\n");
                if (n.forwarding) y.append("    forwarding: true\n");
                if (!n.interfaces.isEmpty()) y.append("    interfaces:\n").append(String.join("\n", n.interfaces)).append('\n');
                if (!n.routes.isEmpty()) y.append("    routes:\n").append(String.join("\n", n.routes)).append('\n');
            }
            if (!links.isEmpty()) y.append("links:\n").append(String.join("\n", links)).append('\n');
            return new LabSpec(y.toString(), "lab " + name + " (LabSpec.builder)", Optional.empty());
        }

        /** A YAML double-quoted scalar: nothing in a name can break the document. */
        private static String q(String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }

        private static InetAddress nth(IpPrefix net, int k) {
            byte[] base = net.address().getAddress();
            byte[] sum = new BigInteger(1, base).add(BigInteger.valueOf(k)).toByteArray();
            byte[] out = new byte[base.length];
            int n = Math.min(sum.length, out.length);
            System.arraycopy(sum, sum.length - n, out, out.length - n, n);
            try {
                return InetAddress.getByAddress(out);
            } catch (UnknownHostException e) {
                throw new AssertionError("4 or 16 bytes", e);
            }
        }
    }
}
