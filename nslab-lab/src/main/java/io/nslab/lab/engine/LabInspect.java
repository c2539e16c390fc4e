package io.nslab.lab.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nslab.lab.model.IfRef;
import io.nslab.lab.model.Lab;
import io.nslab.lab.run.LabRuntime;
import io.nslab.netlink.Rtnl;
import io.nslab.netlink.netns.NetNs;
import io.nslab.netlink.netns.NsOutcome;
import io.nslab.netlink.route.Address;
import io.nslab.netlink.route.AddressFamily;
import io.nslab.netlink.route.Link;
import io.nslab.netlink.route.Route;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a script needs about a lab that is up, as a JSON-ready tree: each node with its interfaces (kind,
 * state, MTU, MAC, addresses, the lab's peer end), its routes and its processes; the last verify result. The
 * kernel is read inside each namespace (a few threads visiting them in turn); the lab file, when it can still be
 * read, adds what the kernel cannot tell (the peer as NODE:IFNAME; the processes and their commands come from
 * the run journal, so they are shown without it too).
 */
public final class LabInspect {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LabInspect() {}

    /** Where {@code verify} leaves its last result. */
    public static Path verifyFile(Path labDir) {
        return labDir.resolve("verify.json");
    }

    public static Map<String, Object> of(LabStatus status, Optional<Lab> lab, Path labDir) throws IOException {
        Map<IfRef, String> peers = new HashMap<>();
        lab.ifPresent(l -> {
            for (var k : l.links()) { // the lab's veth pairs
                peers.put(k.a().ref(), k.b().ref().toString());
                peers.put(k.b().ref(), k.a().ref().toString());
            }
        });
        List<String> live = status.namespaces().stream().filter(ns -> !status.missing().contains(ns)).toList();
        List<NsOutcome<Map<String, Object>>> kernel = NetNs.inEach(live, LabInspect::inside);
        Map<String, Map<String, Object>> byNs = new HashMap<>();
        for (NsOutcome<Map<String, Object>> o : kernel) o.value().ifPresent(v -> byNs.put(o.name(), v));

        List<LabRuntime.ProcInfo> procs = LabRuntime.processes(lab, labDir); // from the journal alone when the file is gone
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (String ns : status.namespaces()) {
            String node = ns.substring(ns.indexOf('.') + 1);
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("name", node);
            n.put("netns", ns);
            n.put("present", !status.missing().contains(ns));
            Map<String, Object> k = byNs.getOrDefault(ns, Map.of());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> ifaces = (List<Map<String, Object>>) k.getOrDefault("interfaces", List.of());
            for (Map<String, Object> i : ifaces) {
                String peer = peers.get(new IfRef(node, (String) i.get("name")));
                if (peer != null) i.put("peer", peer);
            }
            n.put("interfaces", ifaces);
            n.put("routes", k.getOrDefault("routes", List.of()));
            List<Map<String, Object>> ps = new ArrayList<>();
            for (LabRuntime.ProcInfo p : procs) {
                if (!p.node().equals(node)) continue;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("index", p.index());
                m.put("cmd", p.cmd());
                m.put("pid", p.pid().orElse(null));
                m.put("state", p.state());
                m.put("log", p.log().toString());
                ps.add(m);
            }
            n.put("processes", ps);
            nodes.add(n);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("nodes", nodes);
        Path v = verifyFile(labDir);
        out.put("verify", Files.exists(v) ? JSON.readValue(v.toFile(), Map.class) : null);
        return out;
    }

    /** On a thread inside the node's namespace: its links, addresses and main-table routes. */
    private static Map<String, Object> inside(String ns) throws Exception {
        try (Rtnl r = Rtnl.open()) {
            Map<Integer, String> names = new HashMap<>();
            Map<Integer, List<String>> addrs = new HashMap<>();
            for (Address a : r.addresses().dump())
                if (!(a.family() == AddressFamily.INET6 && a.scope() == 253)) // link-local: the kernel's, not the lab's
                    addrs.computeIfAbsent(a.index(), x -> new ArrayList<>()).add(a.prefix().toString());
            List<Map<String, Object>> ifaces = new ArrayList<>();
            for (Link l : r.links().dump()) {
                names.put(l.index(), l.name());
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", l.name());
                m.put("kind", l.kindName().orElse(l.isLoopback() ? "loopback" : "device"));
                m.put("state", !l.isUp() ? "down" : l.isLowerUp() ? "up" : "no-carrier");
                l.mtu().ifPresent(x -> m.put("mtu", x));
                l.address().ifPresent(x -> m.put("mac", x.toString()));
                m.put("addresses", addrs.getOrDefault(l.index(), List.of()));
                ifaces.add(m);
            }
            List<Map<String, Object>> routes = new ArrayList<>();
            for (int family : new int[] {AddressFamily.INET, AddressFamily.INET6}) {
                for (Route rt : r.routes().dump(family)) {
                    if (family == AddressFamily.INET6 && rt.dst().map(InetAddress::isLinkLocalAddress).orElse(false)) continue;
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("dst", rt.isDefault() ? "default" : rt.destination().toString());
                    rt.gateway().ifPresent(g -> m.put("via", g.getHostAddress()));
                    if (rt.oif().isPresent()) m.put("dev", names.getOrDefault(rt.oif().getAsInt(), "?"));
                    rt.priority().ifPresent(p -> m.put("metric", p));
                    routes.add(m);
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("interfaces", ifaces);
            out.put("routes", routes);
            return out;
        }
    }
}
