package io.nslab.netlink.packet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The compiler's programs run (in {@link Interpreter}) on crafted frames,
 * compared with what {@code tcpdump -r FILE FILTER} keeps of the same frames,
 * and with libpcap's own program ({@code tcpdump -ddd}) run on them.
 */
class BpfCompilerTest {
    static final String[] FILTERS = {
            "", "ip", "ip6", "arp", "tcp", "udp", "icmp", "icmp6", "vlan", "vlan 100", "vlan 200 and icmp", "vlan and udp",
            "host 10.0.0.1", "src host 10.0.0.1", "dst host 10.0.0.1", "host 192.168.7.2", "src host 10.0.0.1 or 10.0.0.2", "port 40000 or 42000",
            "net 192.168.0.0/16", "src net 10.0.0.0/8", "dst net 10.0.0.0/24", "net 10", "ip host 10.0.0.2", "arp host 10.0.0.2",
            "host fe80::1", "src host fe80::2", "ip6 host 2001:db8::10", "net 2001:db8::/32", "dst net 2001:db8:1::/48", "net fe80::/10",
            "port 41000", "src port 40000", "dst port 41000", "tcp port 40000", "udp port 41000", "udp dst port 42000", "port 80",
            "tcp dst port 80 or icmp", "not arp", "!ip", "tcp and not port 80", "icmp or icmp6", "(tcp or udp) and host 10.0.0.2",
            "not (ip or ip6)", "host 10.0.0.1 or 192.168.7.2", "host 10.0.0.1 and (icmp || tcp)", "tcp && dst port 41000",
            "ether host 02:00:00:00:00:01", "ether src 02:00:00:00:00:02", "ether dst ff:ff:ff:ff:ff:ff",
            "udp port 4789", "ip and not udp and not tcp", "icmp6 and not host fe80::2", "tcp or arp or vlan",
    };

    @Test void programsKeepWhatTcpdumpKeeps(@TempDir Path dir) throws Exception {
        assumeTrue(Frames.haveTcpdump(), "tcpdump not installed");
        List<Packet> packets = Frames.packets(Frames.zoo());
        Path f = Frames.write(dir.resolve("zoo.pcapng"), packets);
        long t0 = packets.get(0).epochNanos();
        List<String> diffs = new ArrayList<>();
        for (String filter : FILTERS) {
            BpfProgram p = BpfCompiler.compile(filter, 262144);
            TreeSet<Integer> ours = new TreeSet<>(), theirs = new TreeSet<>(), libpcaps = new TreeSet<>();
            for (int i = 0; i < packets.size(); i++) if (Interpreter.run(p, packets.get(i).data()) != 0) ours.add(i);
            List<String> args = new ArrayList<>(List.of("--nano", "-tt", "-nn", "-r", f.toString()));
            if (!filter.isEmpty()) args.add(filter);
            for (String l : Frames.tcpdump(args.toArray(String[]::new))) {
                if (!l.matches("^[0-9]+\\.[0-9]{9} .*")) continue;
                String[] ts = l.substring(0, l.indexOf(' ')).split("\\.");
                long ns = Long.parseLong(ts[0]) * 1_000_000_000L + Long.parseLong(ts[1]);
                theirs.add((int) ((ns - t0) / 1_000_000L));
            }
            if (!filter.isEmpty()) {
                BpfProgram lib = Interpreter.parseDdd(Frames.tcpdump("-ddd", "-r", f.toString(), filter));
                for (int i = 0; i < packets.size(); i++) if (Interpreter.run(lib, packets.get(i).data()) != 0) libpcaps.add(i);
                if (!libpcaps.equals(theirs)) diffs.add(filter + ": libpcap's program keeps " + libpcaps + ", tcpdump prints " + theirs);
            }
            if (!ours.equals(theirs)) diffs.add(filter + ": ours keeps " + ours + ", tcpdump keeps " + theirs + "\n" + p);
        }
        assertEquals(List.of(), diffs);
    }

