package io.nslab.netlink.tc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A netem delay distribution table: signed 16-bit values, as in iproute2's {@code NAME.dist}
 * files ({@code normal}, {@code pareto}, {@code paretonormal}). tc reads those files from
 * its library directory; so does {@link #load}. Equal when the tables are equal.
 */
public final class Distribution {
    /** Where iproute2 installs its tables (Debian multiarch first, then the upstream default). */
    public static final List<Path> DIRS = List.of(Path.of("/usr/lib/x86_64-linux-gnu/tc"), Path.of("/usr/lib/aarch64-linux-gnu/tc"),
            Path.of("/usr/lib/tc"), Path.of("/usr/lib64/tc"), Path.of("/usr/share/tc"));

    private final String name;
    private final short[] table;

    public Distribution(String name, short[] table) {
        this.name = name;
        this.table = table.clone();
    }

    public String name() { return name; }
    public short[] table() { return table.clone(); }

    /**
     * Loads {@code NAME.dist} (normal, pareto, paretonormal, or another name) from iproute2's
     * directory; an {@link IllegalArgumentException} naming the file when it is not there.
     */
    public static Distribution load(String name) {
        if (!name.matches("[A-Za-z0-9_-]+")) throw new IllegalArgumentException("invalid distribution \"" + name + "\"");
        for (Path d : DIRS) {
            Path f = d.resolve(name + ".dist");
            if (Files.isReadable(f)) {
                try {
                    return parse(name, Files.readString(f));
                } catch (IOException e) {
                    throw new IllegalArgumentException("distribution \"" + name + "\": cannot read " + f + ": " + e.getMessage());
                }
            }
        }
        throw new IllegalArgumentException("distribution \"" + name + "\": no " + name + ".dist in " + DIRS.get(0) + " or /usr/lib/tc (install iproute2's tables)");
    }

    /** Parses a .dist file: '#' comment lines, then whitespace-separated signed integers. */
    public static Distribution parse(String name, String text) {
        List<Short> v = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#")) continue;
            for (String t : line.trim().split("\\s+")) {
                if (t.isEmpty()) continue;
                v.add((short) Integer.parseInt(t));
            }
        }
        short[] s = new short[v.size()];
        for (int i = 0; i < s.length; i++) s[i] = v.get(i);
        return new Distribution(name, s);
    }

    /** The table as decoded from TCA_NETEM_DELAY_DIST; named after the installed table it equals, else "custom". */
    static Distribution ofBytes(byte[] b) {
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
        short[] s = new short[b.length / 2];
        for (int i = 0; i < s.length; i++) s[i] = bb.getShort();
        for (String n : List.of("normal", "pareto", "paretonormal")) {
            try {
                if (Arrays.equals(load(n).table, s)) return new Distribution(n, s);
            } catch (IllegalArgumentException e) {
                // not installed
            }
        }
        return new Distribution("custom", s);
    }

    byte[] bytes() {
        ByteBuffer b = ByteBuffer.allocate(table.length * 2).order(ByteOrder.nativeOrder());
        for (short x : table) b.putShort(x);
        return b.array();
    }

    @Override public boolean equals(Object o) { return o instanceof Distribution d && Arrays.equals(d.table, table); }
    @Override public int hashCode() { return Arrays.hashCode(table); }
    @Override public String toString() { return name; }
}
