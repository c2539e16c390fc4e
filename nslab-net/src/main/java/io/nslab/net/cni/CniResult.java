package io.nslab.net.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nslab.netlink.route.IpPrefix;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The success result of ADD in the spec's format for the config's
 * {@code cniVersion}: interfaces (bridge, host veth, container interface with
 * its sandbox, as the reference bridge plugin reports them), ips (pointing at
 * the container interface), routes and dns; appended to {@code prevResult}
 * when the plugin runs chained.
 */
final class CniResult {
    private CniResult() {}

    record Iface(String name, String mac, Optional<String> sandbox) {}

    /** A route: {@code gw} as the result reports it (as configured), {@code via} as the kernel gets it (the gateway when none is configured). */
    record RouteOut(IpPrefix dst, Optional<InetAddress> gw, Optional<InetAddress> via) {}

    static ObjectNode add(CniConfig cfg, List<Iface> ifaces, List<Attachment.Ip> ips, List<RouteOut> routes) {
        boolean legacy = cfg.cniVersion().startsWith("0.");
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("cniVersion", cfg.cniVersion());
        ArrayNode is = o.putArray("interfaces"), ipsJ = o.putArray("ips"), rs = o.putArray("routes");
        JsonNode prev = cfg.prevResult().orElse(null);
        int base = 0;
        if (prev != null) {
            for (JsonNode i : prev.path("interfaces")) is.add(i.deepCopy());
            for (JsonNode i : prev.path("ips")) ipsJ.add(i.deepCopy());
            for (JsonNode r : prev.path("routes")) rs.add(r.deepCopy());
            base = is.size();
        }
        for (Iface i : ifaces) {
            ObjectNode j = is.addObject().put("name", i.name()).put("mac", i.mac());
            i.sandbox().ifPresent(s -> j.put("sandbox", s));
        }
        int container = base + ifaces.size() - 1;
        for (Attachment.Ip ip : ips) {
            ObjectNode j = ipsJ.addObject();
            if (legacy) j.put("version", ip.address().isIpv4() ? "4" : "6");
            j.put("interface", container).put("address", ip.address().toString()).put("gateway", IpPrefix.text(ip.gateway()));
        }
        for (RouteOut r : routes) {
            ObjectNode j = rs.addObject().put("dst", r.dst().toString());
            r.gw().ifPresent(g -> j.put("gw", IpPrefix.text(g)));
        }
        if (cfg.dns().isPresent()) o.set("dns", cfg.dns().get().deepCopy());
        else if (prev != null && prev.has("dns")) o.set("dns", prev.get("dns").deepCopy());
        else o.putObject("dns");
        return o;
    }
}
