package io.nslab.netlink.route;

import io.nslab.netlink.NlRequest;
import io.nslab.netlink.wire.NlMessage;
import io.nslab.netlink.wire.NlWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static io.nslab.netlink.wire.Netlink.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Reads the golden fixtures (see golden/README.md) and compares requests with them, seq masked. */
public final class RouteFixtures {
    private RouteFixtures() {}

    /** The fixture's bytes: '#' lines dropped, hex tokens parsed. */
    public static byte[] bytes(String name) {
        String text;
        try (InputStream in = RouteFixtures.class.getResourceAsStream("/golden/" + name + ".txt")) {
            if (in == null) throw new IllegalArgumentException("no golden fixture " + name);
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) continue;
            for (String t : line.trim().split("\\s+")) out.write(Integer.parseInt(t, 16));
        }
        return out.toByteArray();
    }

    public static NlMessage message(String name) { return NlMessage.parse(bytes(name)); }

    /** The request as the socket would put it on the wire, with {@code socketFlags} added and seq/pid zero. */
    public static byte[] wire(NlRequest r, int socketFlags) {
        NlWriter w = new NlWriter(64);
        int s = w.beginMessage(r.type(), r.flags() | socketFlags, 0, 0);
        w.bytes(r.body());
        w.endMessage(s);
        return w.toByteArray();
    }

    /** Asserts {@code r}, sent with {@code socketFlags}, equals fixture {@code name} byte for byte, seq masked. */
    public static void assertGolden(String name, NlRequest r, int socketFlags) {
        byte[] golden = bytes(name);
        Arrays.fill(golden, 8, 12, (byte) 0);
        assertThat(hex(wire(r, socketFlags))).as("request bytes vs golden %s", name).isEqualTo(hex(golden));
    }

    /** A change request: REQUEST | ACK, as NlSocket.execute sends it. */
    public static void assertGoldenChange(String name, NlRequest r) { assertGolden(name, r, NLM_F_REQUEST | NLM_F_ACK); }

    /** A dump: REQUEST | DUMP, as NlSocket.dump sends it. */
    public static void assertGoldenDump(String name, NlRequest r) { assertGolden(name, r, NLM_F_REQUEST | NLM_F_DUMP); }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.length; i++) {
            if (i > 0) sb.append(i % 16 == 0 ? '\n' : ' ');
            sb.append(String.format("%02x", b[i] & 0xff));
        }
        return sb.toString();
    }
}
