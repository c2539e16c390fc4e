package io.nslab.netlink.route;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

import static io.nslab.netlink.route.RtConst.*;

/** Neighbour states as iproute2 names them, and link-layer address text. */
public final class NeighbourNames {
    private NeighbourNames() {}

    private static final int[] STATES = {NUD_INCOMPLETE, NUD_REACHABLE, NUD_STALE, NUD_DELAY, NUD_PROBE, NUD_FAILED, NUD_NOARP, NUD_PERMANENT};
    private static final String[] NAMES = {"INCOMPLETE", "REACHABLE", "STALE", "DELAY", "PROBE", "FAILED", "NOARP", "PERMANENT"};

    /** The state bits as {@code ip -j neigh} lists them: {@code ["PERMANENT"]}; {@code ["NONE"]} for 0. */
    public static List<String> states(int state) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < STATES.length; i++) if ((state & STATES[i]) != 0) out.add(NAMES[i]);
        if (out.isEmpty()) out.add("NONE");
        return out;
    }

    /** {@code permanent}, {@code reachable}, {@code noarp}, {@code stale}, {@code none}... or a number. */
    public static OptionalInt parseState(String s) {
        String t = s.strip().toUpperCase(Locale.ROOT);
        if (t.equals("NONE")) return OptionalInt.of(NUD_NONE);
        for (int i = 0; i < NAMES.length; i++) if (NAMES[i].equals(t)) return OptionalInt.of(STATES[i]);
        try {
            int v = t.startsWith("0X") ? Integer.parseInt(t.substring(2), 16) : Integer.parseInt(t);
            return v >= 0 && v <= 0xffff ? OptionalInt.of(v) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** {@code 02:00:00:00:00:02}: lowercase hex bytes joined by colons. */
    public static String lladdr(byte[] b) {
        return HexFormat.ofDelimiter(":").formatHex(b);
    }

    /** Parses colon-separated hex bytes ({@code 02:00:00:00:00:02}); errors name the text. */
    public static byte[] parseLladdr(String text) {
        String[] parts = text.strip().split(":", -1);
        if (parts.length < 1 || text.isBlank()) throw new IllegalArgumentException("invalid lladdr \"" + text + "\": empty");
        byte[] b = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 2 || !p.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new IllegalArgumentException("invalid lladdr \"" + text + "\": \"" + p + "\" is not a hex byte");
            }
            b[i] = (byte) Integer.parseInt(p, 16);
        }
        return b;
    }
}
