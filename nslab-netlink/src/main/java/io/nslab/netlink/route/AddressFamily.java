package io.nslab.netlink.route;

/** Address families used by rtnetlink messages (linux/socket.h), and their iproute2 names. */
public final class AddressFamily {
    private AddressFamily() {}

    public static final int UNSPEC = 0, INET = 2, BRIDGE = 7, INET6 = 10;

    /** "inet", "inet6", "bridge", "unspec" or the number, as {@code ip -j} prints {@code family}. */
    public static String name(int family) {
        return switch (family) {
            case UNSPEC -> "unspec";
            case INET -> "inet";
            case INET6 -> "inet6";
            case BRIDGE -> "bridge";
            default -> Integer.toString(family);
        };
    }

    /** Byte length of an address of {@code family}: 4, 16, or 0 when not an IP family. */
    public static int addressLength(int family) {
        return switch (family) {
            case INET -> 4;
            case INET6 -> 16;
            default -> 0;
        };
    }
}
