package io.nslab.lab.verify;

import io.nslab.lab.model.IfRef;
import io.nslab.lab.model.Iface;
import io.nslab.lab.model.KernelLimits;
import io.nslab.lab.model.Lab;
import io.nslab.lab.model.Link;
import io.nslab.lab.plan.BridgeTree;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.LinkLayerAddress;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Unicast ARP priming, the pure part: which IPv4 pairs of a big segment get their neighbour entries made before
 * {@code verify} probes them, and the frames that make them. {@link Primer} sends them.
 *
 * <p>Why: on a segment of N ports every broadcast ARP request is copied to every port (on a 10,000-port bridge
 * tree about 64 ms of CPU per request), and the probes of a sampled segment would send about 2N of them. A
 * <em>unicast</em> ARP request from A to B (Ethernet destination B's MAC) crosses the bridges to B alone once
 * they have learned B's port; B's kernel, asked for its own address, makes a neighbour entry for A (STALE, from
 * the request's sender fields; net/ipv4/arp.c {@code arp_process}) and answers unicast. A ignores that answer
 * (it has no entry to update and does not take unsolicited replies), so each pair gets a request each way.
 *
 * <p>The bridges must know where each member is first, or a unicast frame to an unlearned MAC is flooded like a
 * broadcast. So the frames go in waves, each after the one before has landed:
 * <ol>
 * <li>{@link #announce}: the head (the segment's bridge interface, or its first IPv4 member) sends one
 *     broadcast, a gratuitous ARP request: every bridge of the segment learns the head's port.</li>
 * <li>{@link #withHead} (to the head): a {@link #request} from each member to the head: not flooded (every bridge knows the head);
 *     every bridge on the way learns the member's port, and the head makes an entry for the member.</li>
 * <li>On a bridge tree, {@link #teachLeaves}: a leaf has not seen the members of the other leaves (their requests
 *     to the head went from their own leaf to the root and stopped there); one frame per member and leaf, sent
 *     from the tree's node, teaches it that they are behind its uplink.</li>
 * <li>{@link #withHead} (from the head): the head to each member, so the member makes an entry for the head; and
 *     {@link #pairs} forward: each sampled pair of members, A to B.</li>
 * <li>{@link #pairs} backward: B to A (after the forward wave, whose answers also teach any bridge that the
 *     third wave could not, e.g. a member that is not plugged straight into a leaf).</li>
 * </ol>
 * So at 10,000 members about 13 frames per member go out, none of them broadcast but the first.
 *
 * <p>IPv6 pairs are not primed: a Neighbour Solicitation goes to the solicited-node multicast group, which the
 * bridge floods in practice, and an unsolicited unicast one is a different protocol to forge; they resolve as
 * usual when probed.
 */
public final class Priming {
    private Priming() {}

    /** When a segment is primed: when it has more than {@code aboveMembers} addressed members. */
    public record Rule(int aboveMembers) {
        /** Segments larger than one kernel bridge holds (a bridge tree): more than 1,024 members. */
        public static final Rule DEFAULT = new Rule(KernelLimits.BRIDGE_PORTS + 1);
        /** {@code --no-prime}. */
        public static final Rule OFF = new Rule(Integer.MAX_VALUE);

        public Rule {
            if (aboveMembers < 0) throw new IllegalArgumentException("aboveMembers must not be negative: " + aboveMembers);
        }

        public boolean applies(Segments.Segment s) {
            return s.members().size() > aboveMembers;
        }
    }

    /** An IPv4 address of an interface of the lab. */
    public record End(IfRef iface, Inet4Address ip) {}

    /** Two ends to prime both ways. */
    public record Pair(End a, End b) {}

    /**
     * What priming does on one segment.
     *
     * @param head the end every member resolves first
     * @param members the other ends with an address on the head's subnet, one per interface
     * @param pairs the sampled pairs of members to prime (none with the head), each once whatever its direction
     */
    public record Target(String segment, End head, List<End> members, List<Pair> pairs, List<Leaf> leaves) {
        public Target {
            members = List.copyOf(members);
            pairs = List.copyOf(pairs);
            leaves = List.copyOf(leaves);
        }

        Target(String segment, End head, List<End> members, List<Pair> pairs) {
            this(segment, head, members, pairs, List.of());
        }
    }

    /**
     * A leaf of a bridge tree ({@link BridgeTree}) on the segment: the ends of its uplink, {@code up} on the declared
     * bridge and {@code down} on the leaf, and the members plugged straight into its ports.
     */
    public record Leaf(IfRef up, IfRef down, List<IfRef> members) {
        public Leaf {
            members = List.copyOf(members);
        }
    }

    /** One frame to send out of interface {@code from} (in its node's namespace). */
    public record Send(IfRef from, byte[] frame) {}

    /** The segments of {@code lab} the rule primes, with the pairs {@code verify} will probe on them. */
    public static List<Target> targets(Lab lab, boolean allPairs, Rule rule) {
        List<Target> out = new ArrayList<>();
        List<Segments.Segment> primed = Segments.of(lab).stream().filter(rule::applies).toList();
        if (primed.isEmpty()) return out;
        // the lab's bridge trees: which leaf each port is on, and the peer end of each veth
        Map<IfRef, int[]> leafOfPort = new HashMap<>();     // {tree, leaf}
        List<BridgeTree> trees = new ArrayList<>();
        for (Iface i : lab.interfaces()) {
            Optional<BridgeTree> t = BridgeTree.of(lab.kernelNames(), i);
            if (t.isEmpty()) continue;
            List<BridgeTree.Leaf> leaves = t.get().leaves();
            for (int k = 0; k < leaves.size(); k++)
                for (String port : leaves.get(k).ports()) leafOfPort.put(new IfRef(t.get().node(), port), new int[] {trees.size(), k});
            trees.add(t.get());
        }
        Map<IfRef, IfRef> peer = new HashMap<>();
        if (!trees.isEmpty()) for (Link l : lab.links()) {
            peer.put(l.a().ref(), l.b().ref());
            peer.put(l.b().ref(), l.a().ref());
        }
        for (Segments.Segment s : primed) {
            Optional<Target> t = target(s, Verifier.pairs(s, allPairs));
            if (t.isEmpty()) continue;
            out.add(trees.isEmpty() ? t.get() : withLeaves(t.get(), trees, leafOfPort, peer));
        }
        return out;
    }

    /** {@code t} with the leaves of the trees its members are plugged into. */
    private static Target withLeaves(Target t, List<BridgeTree> trees, Map<IfRef, int[]> leafOfPort, Map<IfRef, IfRef> peer) {
        Map<Integer, Map<Integer, List<IfRef>>> byTree = new LinkedHashMap<>();
        List<End> ends = new ArrayList<>(t.members());
        ends.add(t.head());
        for (End e : ends) {
            IfRef port = peer.get(e.iface());
            int[] at = port == null ? null : leafOfPort.get(port);
            if (at != null) byTree.computeIfAbsent(at[0], x -> new LinkedHashMap<>()).computeIfAbsent(at[1], x -> new ArrayList<>()).add(e.iface());
        }
        List<Leaf> out = new ArrayList<>();
        for (var e : byTree.entrySet()) {
            BridgeTree tree = trees.get(e.getKey());
            for (int k = 0; k < tree.leaves().size(); k++) {
                BridgeTree.Leaf l = tree.leaves().get(k);
                out.add(new Leaf(new IfRef(tree.node(), l.up()), new IfRef(tree.node(), l.down()), e.getValue().getOrDefault(k, List.of())));
            }
        }
        return new Target(t.segment(), t.head(), t.members(), t.pairs(), out);
    }

    /** The target of segment {@code s} whose checks go between {@code checked}; empty when no member has IPv4. */
    static Optional<Target> target(Segments.Segment s, List<Verifier.IfacePair> checked) {
        Iface h = Verifier.head(s);
        Optional<End> head = firstV4(h);
        for (Iface i : s.members()) {
            if (head.isPresent()) break;
            h = i;
            head = firstV4(i);
        }
        if (head.isEmpty()) return Optional.empty();
        End hd = head.get();
        Iface headIface = h;
        List<End> members = new ArrayList<>();
        for (Iface i : s.members()) {
            if (i == headIface || i.node().equals(headIface.node())) continue;
            for (IpPrefix a : i.addresses())
                if (a.address() instanceof Inet4Address v4 && a.network().contains(hd.ip())) {
                    members.add(new End(i.ref(), v4));
                    break;
                }
        }
        Set<List<End>> seen = new HashSet<>();
        List<Pair> pairs = new ArrayList<>();
        for (Verifier.IfacePair p : checked) {
            Iface x = p.from(), y = p.to();
            if (x == headIface || y == headIface || x.node().equals(y.node())) continue;
            for (IpPrefix c : y.addresses()) {
                if (!(c.address() instanceof Inet4Address to)) continue;
                for (IpPrefix a : x.addresses()) {
                    if (!(a.address() instanceof Inet4Address from) || !a.network().contains(to)) continue;
                    End ex = new End(x.ref(), from), ey = new End(y.ref(), to);
                    // once per pair, whichever way round it is checked
                    if (seen.add(List.of(ex, ey)) && seen.add(List.of(ey, ex))) pairs.add(new Pair(ex, ey));
                    break;
                }
            }
        }
        return Optional.of(new Target(s.name(), hd, members, pairs));
    }

    private static Optional<End> firstV4(Iface i) {
        for (IpPrefix a : i.addresses()) if (a.address() instanceof Inet4Address v4) return Optional.of(new End(i.ref(), v4));
        return Optional.empty();
    }

    /**
     * Between waves 2 and 3 on a bridge tree: each leaf learns that every member of the other leaves is behind its
     * uplink. A leaf never sees those members' requests to the head (they go from their own leaf to the root and
     * stop there), so without this the first frame to such a member from this leaf's side would be flooded to all
     * of this leaf's ports. For each leaf, for each member plugged into another leaf of its tree, one frame sent
     * out of the uplink's root end ({@code up}): it arrives on the leaf's end, so the leaf learns the member's MAC
     * there (true: that is the way to it), and it is addressed to that end's own MAC, so the leaf takes it for
     * itself and forwards it nowhere; its EtherType has no handler and the leaf's own stack drops it. The root
     * sees nothing (the frame leaves by its port, it does not arrive on one).
     */
    public static List<Send> teachLeaves(Target t, Map<IfRef, LinkLayerAddress> macs) {
        List<Send> out = new ArrayList<>();
        for (Leaf leaf : t.leaves()) {
            LinkLayerAddress down = macs.get(leaf.down());
            if (down == null || !macs.containsKey(leaf.up())) continue;
            for (Leaf other : t.leaves()) {
                if (other == leaf || !other.up().node().equals(leaf.up().node())) continue;
                for (IfRef m : other.members()) {
                    LinkLayerAddress mm = macs.get(m);
                    if (mm != null) out.add(new Send(leaf.up(), ether(down, mm, ETH_P_LOCAL_EXPERIMENTAL)));
                }
            }
        }
        return out;
    }

    /** The interfaces whose MACs the waves need: the head's and every member's and pair end's. */
    public static Set<IfRef> interfaces(Target t) {
        Set<IfRef> out = new LinkedHashSet<>();
        out.add(t.head().iface());
        for (End e : t.members()) out.add(e.iface());
        for (Pair p : t.pairs()) {
            out.add(p.a().iface());
            out.add(p.b().iface());
        }
        for (Leaf l : t.leaves()) {
            out.add(l.up());
            out.add(l.down());
        }
        return out;
    }

    /** Wave 1: a gratuitous ARP request (sender and target address the head's) to everyone, from the head. */
    public static Send announce(Target t, LinkLayerAddress headMac) {
        return new Send(t.head().iface(), arp(BROADCAST, headMac, t.head().ip(), ZERO, t.head().ip()));
    }

    /** A unicast ARP request from {@code from} to {@code to}: it leaves an entry for {@code from} in {@code to}'s node. */
    public static Send request(End from, LinkLayerAddress fromMac, End to, LinkLayerAddress toMac) {
        return new Send(from.iface(), arp(toMac, fromMac, from.ip(), toMac, to.ip()));
    }

    /**
     * Wave 2 ({@code toHead}: each member to the head; the primer sends these as it reads each member's MAC)
     * or wave 3 (the head to each member): the members whose MAC is known, nothing when the head's is not.
     */
    public static List<Send> withHead(Target t, Map<IfRef, LinkLayerAddress> macs, boolean toHead) {
        List<Send> out = new ArrayList<>();
        LinkLayerAddress hm = macs.get(t.head().iface());
        if (hm == null) return out;
        for (End m : t.members()) {
            LinkLayerAddress mm = macs.get(m.iface());
            if (mm != null) out.add(toHead ? request(m, mm, t.head(), hm) : request(t.head(), hm, m, mm));
        }
        return out;
    }

    /** Wave 4 ({@code forward}: a to b) or 5 (b to a): the pairs whose two MACs are known. */
    public static List<Send> pairs(Target t, Map<IfRef, LinkLayerAddress> macs, boolean forward) {
        List<Send> out = new ArrayList<>();
        for (Pair p : t.pairs()) {
            End from = forward ? p.a() : p.b(), to = forward ? p.b() : p.a();
            LinkLayerAddress fm = macs.get(from.iface()), tm = macs.get(to.iface());
            if (fm != null && tm != null) out.add(request(from, fm, to, tm));
        }
        return out;
    }

    private static final LinkLayerAddress BROADCAST = LinkLayerAddress.of(new byte[] {-1, -1, -1, -1, -1, -1});
    private static final LinkLayerAddress ZERO = LinkLayerAddress.of(new byte[6]);
    /** linux/if_ether.h, linux/if_arp.h. */
    static final int ETH_P_ARP = 0x0806, ETH_P_IP = 0x0800, ARPHRD_ETHER = 1, ARPOP_REQUEST = 1;
    /** IEEE 802 local experimental EtherType 1 (linux/if_ether.h ETH_P_802_EX1): no protocol of the kernel's. */
    public static final int ETH_P_LOCAL_EXPERIMENTAL = 0x88b5;
    /** The shortest Ethernet frame without its FCS. */
    static final int ETH_ZLEN = 60;

    /** A frame of EtherType {@code type} and no payload but zero padding to {@link #ETH_ZLEN}. */
    static byte[] ether(LinkLayerAddress dst, LinkLayerAddress src, int type) {
        byte[] f = new byte[ETH_ZLEN];
        put(f, 0, mac(dst));
        put(f, 6, mac(src));
        u16(f, 12, type);
        return f;
    }

    /** The EtherType of a frame. */
    public static int etherType(byte[] frame) {
        return (frame[12] & 0xff) << 8 | (frame[13] & 0xff);
    }
    /** An Ethernet header and an ARP packet for IPv4 over Ethernet: 14 + 28 bytes. */
    static final int FRAME_LEN = 42;

    /**
     * An ARP request in an Ethernet frame (RFC 826; {@code struct ethhdr}, {@code struct arphdr}), as the
     * kernel's {@code arp_create} lays it out, without padding (a veth carries short frames):
     * <pre>
     *  0  h_dest    6  Ethernet destination: {@code dst}
     *  6  h_source  6  Ethernet source: {@code sha}
     * 12  h_proto   2  0x0806 ETH_P_ARP
     * 14  ar_hrd    2  1 ARPHRD_ETHER
     * 16  ar_pro    2  0x0800 ETH_P_IP
     * 18  ar_hln    1  6
     * 19  ar_pln    1  4
     * 20  ar_op     2  1 ARPOP_REQUEST
     * 22  ar_sha    6  sender MAC
     * 28  ar_sip    4  sender IPv4
     * 32  ar_tha    6  target MAC (zero when not known; the kernel's unicast probes put the known one)
     * 38  ar_tip    4  target IPv4
     * </pre>
     */
    static byte[] arp(LinkLayerAddress dst, LinkLayerAddress sha, Inet4Address sip, LinkLayerAddress tha, Inet4Address tip) {
        byte[] f = new byte[FRAME_LEN];
        put(f, 0, mac(dst));
        put(f, 6, mac(sha));
        u16(f, 12, ETH_P_ARP);
        u16(f, 14, ARPHRD_ETHER);
        u16(f, 16, ETH_P_IP);
        f[18] = 6;
        f[19] = 4;
        u16(f, 20, ARPOP_REQUEST);
        put(f, 22, mac(sha));
        put(f, 28, sip.getAddress());
        put(f, 32, mac(tha));
        put(f, 38, tip.getAddress());
        return f;
    }

    private static byte[] mac(LinkLayerAddress a) {
        if (a.length() != 6) throw new IllegalArgumentException("not an Ethernet MAC: " + a);
        return a.bytes();
    }

    private static void put(byte[] f, int at, byte[] b) {
        System.arraycopy(b, 0, f, at, b.length);
    }

    private static void u16(byte[] f, int at, int v) {
        f[at] = (byte) (v >> 8);
        f[at + 1] = (byte) v;
    }
}
