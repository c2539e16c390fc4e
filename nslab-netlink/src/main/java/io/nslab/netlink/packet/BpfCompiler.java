package io.nslab.netlink.packet;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static io.nslab.netlink.packet.BpfProgram.*;

/**
 * Compiles tcpdump's filter language (the common part of pcap-filter(7)) to
 * classic BPF for Ethernet frames, with the same meaning as libpcap's
 * programs for a savefile:
 *
 * <pre>
 * expr      := term ( (or | ||) term )*
 * term      := factor ( (and | &amp;&amp;) factor )*
 * factor    := (not | !) factor | '(' expr ')' | primitive
 * primitive := [ether|ip|ip6|arp|rarp|tcp|udp|sctp] [src|dst] [host|net|port] ID
 *            | ip | ip6 | arp | rarp | tcp | udp | sctp | icmp | icmp6 | vlan [ID]
 * ID        := IPv4 | IPv6 | MAC | NET/LEN | NUMBER   (no name lookups)
 * </pre>
 *
 * A bare ID takes the qualifiers of the primitive before it
 * ({@code host 10.0.0.1 or 10.0.0.2}); at the start it is an error, as in tcpdump.
 * As in libpcap, {@code vlan} moves every later field 4 bytes on; and as libpcap
 * does on Linux, a frame whose tag the kernel holds aside (VLAN offload, see
 * {@link #compile(String, int)}) is matched against that tag.
 * Each primitive becomes a tree of tests; code is generated with true/false
 * labels (no optimiser), ending in {@code ret #snaplen} / {@code ret #0}.
 */
public final class BpfCompiler {
    private BpfCompiler() {}

    /** Compiles {@code expression} (words joined by spaces); blank keeps everything. */
    public static BpfProgram compile(String expression, int snaplen) throws FilterException {
        List<String> words = lex(expression);
        if (words.isEmpty()) return BpfProgram.acceptAll(snaplen);
        Parser p = new Parser(words, false);
        Node n = p.expr();
        if (p.i < words.size()) throw new FilterException(words.get(p.i), "unexpected \"" + words.get(p.i) + "\"");
        if (p.vlans == 0) return new Gen(snaplen).program(n);
        // Linux takes a frame's (outer) 802.1Q tag out of the data before a packet socket sees it
        // (VLAN offload; on receive, always): the filter runs on the untagged frame, the tag in
        // ancillary data. As libpcap does: a frame with a tag there is matched by the expression
        // read with its first vlan testing that tag and not moving later fields; any other frame
        // by the expression as written.
        Node offloaded = new Parser(words, true).expr();
        Node present = vlanPresent();
        return new Gen(snaplen).program(or(and(present, offloaded), and(new Not(present), n)));
    }

    /** Linux's ancillary data (linux/filter.h): loads at SKF_AD_OFF + these read the skb's VLAN tag. */
    static final int SKF_AD_OFF = -0x1000, SKF_AD_VLAN_TAG = 44, SKF_AD_VLAN_TAG_PRESENT = 48;

    private static Node vlanPresent() { return eq(B, SKF_AD_OFF + SKF_AD_VLAN_TAG_PRESENT, 1); }

    public static BpfProgram compile(List<String> words, int snaplen) throws FilterException {
        return compile(String.join(" ", words), snaplen);
    }

    // ---- the tree ----
    sealed interface Node {}
    record And(Node a, Node b) implements Node {}
    record Or(Node a, Node b) implements Node {}
    record Not(Node a) implements Node {}
    /** Loads, then one conditional jump {@code op #k} (true: jt, false: jf). */
    record Test(List<Insn> loads, int op, int k) implements Node {}

    private static Node and(Node... n) { Node r = n[0]; for (int i = 1; i < n.length; i++) r = new And(r, n[i]); return r; }
    private static Node or(Node... n) { Node r = n[0]; for (int i = 1; i < n.length; i++) r = new Or(r, n[i]); return r; }

