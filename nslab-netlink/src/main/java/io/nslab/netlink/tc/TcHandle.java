package io.nslab.netlink.tc;

/**
 * A tc handle {@code MAJ:MIN} (hex, as tc writes them): {@code 1:}, {@code 1:10},
 * {@code root} ({@code TC_H_ROOT} = 0xFFFFFFFF), {@code none} (0 = let the kernel pick).
 */
public record TcHandle(int value) {
    public static final TcHandle ROOT = new TcHandle(0xFFFFFFFF);
    public static final TcHandle INGRESS = new TcHandle(0xFFFFFFF1);
    public static final TcHandle UNSPEC = new TcHandle(0);

    public static TcHandle of(int major, int minor) {
        if (major < 0 || major > 0xFFFF || minor < 0 || minor > 0xFFFF) throw new IllegalArgumentException("handle part out of range");
        return new TcHandle((major << 16) | minor);
    }

    public int major() { return value >>> 16; }
    public int minor() { return value & 0xFFFF; }

    /** {@code 1:}, {@code 1:10}, {@code root}, {@code ffff:fff1}... as tc parses them (hex parts). */
    public static TcHandle parse(String s) {
        if (s.equals("root")) return ROOT;
        if (s.equals("ingress")) return INGRESS;
        if (s.equals("none")) return UNSPEC;
        int c = s.indexOf(':');
        try {
            String maj = c < 0 ? s : s.substring(0, c);
            String min = c < 0 ? "" : s.substring(c + 1);
            if (maj.isEmpty() && min.isEmpty()) throw new NumberFormatException();
            int a = maj.isEmpty() ? 0 : Integer.parseInt(maj, 16);
            int b = min.isEmpty() ? 0 : Integer.parseInt(min, 16);
            return of(a, b);
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("invalid handle \"" + s + "\" (MAJ: or MAJ:MIN in hex)");
        }
    }

    /** tc's print_tc_classid: {@code root}, {@code 1:}, {@code 1:10}, {@code none}. */
    @Override public String toString() {
        if (value == ROOT.value) return "root";
        if (value == 0) return "none";
        if (value == INGRESS.value) return "ffff:fff1";
        if (minor() == 0) return Integer.toHexString(major()) + ":";
        return Integer.toHexString(major()) + ":" + Integer.toHexString(minor());
    }
}
