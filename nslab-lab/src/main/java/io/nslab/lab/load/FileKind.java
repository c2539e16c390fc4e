package io.nslab.lab.load;

import io.nslab.netlink.route.LinkKind;
import io.nslab.netlink.route.LinkKind.TuntapMode;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code kind:} words of a lab file, each with the fields only it has. The words are the library's
 * ({@link LinkKind.Type#word()}, {@link TuntapMode#keyword()}), except {@code physical}. {@link LabLoader}
 * reads each kind in a switch over this enum without a default, so a new constant does not compile until it
 * has both its fields here and its reading there.
 */
enum FileKind {
    BRIDGE(LinkKind.Type.BRIDGE.word()),
    MACVLAN(LinkKind.Type.MACVLAN.word()),
    IPVLAN(LinkKind.Type.IPVLAN.word()),
    VLAN(LinkKind.Type.VLAN.word()),
    VXLAN(LinkKind.Type.VXLAN.word()),
    TUN(TuntapMode.TUN.keyword()),
    TAP(TuntapMode.TAP.keyword()),
    PHYSICAL("physical"),
    /** Known only to say where veth pairs go ({@code links:}): not declarable under {@code interfaces:}. */
    VETH(LinkKind.Type.VETH.word());

    final String word;

    FileKind(String word) { this.word = word; }

    /** The fields of this kind besides the common ones ({@link LabLoader#IFACE_COMMON}). */
    Set<String> fields() {
        return switch (this) {
            case BRIDGE -> Set.of("ports", "stp");
            case MACVLAN, IPVLAN -> Set.of("mode", "parent");
            case VLAN -> Set.of("id", "parent", "protocol");
            case VXLAN -> Set.of("vni", "local", "remote", "group", "dev", "dstport", "learning");
            case TUN, TAP -> Set.of("owner", "group");
            case PHYSICAL -> Set.of("host", "external");
            case VETH -> Set.of();
        };
    }

    /** Whether a file may declare this kind under {@code interfaces:}. */
    boolean declarable() { return this != VETH; }

    /** The kind a (lower-case) word names. */
    static Optional<FileKind> of(String word) {
        return Arrays.stream(values()).filter(k -> k.word.equals(word)).findFirst();
    }

    /** Word -> fields of every declarable kind. */
    static Map<String, Set<String>> table() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        for (FileKind k : values()) if (k.declarable()) m.put(k.word, k.fields());
        return Map.copyOf(m);
    }
}
