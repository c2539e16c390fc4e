package io.nslab.netlink.nft;

import io.nslab.netlink.wire.NlMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Reads the nft golden fixtures (src/test/resources/golden/nft/README.md): messages per section. */
record NftGolden(List<Msg> messages) {
    /** One message and the section it was in ("request batch", "kernel dump", ...). */
    record Msg(String section, NlMessage message, byte[] bytes) {}

    static NftGolden read(String file) {
        try (InputStream in = NftGolden.class.getResourceAsStream("/golden/nft/" + file)) {
            if (in == null) throw new IllegalArgumentException("no golden file " + file);
            List<Msg> out = new ArrayList<>();
            String section = "";
            StringBuilder hex = null;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("# section:")) {
                    hex = flush(out, section, hex);
                    section = line.substring("# section:".length()).strip();
                } else if (line.startsWith("# msg ")) {
                    hex = flush(out, section, hex);
                    hex = new StringBuilder();
                } else if (line.startsWith("#")) {
                    hex = flush(out, section, hex);
                } else if (hex != null && !line.isBlank()) {
                    hex.append(line.replace(" ", "").strip());
                }
            }
            flush(out, section, hex);
            return new NftGolden(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static StringBuilder flush(List<Msg> out, String section, StringBuilder hex) {
        if (hex != null && !hex.isEmpty()) {
            byte[] b = HexFormat.of().parseHex(hex.toString());
            out.add(new Msg(section, NlMessage.parse(b), b));
        }
        return null;
    }

    /** The messages of the first section whose name starts with {@code prefix}, of nlmsg type {@code type}. */
    List<Msg> of(String prefix, int type) {
        return messages.stream().filter(m -> m.section().startsWith(prefix) && m.message().type() == type).toList();
    }
}
