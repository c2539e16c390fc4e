package io.nslab.net.cni;

import com.fasterxml.jackson.databind.JsonNode;
import io.nslab.netlink.route.IpPrefix;

import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code ipam} section in host-local's syntax: {@code ranges} (a list of
 * range sets; each set hands out one address, from the first of its ranges
 * with a free one) or the older single {@code subnet}/{@code rangeStart}/
 * {@code rangeEnd}/{@code gateway}; {@code routes}; {@code dataDir}, which
 * here places nslab's own address store. nslab serves the addresses itself,
 * so {@code type} may be {@code host-local} or {@code nslab}.
 */
record IpamConfig(List<List<IpamRange>> rangeSets, List<CniRoute> routes, Optional<Path> dataDir) {
    private static final Set<String> KEYS = Set.of("type", "ranges", "subnet", "rangeStart", "rangeEnd", "gateway", "routes", "dataDir");
    private static final Set<String> RANGE_KEYS = Set.of("subnet", "rangeStart", "rangeEnd", "gateway");
    private static final Set<String> ROUTE_KEYS = Set.of("dst", "gw");

    /** A route of the result and of the container: {@code dst} via {@code gw} (the range's gateway when absent). */
    record CniRoute(IpPrefix dst, Optional<InetAddress> gw) {}

    static IpamConfig parse(JsonNode ipam) throws CniError {
        String p = "ipam";
        Json.onlyKeys(ipam, p, KEYS);
        String type = Json.string(ipam, p, "type", null);
        if (type == null) throw Json.invalid("ipam.type", "missing (host-local or nslab)");
        if (!type.equals("host-local") && !type.equals("nslab"))
            throw new CniError(CniError.UNSUPPORTED_FIELD, "unsupported field ipam.type (value \"" + type + "\"): nslab serves host-local's syntax only (host-local or nslab)");
        List<List<IpamRange>> sets = new ArrayList<>();
        JsonNode ranges = Json.array(ipam, p, "ranges");
        boolean legacy = ipam.has("subnet");
        if (ranges != null && legacy) throw Json.invalid("ipam.subnet", "give either ipam.ranges or ipam.subnet, not both");
        if (legacy) {
            sets.add(List.of(range(ipam, "ipam")));
        } else if (ranges != null) {
            for (int i = 0; i < ranges.size(); i++) {
                String sp = "ipam.ranges[" + i + "]";
                JsonNode set = ranges.get(i);
                if (!set.isArray() || set.isEmpty()) throw Json.invalid(sp, "must be a non-empty array of ranges");
                List<IpamRange> rs = new ArrayList<>();
                for (int j = 0; j < set.size(); j++) {
                    String rp = sp + "[" + j + "]";
                    JsonNode r = set.get(j);
                    if (!r.isObject()) throw Json.invalid(rp, "must be an object with a subnet");
                    Json.onlyKeys(r, rp, RANGE_KEYS);
                    IpamRange range = range(r, rp);
                    if (!rs.isEmpty() && rs.getFirst().ipv4() != range.ipv4())
                        throw Json.invalid(rp + ".subnet", "the ranges of one set must be of one IP version (" + rs.getFirst().subnet() + " and " + range.subnet() + ")");
                    rs.add(range);
                }
                sets.add(List.copyOf(rs));
            }
        }
        if (sets.isEmpty()) throw Json.invalid("ipam.ranges", "missing (no range to hand out addresses from)");
        checkOverlaps(sets);
        List<CniRoute> routes = new ArrayList<>();
        JsonNode rj = Json.array(ipam, p, "routes");
        if (rj != null) {
            for (int i = 0; i < rj.size(); i++) {
                String rp = "ipam.routes[" + i + "]";
                JsonNode r = rj.get(i);
                if (!r.isObject()) throw Json.invalid(rp, "must be an object with dst");
                Json.onlyKeys(r, rp, ROUTE_KEYS);
                String dst = Json.string(r, rp, "dst", null);
                if (dst == null) throw Json.invalid(rp + ".dst", "missing");
                IpPrefix d = prefix(rp + ".dst", dst);
                String gwText = Json.string(r, rp, "gw", null);
                InetAddress g = null;
                if (gwText != null) {
                    g = address(rp + ".gw", gwText);
                    if (g.getAddress().length != d.address().getAddress().length)
                        throw Json.invalid(rp + ".gw", IpPrefix.text(g) + " and dst " + d + " are of different IP versions");
                }
                boolean family = sets.stream().anyMatch(s -> s.getFirst().ipv4() == d.isIpv4());
                if (!family) throw Json.invalid(rp + ".dst", d + ": no range of its IP version to route it through");
                routes.add(new CniRoute(d, Optional.ofNullable(g)));
            }
        }
        String dir = Json.string(ipam, p, "dataDir", null);
        return new IpamConfig(List.copyOf(sets), List.copyOf(routes), Optional.ofNullable(dir).map(Path::of));
    }

