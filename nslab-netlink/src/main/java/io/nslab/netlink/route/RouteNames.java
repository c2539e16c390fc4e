package io.nslab.netlink.route;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

import static io.nslab.netlink.route.RtConst.*;

/**
 * iproute2's names for route scopes, protocols, types and tables
 * (/usr/share/iproute2/rt_* defaults), both ways. Unknown numbers print as
 * numbers; parsing accepts a name or a number.
 */
public final class RouteNames {
    private RouteNames() {}

    private static final Map<Integer, String> SCOPES = Map.of(
            RT_SCOPE_UNIVERSE, "global", RT_SCOPE_SITE, "site", RT_SCOPE_LINK, "link",
            RT_SCOPE_HOST, "host", RT_SCOPE_NOWHERE, "nowhere");
    private static final Map<Integer, String> PROTOCOLS = Map.ofEntries(
            Map.entry(RTPROT_UNSPEC, "unspec"), Map.entry(RTPROT_REDIRECT, "redirect"), Map.entry(RTPROT_KERNEL, "kernel"),
            Map.entry(RTPROT_BOOT, "boot"), Map.entry(RTPROT_STATIC, "static"), Map.entry(RTPROT_GATED, "gated"),
            Map.entry(RTPROT_RA, "ra"), Map.entry(RTPROT_MRT, "mrt"), Map.entry(RTPROT_ZEBRA, "zebra"),
            Map.entry(RTPROT_BIRD, "bird"), Map.entry(RTPROT_DNROUTED, "dnrouted"), Map.entry(RTPROT_XORP, "xorp"),
            Map.entry(RTPROT_NTK, "ntk"), Map.entry(RTPROT_DHCP, "dhcp"), Map.entry(RTPROT_KEEPALIVED, "keepalived"),
            Map.entry(RTPROT_BABEL, "babel"), Map.entry(RTPROT_OPENR, "openr"), Map.entry(RTPROT_BGP, "bgp"),
            Map.entry(RTPROT_ISIS, "isis"), Map.entry(RTPROT_OSPF, "ospf"), Map.entry(RTPROT_RIP, "rip"),
            Map.entry(RTPROT_EIGRP, "eigrp"));
    private static final Map<Integer, String> TYPES = Map.ofEntries(
            Map.entry(RTN_UNSPEC, "none"), Map.entry(RTN_UNICAST, "unicast"), Map.entry(RTN_LOCAL, "local"),
            Map.entry(RTN_BROADCAST, "broadcast"), Map.entry(RTN_ANYCAST, "anycast"), Map.entry(RTN_MULTICAST, "multicast"),
            Map.entry(RTN_BLACKHOLE, "blackhole"), Map.entry(RTN_UNREACHABLE, "unreachable"), Map.entry(RTN_PROHIBIT, "prohibit"),
            Map.entry(RTN_THROW, "throw"), Map.entry(RTN_NAT, "nat"), Map.entry(RTN_XRESOLVE, "xresolve"));
    private static final Map<Integer, String> TABLES = Map.of(
            RT_TABLE_UNSPEC, "unspec", RT_TABLE_DEFAULT, "default", RT_TABLE_MAIN, "main", RT_TABLE_LOCAL, "local");

    public static String scope(int v) { return name(SCOPES, v); }
    public static String protocol(int v) { return name(PROTOCOLS, v); }
    public static String type(int v) { return name(TYPES, v); }
    public static String table(int v) { return name(TABLES, v); }

    public static OptionalInt parseScope(String s) { return parse(SCOPES, s, 255, "universe", RT_SCOPE_UNIVERSE); }
    public static OptionalInt parseProtocol(String s) { return parse(PROTOCOLS, s, 255, null, 0); }
    public static OptionalInt parseType(String s) { return parse(TYPES, s, 255, null, 0); }
    public static OptionalInt parseTable(String s) { return parse(TABLES, s, -1, null, 0); }

    private static String name(Map<Integer, String> m, int v) {
        String n = m.get(v);
        return n != null ? n : Integer.toString(v);
    }

    /** A name (case-insensitive) or a decimal/0x number up to {@code max} (-1: any u32). */
    private static OptionalInt parse(Map<Integer, String> m, String s, int max, String alias, int aliasValue) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        if (alias != null && alias.equals(t)) return OptionalInt.of(aliasValue);
        for (var e : new TreeMap<>(m).entrySet()) if (e.getValue().equals(t)) return OptionalInt.of(e.getKey());
        try {
            long v = t.startsWith("0x") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
            if (v < 0 || v > (max < 0 ? 0xffffffffL : max)) return OptionalInt.empty();
            return OptionalInt.of((int) v);
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
