package io.nslab.bench;

import io.nslab.netlink.NlRequest;
import io.nslab.netlink.route.AddressRequests;
import io.nslab.netlink.route.AddressSpec;
import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.Link;
import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkRequests;
import io.nslab.netlink.route.LinkSpec;
import io.nslab.netlink.route.RouteRequests;
import io.nslab.netlink.route.RouteSpec;
import io.nslab.netlink.wire.NlMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The pure codec, no kernel: what nslab spends per message building requests
 * and decoding dumps. A 1000-namespace lab sends about 10 requests per
 * namespace, so these numbers bound the codec's share of a batch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class CodecBench {
    /** One RTM_NEWLINK reply for a veth, as the kernel sent it to `ip` (golden capture). */
    private byte[] oneLink;
    /** A 64-message dump datagram made of that reply. */
    private byte[] dump;
    private InetAddress gateway;

    @Setup
    public void setup() throws IOException {
        oneLink = golden("reply-link-veth0.txt");
        dump = new byte[oneLink.length * 64];
        for (int i = 0; i < 64; i++) System.arraycopy(oneLink, 0, dump, i * oneLink.length, oneLink.length);
        gateway = InetAddress.getByName("10.200.0.1");
    }

    @Benchmark
    public NlRequest encodeVethAdd() {
        return LinkRequests.add(LinkSpec.of("c1-eth0", LinkKind.veth("eth0")));
    }

    @Benchmark
    public NlRequest encodeAddressAdd() {
        return AddressRequests.add(AddressSpec.of(7, IpPrefix.parse("10.200.0.2/16")));
    }

    @Benchmark
    public NlRequest encodeDefaultRoute() {
        return RouteRequests.add(RouteSpec.defaultRoute().via(gateway));
    }

    @Benchmark
    public Link decodeOneLink() {
        return Link.decode(NlMessage.parse(oneLink));
    }

    /** Per datagram of 64 links; divide by 64 for the cost per link. */
    @Benchmark
    public void decodeLinkDump64(Blackhole bh) {
        for (NlMessage m : NlMessage.parseAll(dump, 0, dump.length)) bh.consume(Link.decode(m));
    }

    static byte[] golden(String name) {
        try (InputStream in = CodecBench.class.getResourceAsStream("/" + name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            List<Byte> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("#") || line.isBlank()) continue;
                for (String tok : line.trim().split("\\s+")) out.add((byte) Integer.parseInt(tok, 16));
            }
            byte[] b = new byte[out.size()];
            for (int i = 0; i < b.length; i++) b[i] = out.get(i);
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
