package io.nslab.cli.run;

import io.nslab.cli.out.Detail;
import io.nslab.cli.out.LinkDetails;
import io.nslab.netlink.route.Link;
import io.nslab.netlink.wire.Attrs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import static io.nslab.netlink.route.LinkConst.*;

/**
 * What {@code ip -d} prints of a link, built from the kernel's attributes as iproute2 6.1's
 * print_linkinfo reads them (ipaddress.c). What nslab has no exact printer for is named in
 * {@link LinkDetails#refusal()}, never approximated.
 */
final class LinkDetailViews {
    private LinkDetailViews() {}

    static LinkDetails of(Link l, Map<Integer, String> names) {
        List<String> refused = new ArrayList<>();
        DetailFields head = new DetailFields();
        l.promiscuityCount().ifPresent(v -> head.add(Detail.num("promiscuity", Integer.toUnsignedLong(v), " promiscuity " + Integer.toUnsignedString(v) + " ")));
        l.allmulti().ifPresent(v -> head.add(Detail.num("allmulti", Integer.toUnsignedLong(v), " allmulti " + Integer.toUnsignedString(v) + " ")));
        head.u("min_mtu", "minmtu", l.minMtu());
        head.u("max_mtu", "maxmtu", l.maxMtu());

        Optional<LinkDetails.Kind> kind = l.kindName().map(k -> kind(k, l.hasKindData(), l.kindData(), names, refused));
        Optional<LinkDetails.Kind> slave = l.slaveKindName().map(k -> slave(k, l.hasSlaveData(), l.slaveData(), names, refused));

        List<Detail> gen = new ArrayList<>();
        l.inet6AddrGenMode().ifPresent(m -> {
            String w = switch (m) {
                case 0 -> "eui64";
                case 1 -> "none";
                case 2 -> "stable_secret";
                case 3 -> "random";
                default -> String.format("%#04x", m);
            };
            gen.add(Detail.str("inet6_addr_gen_mode", w, "addrgenmode " + w + " "));
        });

        DetailFields tail = new DetailFields();
        tail.u("num_tx_queues", "numtxqueues", l.numTxQueues());
        tail.u("num_rx_queues", "numrxqueues", l.numRxQueues());
        tail.u("gso_max_size", "gso_max_size", l.gsoMaxSize());
        tail.u("gso_max_segs", "gso_max_segs", l.gsoMaxSegs());
        tail.u("tso_max_size", "tso_max_size", l.tsoMaxSize());
        tail.u("tso_max_segs", "tso_max_segs", l.tsoMaxSegs());
        tail.u("gro_max_size", "gro_max_size", l.groMaxSize());
        l.attrs().string(IFLA_PHYS_PORT_NAME).ifPresent(v -> tail.str("phys_port_name", "portname", v));
        l.attrs().bytes(IFLA_PHYS_PORT_ID).ifPresent(v -> tail.str("phys_port_id", "portid", DetailFields.hexBytes(v)));
        l.attrs().bytes(IFLA_PHYS_SWITCH_ID).ifPresent(v -> tail.str("phys_switch_id", "switchid", DetailFields.hexBytes(v)));
        l.parentBus().ifPresent(v -> tail.str("parentbus", "parentbus", v));
        l.parentDev().ifPresent(v -> tail.str("parentdev", "parentdev", v));

        // what ip prints of a link that nslab does not print at all
        if (l.xdpAttached().orElse(0) != 0) refused.add("an attached XDP program");
        if (l.attrs().has(IFLA_VFINFO_LIST) && l.attrs().has(IFLA_NUM_VF)) refused.add("SR-IOV VF info");
        if (l.attrs().has(IFLA_PROP_LIST)) refused.add("alternative names");
        if (l.attrs().u8(IFLA_PROTO_DOWN).orElse(0) != 0) refused.add("protodown");

        return new LinkDetails(head.list, kind, slave, gen, tail.list,
                refused.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", refused)));
    }

    /**
     * The kinds iproute2 6.1 has a print_opt for that nslab does not follow (its link_util table): refused.
     * A kind ip has no printer for (dummy, veth, ifb, nlmon, team...) prints its name alone, in both.
     */
    private static final Set<String> UNFOLLOWED_KINDS = Set.of("amt", "bareudp", "bond", "can", "dsa", "erspan", "geneve", "gre",
            "gretap", "gtp", "hsr", "ip6erspan", "ip6gre", "ip6gretap", "ip6tnl", "ipip", "ipoib", "macsec", "rmnet", "sit", "vti",
            "vti6", "wwan", "xfrm");
    private static final Set<String> UNFOLLOWED_PORTS = Set.of("bond");

    /** The kinds whose print_opt nslab follows. */
    private static LinkDetails.Kind kind(String k, boolean hasData, Attrs data, Map<Integer, String> names, List<String> refused) {
        Function<Attrs, List<Detail>> printer = switch (k) {
            case "bridge" -> BridgeDetails::bridge;
            case "vxlan" -> d -> KindDetails.vxlan(d, names);
            case "macvlan", "macvtap" -> KindDetails::macvlan;
            case "tun" -> KindDetails::tun;
            case "vlan" -> KindDetails::vlan;
            case "ipvlan", "ipvtap" -> KindDetails::ipvlan;
            case "vrf" -> KindDetails::vrf;
            default -> {
                if (UNFOLLOWED_KINDS.contains(k)) refused.add("kind " + k);
                yield null;
            }
        };
        if (printer == null) return new LinkDetails.Kind(k, Optional.empty());
        return new LinkDetails.Kind(k, Optional.of(hasData ? printer.apply(data) : List.of()));
    }

    private static LinkDetails.Kind slave(String k, boolean hasData, Attrs data, Map<Integer, String> names, List<String> refused) {
        Function<Attrs, List<Detail>> printer = switch (k) {
            case "bridge" -> d -> BridgeDetails.port(d, names);
            case "vrf" -> KindDetails::vrfPort;
            default -> {
                if (UNFOLLOWED_PORTS.contains(k)) refused.add("a port of a " + k);
                yield null;
            }
        };
        if (printer == null) return new LinkDetails.Kind(k, Optional.empty());
        return new LinkDetails.Kind(k, Optional.of(hasData ? printer.apply(data) : List.of()));
    }

}
