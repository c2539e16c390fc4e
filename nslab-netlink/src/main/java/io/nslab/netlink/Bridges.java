package io.nslab.netlink;

import io.nslab.netlink.route.BridgeConst;
import io.nslab.netlink.route.BridgeRequests;
import io.nslab.netlink.route.BridgeRequests.FdbOp;
import io.nslab.netlink.route.BridgeSetting;
import io.nslab.netlink.route.BridgeVlanSpec;
import io.nslab.netlink.route.FdbSpec;
import io.nslab.netlink.route.Link;
import io.nslab.netlink.route.Neighbour;
import io.nslab.netlink.route.RtConst;
import io.nslab.netlink.wire.NlMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Bridge ports, forwarding database and VLANs over one rtnetlink socket:
 * what iproute2's {@code bridge link|fdb|vlan} do. Devices are given by
 * ifindex ({@link Links#index} finds one by name). Not thread-safe.
 */
public final class Bridges {
    private final NlSocket socket;

    public Bridges(NlSocket socket) { this.socket = socket; }

    /** Every bridge port (and bridge) as an AF_BRIDGE link: its port state in IFLA_PROTINFO. */
    public List<Link> ports() throws ErrnoException { return links(BridgeRequests.linkDump()); }

    /** Every bridge port and bridge with its VLANs ({@link io.nslab.netlink.route.BridgeVlan#of}). */
    public List<Link> vlans() throws ErrnoException { return links(BridgeRequests.vlanDump()); }

    /** The fdb entries, optionally of one port and/or one bridge (the kernel filters). */
    public List<Neighbour> fdb(OptionalInt port, OptionalInt bridge) throws ErrnoException {
        List<Neighbour> out = new ArrayList<>();
        for (NlMessage m : socket.dump(BridgeRequests.fdbDump(port, bridge))) {
            if (m.type() != RtConst.RTM_NEWNEIGH) continue;
            Neighbour n = Neighbour.decode(m);
            if (n.family() == BridgeConst.AF_BRIDGE) out.add(n);
        }
        return out;
    }

    /** Adds, appends, replaces or deletes an fdb entry. */
    public void fdb(FdbOp op, FdbSpec spec) throws ErrnoException { socket.execute(BridgeRequests.fdb(op, spec)); }

    /** Adds a VXLAN peer: flooded frames on {@code vxlanIndex} also go to {@code spec}'s dst ({@code bridge fdb append}). */
    public void addVxlanPeer(FdbSpec spec) throws ErrnoException { fdb(FdbOp.APPEND, spec); }

    /** Changes port settings (IFLA_BRPORT_*); {@code target} BRIDGE_FLAGS_SELF/MASTER or 0. */
    public void setPort(int index, List<BridgeSetting> settings, int target) throws ErrnoException {
        socket.execute(BridgeRequests.portSet(index, settings, target));
    }

    /** Adds VLANs to a port (needs a VLAN-filtering bridge: CONFIG_BRIDGE_VLAN_FILTERING). */
    public void addVlan(BridgeVlanSpec v) throws ErrnoException { socket.execute(BridgeRequests.vlan(true, v)); }

    public void delVlan(BridgeVlanSpec v) throws ErrnoException { socket.execute(BridgeRequests.vlan(false, v)); }

    private List<Link> links(NlRequest r) throws ErrnoException {
        List<Link> out = new ArrayList<>();
        for (NlMessage m : socket.dump(r)) {
            if (m.type() == RtConst.RTM_NEWLINK) out.add(Link.decode(m));
        }
        return out;
    }
}
