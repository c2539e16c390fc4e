package io.nslab.cli.ip;

import io.nslab.netlink.route.IpPrefix;
import io.nslab.netlink.route.LinkChange;
import io.nslab.netlink.route.LinkChange.Inet6AddrGen;
import io.nslab.netlink.route.LinkKind;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One parsed iproute2 command line, exactly what the user asked for, before
 * anything is looked up in the kernel. {@link #text()} is the command as
 * typed (object and arguments), used to prefix error messages like ip does.
 */
public sealed interface IpCommand {
    String text();

    /** What ip would warn about on stderr and go on (e.g. a flag it leaves out), each without "Warning: ". */
    default List<String> warnings() { return List.of(); }

    /** Commands that only read state; everything else changes it. */
    default boolean readOnly() { return false; }

    /** tc's objects (qdisc), each a record in its own file (QdiscCommand). */
    non-sealed interface Tc extends IpCommand {}

    // ---- netns ----
    record NetnsAdd(String text, String name) implements IpCommand {}
    record NetnsDel(String text, String name) implements IpCommand {}
    /** {@code netns attach NAME PID}: PID's network namespace bound onto /run/netns/NAME. */
    record NetnsAttach(String text, String name, long pid) implements IpCommand {}
    record NetnsList(String text) implements IpCommand { public boolean readOnly() { return true; } }
    record NetnsListId(String text) implements IpCommand { public boolean readOnly() { return true; } }
    record NetnsExec(String text, String name, List<String> command) implements IpCommand {}
    record NetnsIdentify(String text, Optional<Long> pid) implements IpCommand { public boolean readOnly() { return true; } }
    record NetnsPids(String text, String name) implements IpCommand { public boolean readOnly() { return true; } }
    record NetnsSet(String text, String name, OptionalInt nsid) implements IpCommand {}

    // ---- link ----
    /**
     * {@code link add [link PARENT] [name] NAME [address MAC] [mtu N] [netns NS] [up] [master BR] type KIND ARGS}.
     * {@code kind} is the library's model of the kind; the other links and namespaces it names
     * (a parent or VXLAN dev by name, a veth peer's namespace by name) are resolved where the command runs.
     */
    record LinkAdd(String text, Optional<String> name, Optional<String> mac, OptionalInt mtu, OptionalInt txqlen, Optional<String> netns,
                   Optional<LinkKind> kind, boolean up, Optional<String> master) implements IpCommand {}

    /**
     * {@code link set [dev] DEV ...}: every change is optional. {@code typeOptions}: {@code type bridge OPTIONS}
     * or {@code type bridge_slave OPTIONS} (LinkChange.BridgeOptions / BridgePortOptions).
     */
    record LinkSet(String text, String dev, Optional<Boolean> up, OptionalInt mtu, Optional<String> mac,
                   Optional<String> master, boolean nomaster, Optional<String> netns, Optional<String> newName,
                   Optional<String> alias, Optional<Boolean> promisc, Optional<Boolean> arp, Optional<Boolean> multicast,
                   Optional<Boolean> allmulticast, OptionalInt txqlen,
                   Optional<Inet6AddrGen> addrGenMode, Optional<LinkChange> typeOptions) implements IpCommand {}
    record LinkDel(String text, String dev, Optional<String> type) implements IpCommand {}
    record LinkShow(String text, Optional<String> dev, boolean upOnly, Optional<String> type, Optional<String> master)
            implements IpCommand { public boolean readOnly() { return true; } }

    // ---- tuntap ----
    /** {@code name} empty: the kernel names it (tun0, tap1, ...). */
    record TuntapAdd(String text, Optional<String> name, boolean tap, boolean multiQueue, boolean pi, boolean vnetHdr,
                     boolean oneQueue, OptionalInt user, OptionalInt group) implements IpCommand {}
    /**
     * Deleted with ip's ioctls and flags (a device of another mode or queue layout is refused). {@code name}
     * empty, or a name not there: TUNSETIFF makes a fresh device that TUNSETPERSIST 0 drops again, as with ip.
     */
    record TuntapDel(String text, Optional<String> name, boolean tap, boolean multiQueue, boolean pi, boolean vnetHdr,
                     boolean oneQueue) implements IpCommand {}
    record TuntapShow(String text) implements IpCommand { public boolean readOnly() { return true; } }

    // ---- addr ----
    enum Op { ADD, DEL, REPLACE, CHANGE }

    /**
     * {@code flags}: IFA_F_* bits to set; {@code warnings}: what ip warns about and leaves out (an IPv6-only
     * flag on an IPv4 address, a read-only flag), printed as ip prints them, without "Warning: ".
     */
    record AddrChange(String text, Op op, IpPrefix local, String dev, Optional<IpPrefix> peer, Optional<String> broadcast,
                      Optional<String> label, Optional<String> scope, int flags, OptionalLong validLft,
                      OptionalLong preferredLft, OptionalInt metric, List<String> warnings) implements IpCommand {
        @Override public List<String> warnings() { return warnings; }
    }
    record AddrShow(String text, Optional<String> dev, boolean upOnly, OptionalInt family, Optional<String> scope)
            implements IpCommand { public boolean readOnly() { return true; } }
    record AddrFlush(String text, Optional<String> dev, OptionalInt family, Optional<String> scope) implements IpCommand {}

    // ---- route ----
    /** {@code dst} empty = default route. */
    record RouteSpec(Optional<String> type, Optional<IpPrefix> dst, int family, Optional<InetAddress> via,
                     Optional<String> dev, Optional<InetAddress> src, OptionalInt metric, Optional<String> scope,
                     Optional<String> table, Optional<String> proto, boolean onlink, OptionalInt mtu) {}
    record RouteChange(String text, Op op, RouteSpec spec) implements IpCommand {}
    /** {@code family}: -4/-6 written among the arguments (an nslab extension), else the global one applies. */
    record RouteShow(String text, OptionalInt family, RouteFilter filter) implements IpCommand {
        public boolean readOnly() { return true; }
    }
    record RouteGet(String text, InetAddress dst, Optional<InetAddress> from, Optional<String> iif, Optional<String> oif)
            implements IpCommand { public boolean readOnly() { return true; } }
    record RouteFlush(String text, OptionalInt family, RouteFilter filter) implements IpCommand {}

    // ---- neigh ----
    record NeighChange(String text, Op op, InetAddress addr, Optional<String> lladdr, String dev, Optional<String> nud,
                       boolean router, boolean proxy) implements IpCommand {}
    /** {@code states}: the NUD_* bits shown, as ip's filter holds them (0x100 = entries with no state). */
    record NeighShow(String text, OptionalInt family, Optional<String> dev, int states) implements IpCommand {
        public boolean readOnly() { return true; }
    }
    record NeighGet(String text, InetAddress addr, String dev, boolean proxy) implements IpCommand {
        public boolean readOnly() { return true; }
    }
    record NeighFlush(String text, OptionalInt family, Optional<String> dev, int states) implements IpCommand {}

    // ---- rule ----
    /** {@code tos}: fib_rule_hdr.tos ({@code tos}/{@code dsfield}), 0 = any. */
    record RuleSpec(int family, boolean not, Optional<IpPrefix> from, Optional<IpPrefix> to, OptionalInt priority,
                    Optional<String> table, Optional<String> iif, Optional<String> oif, Optional<String> fwmark,
                    Optional<String> action, int tos) {}
    record RuleChange(String text, Op op, RuleSpec spec) implements IpCommand {}
    record RuleShow(String text, OptionalInt family) implements IpCommand { public boolean readOnly() { return true; } }

    // ---- monitor ----
    record Monitor(String text, List<String> objects, Optional<String> label) implements IpCommand {
        public boolean readOnly() { return true; }
    }
}