    private static Insn ld(int size, int off) { return new Insn(LD | size | ABS, 0, 0, off); }
    private static Node eq(int size, int off, int k) { return new Test(List.of(ld(size, off)), JEQ, k); }
    private static Node masked(int size, int off, int mask, int k) {
        if (mask == -1) return eq(size, off, k);
        return new Test(List.of(ld(size, off), new Insn(ALU | AND | K, 0, 0, mask)), JEQ, k & mask);
    }

    // ---- words ----
    private static List<String> lex(String s) throws FilterException {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) { i++; continue; }
            if (c == '(' || c == ')') { out.add(String.valueOf(c)); i++; continue; }
            if (c == '!' ) { out.add("!"); i++; continue; }
            if (s.startsWith("&&", i) || s.startsWith("||", i)) { out.add(s.substring(i, i + 2)); i += 2; continue; }
            int j = i;
            while (j < s.length() && !Character.isWhitespace(s.charAt(j)) && "()!&|".indexOf(s.charAt(j)) < 0) j++;
            if (j == i) throw new FilterException(String.valueOf(c), "unexpected \"" + c + "\"");
            out.add(s.substring(i, j));
            i = j;
        }
        return out;
    }

    private static final Set<String> PROTOS = Set.of("ether", "ip", "ip6", "arp", "rarp", "tcp", "udp", "sctp", "icmp", "icmp6");
    private static final Pattern NUMBER = Pattern.compile("0x[0-9a-fA-F]+|[0-9]+");
    private static final Pattern IPV4 = Pattern.compile("[0-9]+(\\.[0-9]+){0,3}");
    private static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{1,2}([:.-][0-9a-fA-F]{1,2}){5}");

    private static final class Parser {
        final List<String> w;
        int i;
        int shift;                          // 4 per vlan in the data seen so far
        int vlans;                          // vlan primitives seen
        final boolean offloaded;            // the frame's outer tag is in ancillary data, not in the data
        String qProto, qDir, qType;         // qualifiers of the last primitive, for a bare ID

        Parser(List<String> w, boolean offloaded) {
            this.w = w;
            this.offloaded = offloaded;
        }

        String peek() { return i < w.size() ? w.get(i).toLowerCase(Locale.ROOT) : null; }
        String next() throws FilterException {
            if (i >= w.size()) throw new FilterException("", "the expression ends too soon");
            return w.get(i++);
        }

        Node expr() throws FilterException {
            Node n = term();
            while ("or".equals(peek()) || "||".equals(peek())) { i++; n = new Or(n, term()); }
            return n;
        }

        Node term() throws FilterException {
            Node n = factor();
            while ("and".equals(peek()) || "&&".equals(peek())) { i++; n = new And(n, factor()); }
            return n;
        }

        Node factor() throws FilterException {
            String t = peek();
            if (t == null) throw new FilterException("", "the expression ends too soon");
            if (t.equals("not") || t.equals("!")) { i++; return new Not(factor()); }
            if (t.equals("(")) {
                i++;
                Node n = expr();
                if (!")".equals(peek())) throw new FilterException(i < w.size() ? w.get(i) : "", "missing \")\"");
                i++;
                return n;
            }
            return primitive();
        }

        int e() { return 12 + shift; }   // ethertype
        int l3() { return 14 + shift; }  // network header

        Node primitive() throws FilterException {
            String first = peek();
            if (first.equals("vlan")) {
                i++;
                if (offloaded && vlans++ == 0) {
                    // the outer tag, from ancillary data: the fields after it do not move
                    String id = peek();
                    if (id == null || !NUMBER.matcher(id).matches()) return vlanPresent();
                    i++;
                    return and(vlanPresent(), masked(H, SKF_AD_OFF + SKF_AD_VLAN_TAG, 0xfff, number(id, 4095)));
                }
                if (!offloaded) vlans++;
                Node tagged = or(eq(H, e(), 0x8100), eq(H, e(), 0x88a8), eq(H, e(), 0x9100));
                String id = peek();
                Node n = tagged;
                if (id != null && NUMBER.matcher(id).matches()) {
                    i++;
                    int v = number(id, 4095);
                    n = and(tagged, masked(H, e() + 2, 0xfff, v));
                }
                shift += 4;
                return n;
            }
            String proto = null, dir = null, type = null;
            if (PROTOS.contains(first)) { proto = first; i++; }
            String t = peek();
            if ("src".equals(t) || "dst".equals(t)) { dir = t; i++; t = peek(); }
            if ("host".equals(t) || "net".equals(t) || "port".equals(t)) { type = t; i++; }
            if (proto != null && dir == null && type == null) return protocol(proto);   // "tcp", "ip", ...
            if (proto == null && dir == null && type == null) {
                // a bare ID: the last primitive's qualifiers, else host
                if (first.equals(")") || isKeyword(first)) throw new FilterException(w.get(i), "unexpected \"" + w.get(i) + "\"");
                if (!first.matches("[0-9a-f:./x-]+")) throw new FilterException(w.get(i), "unknown word \"" + w.get(i) + "\"");
                if (qType == null) throw new FilterException(w.get(i), "\"" + w.get(i) + "\" needs host, net or port before it");
                proto = qProto; dir = qDir; type = qType;
            }
            if (type == null) type = "host";
            qProto = proto; qDir = dir; qType = type;
            String id = next();
            if (isKeyword(id.toLowerCase(Locale.ROOT))) throw new FilterException(id, "\"" + id + "\" where an address or number belongs");
            return switch (type) {
                case "port" -> port(proto, dir, id);
                case "net" -> net(proto, dir, id);
                default -> host(proto, dir, id);
            };
        }

        boolean isKeyword(String s) {
            return PROTOS.contains(s) || Set.of("src", "dst", "host", "net", "port", "vlan", "and", "or", "not", "&&", "||", "!", "(", ")").contains(s);
        }

        Node ether(int type) { return eq(H, e(), type); }

        Node protocol(String p) throws FilterException {
            return switch (p) {
                case "ip" -> ether(0x0800);
                case "ip6" -> ether(0x86dd);
                case "arp" -> ether(0x0806);
                case "rarp" -> ether(0x8035);
                case "tcp" -> or(ip6Proto(6), ipProto(6));
                case "udp" -> or(ip6Proto(17), ipProto(17));
                case "sctp" -> or(ip6Proto(132), ipProto(132));
                case "icmp" -> ipProto(1);
                case "icmp6" -> ip6Proto(58);
                default -> throw new FilterException(p, "\"" + p + "\" needs host, net or an address after it");
            };
        }

        Node ipProto(int p) { return and(ether(0x0800), eq(B, l3() + 9, p)); }

        /** Next header {@code p}, also behind one fragment header (as libpcap). */
        Node ip6Proto(int p) {
            return and(ether(0x86dd), or(eq(B, l3() + 6, p), and(eq(B, l3() + 6, 44), eq(B, l3() + 40, p))));
        }

        Node host(String proto, String dir, String id) throws FilterException {
            if (MAC.matcher(id).matches()) {
                if (proto != null && !proto.equals("ether")) throw new FilterException(id, "a MAC address after " + proto);
                byte[] m = mac(id);
                int hi = ((m[0] & 0xff) << 8) | (m[1] & 0xff);
                int lo = ((m[2] & 0xff) << 24) | ((m[3] & 0xff) << 16) | ((m[4] & 0xff) << 8) | (m[5] & 0xff);
                Node src = and(eq(W, 8, lo), eq(H, 6, hi)), dst = and(eq(W, 2, lo), eq(H, 0, hi));
                return dir(dir, src, dst);
            }
            if ("ether".equals(proto)) throw new FilterException(id, "\"" + id + "\" is not a MAC address");
            return net(proto, dir, id, true);
        }

        Node net(String proto, String dir, String id) throws FilterException { return net(proto, dir, id, false); }

        Node net(String proto, String dir, String id, boolean host) throws FilterException {
            String addr = id;
            int len = -1;
            int slash = id.indexOf('/');
            if (slash >= 0) {
                if (host) throw new FilterException(id, "a host is an address without /LEN (use net)");
                addr = id.substring(0, slash);
                len = number(id.substring(slash + 1), 128);
            }
            if (addr.contains(":")) {
                InetAddress a = address(id, addr, true);
                if (len < 0) len = 128;
                if (len > 128) throw new FilterException(id, "prefix length over 128");
                if (proto != null && !proto.equals("ip6")) throw new FilterException(id, "an IPv6 address after " + proto);
                byte[] b = a.getAddress();
                return and(ether(0x86dd), dir(dir, words(b, len, l3() + 8), words(b, len, l3() + 24)));
            }
            if (!IPV4.matcher(addr).matches()) throw new FilterException(id, "\"" + id + "\" is not an address (names are not looked up)");
            String[] parts = addr.split("\\.");
            int v = 0;
            for (String p : parts) v = (v << 8) | number(p, 255);
            if (len < 0) {
                if (host && parts.length != 4) throw new FilterException(id, "\"" + id + "\" is not a host address");
                len = parts.length * 8;               // libpcap: "net 10" = 10.0.0.0/8
                v <<= 8 * (4 - parts.length);
            } else if (parts.length != 4) {
                v <<= 8 * (4 - parts.length);
            }
            if (len > 32) throw new FilterException(id, "prefix length over 32");
            int mask = len == 0 ? 0 : -1 << (32 - len);
            if ((v & ~mask) != 0) throw new FilterException(id, "non-network bits set in \"" + id + "\"");
            List<Node> alts = new ArrayList<>();
            if (proto == null || proto.equals("ip"))
                alts.add(and(ether(0x0800), dir(dir, masked(W, l3() + 12, mask, v), masked(W, l3() + 16, mask, v))));
            if (proto == null || proto.equals("arp"))
                alts.add(and(ether(0x0806), dir(dir, masked(W, l3() + 14, mask, v), masked(W, l3() + 24, mask, v))));
            if (proto == null || proto.equals("rarp"))
                alts.add(and(ether(0x8035), dir(dir, masked(W, l3() + 14, mask, v), masked(W, l3() + 24, mask, v))));
            if (alts.isEmpty()) throw new FilterException(id, "\"" + proto + "\" has no IPv4 host or net");
            return or(alts.toArray(Node[]::new));
        }

        /** The address's first {@code len} bits compared 32 at a time from {@code off}. */
        Node words(byte[] b, int len, int off) {
            List<Node> t = new ArrayList<>();
            for (int w = 0; w < 4 && w * 32 < len; w++) {
                int v = ((b[4 * w] & 0xff) << 24) | ((b[4 * w + 1] & 0xff) << 16) | ((b[4 * w + 2] & 0xff) << 8) | (b[4 * w + 3] & 0xff);
                int bits = Math.min(32, len - 32 * w);
                int mask = bits == 32 ? -1 : -1 << (32 - bits);
                t.add(masked(W, off + 4 * w, mask, v & mask));
            }
            if (t.isEmpty()) return eq(H, e(), 0x86dd); // ::/0: always true behind the ip6 test
            return and(t.toArray(Node[]::new));
        }

        Node port(String proto, String dir, String id) throws FilterException {
            if (!NUMBER.matcher(id).matches()) throw new FilterException(id, "\"" + id + "\" is not a port number (names are not looked up)");
            int p = number(id, 65535);
            int[] protos = switch (proto == null ? "" : proto) {
                case "" , "ip", "ip6" -> new int[] {132, 6, 17};
                case "tcp" -> new int[] {6};
                case "udp" -> new int[] {17};
                case "sctp" -> new int[] {132};
                default -> throw new FilterException(proto, "\"" + proto + " port\" is not a thing");
            };
            List<Node> alts = new ArrayList<>();
            if (!"ip".equals(proto)) {
                List<Node> nh = new ArrayList<>();
                for (int x : protos) nh.add(eq(B, l3() + 6, x));
                alts.add(and(ether(0x86dd), or(nh.toArray(Node[]::new)), dir(dir, eq(H, l3() + 40, p), eq(H, l3() + 42, p))));
            }
            if (!"ip6".equals(proto)) {
                List<Node> pr = new ArrayList<>();
                for (int x : protos) pr.add(eq(B, l3() + 9, x));
                Node notFragment = new Not(new Test(List.of(ld(H, l3() + 6)), JSET, 0x1fff));
                Insn hlen = new Insn(LDX | B | MSH, 0, 0, l3());
                Node sport = new Test(List.of(hlen, new Insn(LD | H | IND, 0, 0, l3())), JEQ, p);
                Node dport = new Test(List.of(hlen, new Insn(LD | H | IND, 0, 0, l3() + 2)), JEQ, p);
                alts.add(and(ether(0x0800), or(pr.toArray(Node[]::new)), notFragment, dir(dir, sport, dport)));
            }
            return or(alts.toArray(Node[]::new));
        }

        Node dir(String dir, Node src, Node dst) {
            if ("src".equals(dir)) return src;
            if ("dst".equals(dir)) return dst;
            return or(src, dst);
        }

        static int number(String s, int max) throws FilterException {
            long v;
            try {
                v = s.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new FilterException(s, "\"" + s + "\" is not a number");
            }
            if (v < 0 || v > max) throw new FilterException(s, "\"" + s + "\" is out of range (0-" + max + ")");
            return (int) v;
        }

        static InetAddress address(String word, String s, boolean v6) throws FilterException {
            if (!s.matches("[0-9a-fA-F:.]+")) throw new FilterException(word, "\"" + word + "\" is not an address");
            try {
                InetAddress a = InetAddress.ofLiteral(s);
                if (v6 != (a instanceof Inet6Address)) throw new FilterException(word, "\"" + word + "\" is not an IPv6 address");
                return a;
            } catch (IllegalArgumentException e) {
                throw new FilterException(word, "\"" + word + "\" is not an address");
            }
        }

        static byte[] mac(String s) {
            String[] p = s.split("[:.-]");
            byte[] m = new byte[6];
            for (int k = 0; k < 6; k++) m[k] = (byte) Integer.parseInt(p[k], 16);
            return m;
        }
    }

    // ---- code generation: true/false labels, then jump offsets ----
    private static final class Gen {
        final int snaplen;
        final List<int[]> code = new ArrayList<>();   // {code, k, trueLabel, falseLabel} (labels -1 when none)
        final Map<Integer, Integer> at = new HashMap<>();
        int labels;
        static final int ACCEPT = 0, REJECT = 1;

        Gen(int snaplen) { this.snaplen = snaplen; labels = 2; }

        BpfProgram program(Node root) throws FilterException {
            gen(root, ACCEPT, REJECT);
            at.put(ACCEPT, code.size());
            code.add(new int[] {RET | K, snaplen, -1, -1});
            at.put(REJECT, code.size());
            code.add(new int[] {RET | K, 0, -1, -1});
            List<Insn> out = new ArrayList<>();
            for (int n = 0; n < code.size(); n++) {
                int[] c = code.get(n);
                if (c[2] < 0) { out.add(new Insn(c[0], 0, 0, c[1])); continue; }
                int jt = at.get(c[2]) - n - 1, jf = at.get(c[3]) - n - 1;
                if (jt > 255 || jf > 255) throw new FilterException("", "the filter is too long for classic BPF jumps (more than 255 instructions between a test and its target)");
                out.add(new Insn(c[0], jt, jf, c[1]));
            }
            if (out.size() > 4096) throw new FilterException("", "the filter is too long (over 4096 instructions)");
            return new BpfProgram(out);
        }

        void gen(Node n, int t, int f) {
            switch (n) {
                case And(Node a, Node b) -> { int l = labels++; gen(a, l, f); at.put(l, code.size()); gen(b, t, f); }
                case Or(Node a, Node b) -> { int l = labels++; gen(a, t, l); at.put(l, code.size()); gen(b, t, f); }
                case Not(Node a) -> gen(a, f, t);
                case Test(List<Insn> loads, int op, int k) -> {
                    for (Insn i : loads) code.add(new int[] {i.code(), i.k(), -1, -1});
                    code.add(new int[] {JMP | op | K, k, t, f});
                }
            }
        }
    }
}