    /**
     * A frame whose tag the kernel took out of the data (VLAN offload, and every received tagged frame):
     * the vlan primitives test the tag in ancillary data and the fields after it do not move; a frame
     * tagged in its data still matches as before; an inner tag (QinQ) is the data's.
     */
    @Test void offloadedTagsAreMatchedFromAncillaryData() throws Exception {
        byte[] tagged = Frames.zoo().stream().filter(f -> (f[12] & 0xff) == 0x81 && f[15] == 100).findFirst().orElseThrow();
        byte[] untagged = new byte[tagged.length - 4];      // what the kernel hands the filter: the tag taken out
        System.arraycopy(tagged, 0, untagged, 0, 12);
        System.arraycopy(tagged, 16, untagged, 12, tagged.length - 16);
        int tci = ((tagged[14] & 0xff) << 8) | (tagged[15] & 0xff);
        for (String keeps : List.of("vlan", "vlan 100", "vlan 100 and udp", "vlan and ip host 10.0.0.1", "not arp", "vlan 100 or arp")) {
            BpfProgram p = BpfCompiler.compile(keeps, 262144);
            assertEquals(262144, Interpreter.run(p, untagged, tci), keeps + "\n" + p);
            assertEquals(262144, Interpreter.run(p, tagged), keeps + " (tag in the data)\n" + p);
        }
        for (String drops : List.of("vlan 200", "not vlan", "vlan 100 and tcp", "vlan 100 and vlan", "vlan 200 or arp")) {
            BpfProgram p = BpfCompiler.compile(drops, 262144);
            assertEquals(0, Interpreter.run(p, untagged, tci), drops + "\n" + p);
            assertEquals(0, Interpreter.run(p, tagged), drops + " (tag in the data)\n" + p);
        }
        // no tag at all: vlan never matches (and, as in libpcap, fields after a vlan move even under not: icmp first)
        byte[] plain = Frames.zoo().get(0);
        assertEquals(0, Interpreter.run(BpfCompiler.compile("vlan", 262144), plain));
        assertEquals(262144, Interpreter.run(BpfCompiler.compile("icmp and not vlan", 262144), plain));
    }

    @Test void acceptReturnsTheSnapLength() throws Exception {
        BpfProgram p = BpfCompiler.compile("udp", 96);
        assertEquals(96, Interpreter.run(p, Frames.zoo().get(9)));
        assertEquals(0, Interpreter.run(p, Frames.zoo().get(0)));
        assertEquals("1\n6 0 0 65535\n", BpfCompiler.compile(" ", 65535).dump());
    }

    @Test void listingReadsLikeTcpdumpD() throws Exception {
        assertEquals("""
                (000) ldh      [12]
                (001) jeq      #0x800           jt 2\tjf 5
                (002) ldb      [23]
                (003) jeq      #0x1             jt 4\tjf 5
                (004) ret      #262144
                (005) ret      #0
                """, BpfCompiler.compile("icmp", 262144).toString().replace(System.lineSeparator(), "\n"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "hots 10.0.0.1|hots",
            "host 10.0.0.1 and|''",
            "port http|http",
            "port 70000|70000",
            "(tcp|''",
            "tcp)|)",
            "net 10.0.0.1/24|10.0.0.1/24",
            "host 10.0.0.0/8|10.0.0.0/8",
            "ip6 host 10.0.0.1|10.0.0.1",
            "tcp host|''",
            "and tcp|and",
            "ether host 10.0.0.1|10.0.0.1",
            "host 300.1.1.1|300",
            "src|''",
            "tcp port src|src",
            "10.0.0.2|10.0.0.2",
    })
    void badFiltersNameTheWord(String filter, String word) {
        FilterException e = assertThrows(FilterException.class, () -> BpfCompiler.compile(filter, 262144));
        assertEquals(word, e.word(), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"host 10.0.0.1 or host 10.0.0.2 or host 10.0.0.3 or host 10.0.0.4 or host 10.0.0.5 or host 10.0.0.6 or host 10.0.0.7 or host 10.0.0.8"})
    void longFiltersStillCompile(String filter) throws Exception {
        BpfProgram p = BpfCompiler.compile(filter, 262144);
        assertEquals(262144, Interpreter.run(p, Frames.zoo().get(0)));
    }
}
