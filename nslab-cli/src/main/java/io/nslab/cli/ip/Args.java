package io.nslab.cli.ip;

import io.nslab.cli.CliException;
import io.nslab.netlink.route.IpPrefix;

import java.net.InetAddress;
import java.util.List;
import java.util.OptionalInt;

/**
 * A cursor over the words of one command, with ip's keyword matching and error
 * wording, and the value parsers every object's parser shares (addresses,
 * prefixes, MACs, on/off, scope, table, protocol, a device named once).
 */
public final class Args {
    private final List<String> words;
    private final String text;
    private int pos;

    public Args(List<String> words, String text) {
        this.words = words;
        this.text = text;
    }

    public String text() { return text; }
    public boolean hasNext() { return pos < words.size(); }
    public String peek() { return words.get(pos); }
    public String next() { return words.get(pos++); }
    List<String> rest() {
        List<String> r = words.subList(pos, words.size());
        pos = words.size();
        return List.copyOf(r);
    }

    /** The value after keyword {@code kw}; an error naming the keyword when missing. */
    public String value(String kw) throws CliException {
        if (!hasNext()) throw error("\"" + kw + "\" needs an argument");
        return next();
    }

    int intValue(String kw, long min, long max) throws CliException {
        String v = value(kw);
        return parseInt(kw, v, min, max);
    }

    int parseInt(String kw, String v, long min, long max) throws CliException {
        try {
            long n = v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
            if (n < min || n > max) throw error("invalid " + kw + " \"" + v + "\" (must be " + min + ".." + max + ")");
            return (int) n;
        } catch (NumberFormatException e) {
            throw error("invalid " + kw + " \"" + v + "\"");
        }
    }

    OptionalInt optInt(String kw, long min, long max) throws CliException {
        return OptionalInt.of(intValue(kw, min, max));
    }

    /** ip's {@code matches()}: the word typed is a non-empty prefix of the keyword. */
    public static boolean matches(String typed, String keyword) {
        return !typed.isEmpty() && keyword.startsWith(typed);
    }

    /** What ip rejects with exit(-1), status 255: an unknown word, an invalid or duplicate value. */
    public CliException error(String problem) {
        return CliException.invalid(text + ": " + problem);
    }

    /** What ip reports and returns -1 for, status 1: a required argument missing, a malformed address. */
    CliException rejected(String problem) {
        return CliException.usage(text + ": " + problem);
    }

    /** What ip leaves to the kernel and nslab checks first, status 2 as the kernel's refusal would be. */
    CliException refusedByKernel(String problem) {
        return CliException.failed(text + ": " + problem);
    }

    /** A keyword ip knows and nslab does not implement: refused, never ignored. */
    public CliException unsupported(String keyword) {
        return error("\"" + keyword + "\" is not supported by nslab");
    }

    public CliException unknown(String word) {
        return error("unknown keyword \"" + word + "\"");
    }

    // ---- values shared by the objects' parsers ----

    /** An error if any word is left. */
    public void noMore() throws CliException {
        if (hasNext()) throw error("unexpected argument \"" + peek() + "\"");
    }

    /** The device of a command that names one ({@code dev NAME} or bare): an error if it was named already. */
    String dev(String current, String w) throws CliException {
        if (current != null) throw unknown(w);
        return Names.ifname(this, w);
    }

    IpPrefix prefix(String s) throws CliException {
        return Inet.parsePrefix(s).orElseThrow(() -> rejected("invalid address or prefix \"" + s + "\" (expected ADDR or ADDR/LEN, e.g. 10.0.1.1/24)"));
    }

    public InetAddress addr(String what, String s) throws CliException {
        return Inet.parse(s).orElseThrow(() -> rejected("invalid " + what + " address \"" + s + "\""));
    }

    /** A link-layer address, normalised to ip's spelling (two lower-case digits per byte). */
    public String mac(String s) throws CliException {
        if (!s.matches("(?i)[0-9a-f]{1,2}(:[0-9a-f]{1,2}){5}")) throw rejected("invalid link-layer address \"" + s + "\" (expected xx:xx:xx:xx:xx:xx)");
        StringBuilder sb = new StringBuilder();
        for (String p : s.split(":")) {
            if (sb.length() > 0) sb.append(':');
            sb.append(p.length() == 1 ? "0" + p : p);
        }
        return sb.toString().toLowerCase();
    }

    /** The on/off value after keyword {@code kw}. */
    public boolean onOff(String kw) throws CliException {
        String v = value(kw);
        return switch (v) {
            case "on" -> true;
            case "off" -> false;
            default -> throw rejected("\"" + kw + "\" takes on or off, not \"" + v + "\"");
        };
    }

    String scope(String s) throws CliException {
        if (List.of("global", "universe", "site", "link", "host", "nowhere").contains(s)) return s.equals("universe") ? "global" : s;
        try {
            int n = Integer.parseInt(s);
            if (n >= 0 && n <= 255) return s;
        } catch (NumberFormatException ignored) { }
        throw error("invalid scope \"" + s + "\" (global, site, link, host, or 0..255)");
    }

    String table(String s) throws CliException {
        if (List.of("main", "local", "default", "all", "unspec").contains(s)) return s;
        parseInt("table", s, 0, 0xffffffffL);
        return s;
    }

    String proto(String s) throws CliException {
        if (List.of("unspec", "redirect", "kernel", "boot", "static", "dhcp", "ra", "bird", "zebra", "babel", "bgp", "isis", "ospf", "rip", "eigrp").contains(s)) return s;
        parseInt("proto", s, 0, 255);
        return s;
    }
}
