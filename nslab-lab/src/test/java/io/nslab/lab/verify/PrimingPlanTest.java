package io.nslab.lab.verify;

import io.nslab.lab.model.IfRef;
import io.nslab.lab.model.Lab;
import io.nslab.lab.validate.Validator;
import io.nslab.netlink.route.LinkLayerAddress;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Which segments and pairs {@code verify} primes with unicast ARP, and the frames it sends; no kernel. */
class PrimingPlanTest {
    static final HexFormat HEX = HexFormat.of();

    static Inet4Address v4(String s) throws Exception {
        return (Inet4Address) InetAddress.getByName(s);
    }

    /** A made-up MAC for every interface of the plan: 02:00 and a hash. */
    static Map<IfRef, LinkLayerAddress> macs(Priming.Target t) {
        Map<IfRef, LinkLayerAddress> out = new HashMap<>();
        for (IfRef i : Priming.interfaces(t)) {
            int h = i.hashCode();
            out.put(i, LinkLayerAddress.of(new byte[] {2, 0, (byte) (h >> 24), (byte) (h >> 16), (byte) (h >> 8), (byte) h}));
        }
        return out;
    }

    @Test void theDefaultRulePrimesSegmentsOfMoreThan1024MembersOnly() {
        // star(n): n members and the bridge
        assertThat(Priming.targets(SamplingTest.star(1022), false, Priming.Rule.DEFAULT)).isEmpty();
        assertThat(Priming.targets(SamplingTest.star(1023), false, Priming.Rule.DEFAULT)).isEmpty();   // 1,024 members
        assertThat(Priming.targets(SamplingTest.star(1024), false, Priming.Rule.DEFAULT)).hasSize(1);  // 1,025
        assertThat(Priming.targets(SamplingTest.star(3000), false, Priming.Rule.OFF)).isEmpty();
        assertThat(Priming.Rule.DEFAULT.aboveMembers()).isEqualTo(1024);
    }

    @Test void theTargetIsTheHeadEveryMemberAndTheSampledPairsOnce() throws Exception {
        Lab lab = SamplingTest.star(3000);
        Priming.Target t = Priming.targets(lab, false, Priming.Rule.DEFAULT).getFirst();
        assertThat(t.segment()).isEqualTo("hub:br0");
        assertThat(t.head()).isEqualTo(new Priming.End(new IfRef("hub", "br0"), (Inet4Address) v4("10.0.0.1")));
        assertThat(t.members()).hasSize(3000).allMatch(e -> e.iface().name().equals("eth0"));
        assertThat(t.members().getFirst().ip()).isEqualTo(v4("10.0.0.2"));

        // every sampled member-to-member check has its pair, in one direction or the other, and nothing else is there
        Set<List<String>> checked = new HashSet<>();
        for (Verifier.Planned p : SamplingTest.segment(Verifier.plan(lab, false)))
            if (!p.from().equals("hub") && !p.toNode().orElseThrow().equals("hub")) checked.add(List.of(p.from(), p.toNode().get()));
        Set<List<String>> primed = new HashSet<>();
        for (Priming.Pair p : t.pairs()) {
            assertThat(p.a().iface().node()).isNotEqualTo(p.b().iface().node());
            primed.add(List.of(p.a().iface().node(), p.b().iface().node()));
        }
        assertThat(primed).hasSize(t.pairs().size());   // no pair twice
        for (List<String> c : checked) assertThat(primed.contains(c) || primed.contains(List.of(c.get(1), c.get(0)))).as("%s", c).isTrue();
        for (List<String> p : primed) assertThat(checked.contains(p) || checked.contains(List.of(p.get(1), p.get(0)))).as("%s", p).isTrue();
        assertThat(t.pairs().size()).isBetween(2900, 3001);
        // the same on every run: the sample is seeded
        assertThat(Priming.targets(lab, false, Priming.Rule.DEFAULT).getFirst()).isEqualTo(t);
    }

