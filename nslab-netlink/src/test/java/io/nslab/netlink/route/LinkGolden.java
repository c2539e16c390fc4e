package io.nslab.netlink.route;

import io.nslab.netlink.NlRequest;
import io.nslab.netlink.wire.Netlink;
import io.nslab.netlink.wire.NlMessage;
import io.nslab.netlink.wire.NlWriter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/** Reads the iproute2 golden fixtures (see src/test/resources/golden/README.md). */
final class LinkGolden {
    private LinkGolden() {}

    static byte[] bytes(String file) {
        try (InputStream in = LinkGolden.class.getResourceAsStream("/golden/" + file)) {
            if (in == null) throw new IllegalArgumentException("no golden file " + file);
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            StringBuilder hex = new StringBuilder();
            for (String line : text.split("\n")) {
                if (line.startsWith("#") || line.isBlank()) continue;
                hex.append(line.replace(" ", "").trim());
            }
            return HexFormat.of().parseHex(hex.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static NlMessage message(String file) {
        return NlMessage.parse(bytes(file));
    }

    /**
     * The request as NlSocket puts it on the wire (REQUEST|ACK added) with the
     * golden's seq and pid, so the whole message compares byte for byte.
     */
    static byte[] wire(NlRequest r, NlMessage golden, int extraFlags) {
        NlWriter w = new NlWriter(64);
        int s = w.beginMessage(r.type(), r.flags() | Netlink.NLM_F_REQUEST | extraFlags, golden.seq(), golden.pid());
        w.bytes(r.body());
        w.endMessage(s);
        return w.toByteArray();
    }

    /** The message with its seq (bytes 8..11) zeroed. */
    static byte[] maskSeq(byte[] m) {
        byte[] c = Arrays.copyOf(m, m.length);
        for (int i = 8; i < 12; i++) c[i] = 0;
        return c;
    }
}
