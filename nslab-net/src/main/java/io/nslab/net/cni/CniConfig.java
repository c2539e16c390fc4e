package io.nslab.net.cni;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.nslab.net.NetStore;
import io.nslab.netlink.nft.Proto;
import io.nslab.netlink.route.IpPrefix;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One plugin's network configuration as the runtime passes it on stdin: the
 * reference {@code bridge} plugin's keys, an {@code ipam} section in
 * host-local's syntax, the {@code portMappings} capability (portmap's
 * {@code runtimeConfig}), {@code dns}, a {@code prevResult} when chained and
 * {@code cni.dev/valid-attachments} for GC. Validated whole before anything
 * is changed.
 */
public record CniConfig(String cniVersion, String name, String bridge, boolean isGateway, boolean isDefaultGateway,
                        boolean ipMasq, OptionalInt mtu, boolean hairpinMode, boolean promiscMode,
                        Optional<IpamConfig> ipam, List<PortMap> portMappings, Optional<JsonNode> dns,
                        Optional<JsonNode> prevResult, Optional<List<Attachment.Key>> validAttachments) {
    public static final List<String> SUPPORTED_VERSIONS = List.of("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");
    private static final Set<String> KEYS = Set.of("cniVersion", "name", "type", "bridge", "isGateway", "isDefaultGateway",
            "ipMasq", "mtu", "hairpinMode", "promiscMode", "ipam", "capabilities", "runtimeConfig", "dns", "args",
            "prevResult", "cni.dev/valid-attachments");
    private static final Set<String> RUNTIME_KEYS = Set.of("portMappings");
    private static final Set<String> PORT_KEYS = Set.of("hostPort", "containerPort", "protocol", "hostIP");
    private static final Set<String> DNS_KEYS = Set.of("nameservers", "domain", "search", "options");
    private static final Pattern IFNAME = Pattern.compile("[^\\s/:]{1,15}");

    /** A {@code portMappings} entry: connections to hostPort (on hostIP, or any local address) go to containerPort. */
    public record PortMap(Proto proto, Optional<InetAddress> hostIp, int hostPort, int containerPort) {
        @Override
        public String toString() {
            return hostIp.map(a -> IpPrefix.text(a) + ":").orElse("") + hostPort + "->" + containerPort + "/" + proto.nft();
        }

        boolean conflictsWith(PortMap o) {
            if (proto != o.proto || hostPort != o.hostPort) return false;
            return hostIp.isEmpty() || o.hostIp.isEmpty() || hostIp.get().equals(o.hostIp.get());
        }
    }

    /** Only the version, for VERSION and for errors about a config that does not parse. */
    static String versionOf(String stdin) {
        try {
            JsonNode n = Json.MAPPER.readTree(stdin);
            if (n != null && n.path("cniVersion").isTextual()) return n.get("cniVersion").asText();
        } catch (JsonProcessingException | RuntimeException e) {
            // the error result is written in the newest version then
        }
        return "1.1.0";
    }

    public static CniConfig parse(String stdin) throws CniError {
        JsonNode o;
        try {
            o = Json.MAPPER.readTree(stdin);
        } catch (JsonProcessingException e) {
            throw new CniError(CniError.DECODING_FAILURE, "network configuration on stdin is not JSON: "
                    + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        }
        if (o == null || !o.isObject()) throw new CniError(CniError.DECODING_FAILURE, "network configuration on stdin must be a JSON object");
        String version = Json.string(o, "", "cniVersion", null);
        if (version == null) throw Json.invalid("cniVersion", "missing");
        if (!SUPPORTED_VERSIONS.contains(version))
            throw new CniError(CniError.INCOMPATIBLE_VERSION, "cniVersion " + version + " is not supported (supported: " + String.join(", ", SUPPORTED_VERSIONS) + ")");
        Json.onlyKeys(o, "", KEYS);
        String name = Json.string(o, "", "name", null);
        if (name == null) throw Json.invalid("name", "missing");
        if (!NetStore.NAME.matcher(name).matches())
            throw Json.invalid("name", "\"" + name + "\" (letters, digits, '_', '.', '-'; at most 32, starting with a letter or digit)");
        String bridge = Json.string(o, "", "bridge", "cni0");
        if (!IFNAME.matcher(bridge).matches() || bridge.equals(".") || bridge.equals(".."))
            throw Json.invalid("bridge", "\"" + bridge + "\" is not an interface name (1..15 characters, no spaces, '/' or ':')");
        boolean isDefaultGateway = Json.bool(o, "", "isDefaultGateway", false);
        boolean isGateway = Json.bool(o, "", "isGateway", false) || isDefaultGateway;
        boolean ipMasq = Json.bool(o, "", "ipMasq", false);
        int mtu = Json.integer(o, "", "mtu", 0, 68, 65535);
        boolean hairpin = Json.bool(o, "", "hairpinMode", false);
        boolean promisc = Json.bool(o, "", "promiscMode", false);
        JsonNode ipamJ = Json.object(o, "", "ipam");
        Optional<IpamConfig> ipam = ipamJ == null || ipamJ.isEmpty() ? Optional.empty() : Optional.of(IpamConfig.parse(ipamJ));
        JsonNode caps = Json.object(o, "", "capabilities");
        if (caps != null) Json.onlyKeys(caps, "capabilities", RUNTIME_KEYS);
        List<PortMap> ports = new ArrayList<>();
        JsonNode rt = Json.object(o, "", "runtimeConfig");
        if (rt != null) {
            Json.onlyKeys(rt, "runtimeConfig", RUNTIME_KEYS);
            JsonNode pm = Json.array(rt, "runtimeConfig", "portMappings");
            if (pm != null) for (int i = 0; i < pm.size(); i++) ports.add(port(pm.get(i), "runtimeConfig.portMappings[" + i + "]", ports));
        }
        if (!ports.isEmpty() && !ipMasq)
            throw Json.invalid("runtimeConfig.portMappings", "published ports need \"ipMasq\": true (nslab publishes through the network's NAT table)");
        JsonNode dns = Json.object(o, "", "dns");
        if (dns != null) Json.onlyKeys(dns, "dns", DNS_KEYS);
        JsonNode prev = Json.object(o, "", "prevResult");
        Optional<List<Attachment.Key>> valid = Optional.empty();
        JsonNode va = Json.array(o, "", "cni.dev/valid-attachments");
        if (va != null) {
            List<Attachment.Key> keys = new ArrayList<>();
            for (int i = 0; i < va.size(); i++) {
                String p = "cni.dev/valid-attachments[" + i + "]";
                JsonNode a = va.get(i);
                if (!a.isObject()) throw Json.invalid(p, "must be an object with containerID and ifname");
                String id = Json.string(a, p, "containerID", null), ifn = Json.string(a, p, "ifname", null);
                if (id == null || ifn == null) throw Json.invalid(p, "needs containerID and ifname");
                keys.add(new Attachment.Key(id, ifn));
            }
            valid = Optional.of(List.copyOf(keys));
        }
        return new CniConfig(version, name, bridge, isGateway, isDefaultGateway, ipMasq,
                mtu == 0 ? OptionalInt.empty() : OptionalInt.of(mtu), hairpin, promisc, ipam, List.copyOf(ports),
                Optional.ofNullable(dns), Optional.ofNullable(prev), valid);
    }

    private static PortMap port(JsonNode p, String path, List<PortMap> before) throws CniError {
        if (!p.isObject()) throw Json.invalid(path, "must be an object with hostPort and containerPort");
        Json.onlyKeys(p, path, PORT_KEYS);
        int host = Json.integer(p, path, "hostPort", 0, 1, 65535);
        int cont = Json.integer(p, path, "containerPort", 0, 1, 65535);
        if (host == 0) throw Json.invalid(path + ".hostPort", "missing");
        if (cont == 0) throw Json.invalid(path + ".containerPort", "missing");
        String proto = Json.string(p, path, "protocol", "tcp").toLowerCase();
        Proto pr = switch (proto) {
            case "tcp" -> Proto.TCP;
            case "udp" -> Proto.UDP;
            default -> throw new CniError(CniError.UNSUPPORTED_FIELD, "unsupported field " + path + ".protocol (value \"" + proto + "\"): tcp or udp");
        };
        String ip = Json.string(p, path, "hostIP", "");
        Optional<InetAddress> hostIp = ip.isEmpty() ? Optional.empty() : Optional.of(IpamConfig.address(path + ".hostIP", ip));
        PortMap m = new PortMap(pr, hostIp, host, cont);
        for (PortMap q : before) if (q.conflictsWith(m)) throw Json.invalid(path + ".hostPort", "port " + m + " is given twice");
        return m;
    }

    /** The ranges of {@code ipam}; empty when there is no ipam section. */
    List<List<IpamRange>> rangeSets() {
        return ipam.map(IpamConfig::rangeSets).orElse(List.of());
    }

    /** True if the config has an IPv4 range set (port mappings of IPv4 host addresses). */
    boolean hasFamily(boolean ipv4) {
        return rangeSets().stream().anyMatch(s -> s.getFirst().ipv4() == ipv4);
    }

    static IpPrefix hostPrefix(InetAddress a) {
        return IpPrefix.host(a);
    }
}