    @Test void aLowerThresholdPrimesASmallSegmentAllPairsEachOnce() {
        Priming.Target t = Priming.targets(SamplingTest.star(10), true, new Priming.Rule(4)).getFirst();
        assertThat(t.members()).hasSize(10);
        assertThat(t.pairs()).hasSize(10 * 9 / 2);
    }

    @Test void onlyIpv4IsPrimedAndAnIpv6OnlySegmentIsLeftAlone() throws Exception {
        String dual = """
                name: dual
                nodes:
                  sw: {interfaces: {br0: {kind: bridge, ports: [p1, p2, p3]}}}
                  a: {}
                  b: {}
                  c: {}
                links:
                  - [sw:p1, {at: a:eth0, addresses: [10.9.0.1/24, fd00::1/64]}]
                  - [sw:p2, {at: b:eth0, addresses: [fd00::2/64, 10.9.0.2/24]}]
                  - [sw:p3, {at: c:eth0, addresses: [fd00::3/64]}]
                """;
        Lab lab = Validator.checkText(dual, "dual.yaml").orThrow();
        Priming.Target t = Priming.targets(lab, false, new Priming.Rule(1)).getFirst();
        // the bridge has no address: the head is the first member with IPv4
        assertThat(t.head()).isEqualTo(new Priming.End(new IfRef("a", "eth0"), v4("10.9.0.1")));
        assertThat(t.members()).containsExactly(new Priming.End(new IfRef("b", "eth0"), v4("10.9.0.2")));
        assertThat(t.pairs()).isEmpty();                // b-c has no IPv4 in common; a is the head

        String v6 = dual.replace("10.9.0.1/24, ", "").replace(", 10.9.0.2/24", "");
        assertThat(Priming.targets(Validator.checkText(v6, "v6.yaml").orThrow(), false, new Priming.Rule(1))).isEmpty();
    }

    @Test void anArpRequestByteForByte() throws Exception {
        byte[] f = Priming.arp(LinkLayerAddress.parse("02:00:00:00:00:0b"), LinkLayerAddress.parse("02:00:00:00:00:0a"), v4("10.1.0.1"),
                LinkLayerAddress.parse("02:00:00:00:00:0b"), v4("10.1.0.2"));
        assertThat(HEX.formatHex(f)).isEqualTo(
                "02000000000b"          // Ethernet destination: B, not broadcast
                + "02000000000a"        // Ethernet source: A
                + "0806"                // ETH_P_ARP
                + "0001" + "0800"       // ARPHRD_ETHER, ETH_P_IP
                + "06" + "04"           // hardware and protocol address lengths
                + "0001"                // ARPOP_REQUEST
                + "02000000000a" + "0a010001"   // sender: A's MAC and address (B's kernel makes its entry from these)
                + "02000000000b" + "0a010002"); // target: B's MAC and address
        assertThat(f).hasSize(42);
    }

