package io.nslab.state;

import java.security.SecureRandom;
import java.util.Optional;

/**
 * The mark nslab leaves on a kernel object it made, so that it can tell later
 * that the object is still its own: the link's alias ({@code IFLA_IFALIAS},
 * what {@code ip link show} prints after {@code alias}), {@code nslab:lab:LAB}
 * on the loopback of every namespace a lab makes and {@code nslab:net:NETWORK}
 * on the bridge and the host-side veth ends of a network, {@code nslab:cni:NETWORK}
 * on the bridge and host-side veth ends the CNI plugin makes for CNI network
 * {@code NETWORK}. {@code down}, {@code net disconnect}, {@code net rm} and CNI
 * DEL delete such an object only while it carries the mark of its owner (see
 * docs/security.md, "Ownership marks").
 *
 * <p>An alias rather than an altname: it needs no name of its own in the
 * namespace (an altname is a name: unique, at most 127 bytes, without ':', and
 * it makes {@code ip link show MARK} find the link), and the kernel keeps one
 * per link, so a mark is read back from the same dump that gives the ifindex
 * and the name.
 */
public record Marker(String kind, String owner) {
    public static final String PREFIX = "nslab:";
    /** IFALIASZ is 256 bytes with the NUL. */
    static final int MAX = 255;

    public Marker {
        if (!kind.equals("lab") && !kind.equals("net") && !kind.equals("cni"))
            throw new IllegalArgumentException("marker kind must be lab, net or cni: " + kind);
        if (owner.isEmpty() || owner.contains(":") || owner.chars().anyMatch(c -> c < 0x21 || c > 0x7e))
            throw new IllegalArgumentException("bad owner in a marker: " + owner);
        if (PREFIX.length() + kind.length() + 1 + owner.length() > MAX) throw new IllegalArgumentException("marker too long: " + owner);
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * An ifindex to create a marked link with. The kernel ignores an alias in
     * the message that creates a link, so the mark is a second message in the
     * same sendmsg (no second round trip, and no moment a kill could land
     * between the two). That message must reach only the link just made: it
     * names it by this ifindex, drawn at random far above the kernel's own
     * sequential ones ({@code [2^24, 2^30)}). If the create fails (the name is
     * someone else's), the mark finds no link at that index (ENODEV) and
     * touches nothing; by name it would have marked the other link as nslab's.
     */
    public static int index() {
        return (1 << 24) + RANDOM.nextInt((1 << 30) - (1 << 24));
    }

    /** The mark of lab {@code lab}'s namespaces. */
    public static Marker lab(String lab) { return new Marker("lab", lab); }

    /** The mark of network {@code network}'s links. */
    public static Marker net(String network) { return new Marker("net", network); }

    /**
     * The mark of the links the CNI plugin makes for CNI network {@code network}
     * (the {@code name} of its configuration): a kind of its own, as CNI
     * networks and {@code nslab net} networks are separate name spaces.
     */
    public static Marker cni(String network) { return new Marker("cni", network); }

    /** {@code nslab:KIND:OWNER}, the alias text. */
    public String text() { return PREFIX + kind + ":" + owner; }

    /** Whether {@code alias} (a link's alias, if it has one) is this mark. */
    public boolean on(Optional<String> alias) { return alias.isPresent() && alias.get().equals(text()); }

    /** What a link that is not this mark's carries, as messages name it: {@code alias '...'} or {@code no alias}. */
    public static String carried(Optional<String> alias) {
        return alias.map(a -> "alias '" + a + "'").orElse("no alias");
    }

    /** The mark an alias holds, if it is one of nslab's. */
    public static Optional<Marker> parse(String alias) {
        if (!alias.startsWith(PREFIX)) return Optional.empty();
        String rest = alias.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        if (colon < 0) return Optional.empty();
        try {
            return Optional.of(new Marker(rest.substring(0, colon), rest.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override public String toString() { return text(); }
}