    private static IpamRange range(JsonNode r, String rp) throws CniError {
        String s = Json.string(r, rp, "subnet", null);
        if (s == null) throw Json.invalid(rp + ".subnet", "missing");
        IpPrefix subnet = prefix(rp + ".subnet", s);
        if (!subnet.network().equals(subnet))
            throw Json.invalid(rp + ".subnet", s + " has host bits set (did you mean " + subnet.network() + "?)");
        boolean v4 = subnet.isIpv4();
        BigInteger net = IpPrefix.number(subnet.address()), last = subnet.lastNumber();
        if (last.subtract(net).compareTo(BigInteger.valueOf(3)) < 0)
            throw Json.invalid(rp + ".subnet", s + " is too small (needs room for a gateway and an address)");
        BigInteger lastHost = v4 ? last.subtract(BigInteger.ONE) : last;
        InetAddress start = bound(r, rp, "rangeStart", subnet, IpPrefix.fromNumber(net.add(BigInteger.ONE), v4));
        InetAddress end = bound(r, rp, "rangeEnd", subnet, IpPrefix.fromNumber(lastHost, v4));
        InetAddress gw = bound(r, rp, "gateway", subnet, IpPrefix.fromNumber(net.add(BigInteger.ONE), v4));
        // as host-local: the range starts at the first host address; the gateway is skipped when allocating
        if (IpPrefix.number(start).compareTo(IpPrefix.number(end)) > 0)
            throw Json.invalid(rp + ".rangeStart", IpPrefix.text(start) + " is above rangeEnd " + IpPrefix.text(end));
        for (String k : List.of("rangeStart", "rangeEnd")) {
            InetAddress a = k.equals("rangeStart") ? start : end;
            BigInteger v = IpPrefix.number(a);
            if (v.equals(net) || (v4 && v.equals(last)))
                throw Json.invalid(rp + "." + k, IpPrefix.text(a) + " is the " + (v.equals(net) ? "network" : "broadcast") + " address of " + subnet);
        }
        return new IpamRange(subnet, start, end, gw);
    }

    private static InetAddress bound(JsonNode r, String rp, String key, IpPrefix subnet, InetAddress dflt) throws CniError {
        String s = Json.string(r, rp, key, null);
        if (s == null) return dflt;
        InetAddress a = address(rp + "." + key, s);
        if (!subnet.contains(a)) throw Json.invalid(rp + "." + key, s + " is outside the subnet " + subnet);
        return a;
    }

    private static void checkOverlaps(List<List<IpamRange>> sets) throws CniError {
        List<String> where = new ArrayList<>();
        List<IpamRange> all = new ArrayList<>();
        for (int i = 0; i < sets.size(); i++)
            for (int j = 0; j < sets.get(i).size(); j++) {
                IpamRange r = sets.get(i).get(j);
                for (int k = 0; k < all.size(); k++)
                    if (all.get(k).overlaps(r))
                        throw Json.invalid("ipam.ranges[" + i + "][" + j + "]", r + " overlaps " + where.get(k) + " " + all.get(k));
                all.add(r);
                where.add("ipam.ranges[" + i + "][" + j + "]");
            }
    }

    static IpPrefix prefix(String field, String s) throws CniError {
        try {
            if (!s.contains("/")) throw new IllegalArgumentException("no /LENGTH");
            return IpPrefix.parse(s.strip());
        } catch (IllegalArgumentException e) {
            throw Json.invalid(field, "\"" + s + "\" is not an address/length prefix");
        }
    }

    static InetAddress addressOrNull(String s) {
        try {
            return IpPrefix.parseAddress(s.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static InetAddress address(String field, String s) throws CniError {
        try {
            return IpPrefix.parseAddress(s.strip());
        } catch (IllegalArgumentException e) {
            throw Json.invalid(field, "\"" + s + "\" is not an IP address");
        }
    }
}