    @Test void theWaves() throws Exception {
        Priming.Target t = Priming.targets(SamplingTest.star(1100), false, Priming.Rule.DEFAULT).getFirst();
        Map<IfRef, LinkLayerAddress> macs = macs(t);
        byte[] headMac = macs.get(t.head().iface()).bytes();

        // 1: one broadcast from the head, a gratuitous request for its own address
        Priming.Send a = Priming.announce(t, macs.get(t.head().iface()));
        assertThat(a.from()).isEqualTo(new IfRef("hub", "br0"));
        assertThat(HEX.formatHex(a.frame(), 0, 6)).isEqualTo("ffffffffffff");
        assertThat(HEX.formatHex(a.frame(), 28, 32)).isEqualTo(HEX.formatHex(a.frame(), 38, 42)).isEqualTo("0a000001");

        // 2: every member to the head's MAC; 3: the head to every member's; nothing broadcast from here on
        List<Priming.Send> to = Priming.withHead(t, macs, true), from = Priming.withHead(t, macs, false);
        assertThat(to).hasSize(1100).allMatch(s -> HEX.formatHex(s.frame(), 0, 6).equals(HEX.formatHex(headMac)));
        assertThat(from).hasSize(1100).allMatch(s -> s.from().equals(t.head().iface()));
        for (Priming.Send s : from) assertThat(HEX.formatHex(s.frame(), 0, 6)).isNotEqualTo("ffffffffffff");
        assertThat(from.getFirst().frame()).isEqualTo(Priming.request(t.head(), macs.get(t.head().iface()), t.members().getFirst(),
                macs.get(t.members().getFirst().iface())).frame());

        // 4 and 5: each pair a to b, then b to a, each to the other's MAC and address
        List<Priming.Send> fwd = Priming.pairs(t, macs, true), back = Priming.pairs(t, macs, false);
        assertThat(fwd).hasSize(t.pairs().size());
        assertThat(back).hasSize(t.pairs().size());
        Priming.Pair p = t.pairs().getFirst();
        assertThat(fwd.getFirst().from()).isEqualTo(p.a().iface());
        assertThat(back.getFirst().from()).isEqualTo(p.b().iface());
        assertThat(HEX.formatHex(fwd.getFirst().frame(), 0, 6)).isEqualTo(HEX.formatHex(macs.get(p.b().iface()).bytes()));
        assertThat(HEX.formatHex(fwd.getFirst().frame(), 38, 42)).isEqualTo(HEX.formatHex(p.b().ip().getAddress()));

        // an interface whose MAC could not be read sends and receives nothing
        macs.remove(p.a().iface());
        assertThat(Priming.pairs(t, macs, true)).hasSize(t.pairs().size() - (int) t.pairs().stream()
                .filter(x -> x.a().iface().equals(p.a().iface()) || x.b().iface().equals(p.a().iface())).count());
    }

    @Test void onABridgeTreeEachLeafLearnsTheMembersOfTheOthersAtItsUplink() {
        Lab lab = SamplingTest.star(2500);          // 3 leaves of 834, 834, 832 ports
        Priming.Target t = Priming.targets(lab, false, Priming.Rule.DEFAULT).getFirst();
        assertThat(t.leaves()).hasSize(3);
        assertThat(t.leaves().stream().mapToInt(l -> l.members().size()).sum()).isEqualTo(2500);
        String up = lab.kernelNames().bridgePart("hub", "br0", 'u', 1), down = lab.kernelNames().bridgePart("hub", "br0", 'd', 1);
        Priming.Leaf second = t.leaves().get(1);
        assertThat(second.up()).isEqualTo(new IfRef("hub", up));
        assertThat(second.down()).isEqualTo(new IfRef("hub", down));
        assertThat(second.members().getFirst()).isEqualTo(new IfRef("n835", "eth0"));   // p835 is the second leaf's first port

        Map<IfRef, LinkLayerAddress> macs = macs(t);
        List<Priming.Send> teach = Priming.teachLeaves(t, macs);
        assertThat(teach).hasSize(2 * 2500);        // each member to the two leaves it is not on
        Map<String, IfRef> byMac = new HashMap<>();
        macs.forEach((i, m) -> byMac.put(HEX.formatHex(m.bytes()), i));
        for (Priming.Send s : teach) {
            Priming.Leaf leaf = t.leaves().stream().filter(l -> l.up().equals(s.from())).findFirst().orElseThrow();
            // out of the root's end, to the leaf's own end (taken, not forwarded), from a member of another leaf
            assertThat(HEX.formatHex(s.frame(), 0, 6)).isEqualTo(HEX.formatHex(macs.get(leaf.down()).bytes()));
            assertThat(leaf.members()).doesNotContain(byMac.get(HEX.formatHex(s.frame(), 6, 12)));
            assertThat(Priming.etherType(s.frame())).isEqualTo(Priming.ETH_P_LOCAL_EXPERIMENTAL);
            assertThat(s.frame()).hasSize(60);
        }
        // one kernel bridge holds a smaller segment: no leaves
        assertThat(Priming.targets(SamplingTest.star(1020), false, new Priming.Rule(16)).getFirst().leaves()).isEmpty();
    }
}
