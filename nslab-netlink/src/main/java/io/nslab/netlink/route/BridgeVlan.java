package io.nslab.netlink.route;

import io.nslab.netlink.wire.Attr;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One VLAN of a bridge port or bridge as a VLAN dump reports it
 * (IFLA_AF_SPEC { IFLA_BRIDGE_VLAN_INFO { flags, vid } } of an AF_BRIDGE link,
 * asked for with RTEXT_FILTER_BRVLAN). {@code flags}: BRIDGE_VLAN_INFO_* bits.
 */
public record BridgeVlan(int vid, int flags) {
    public boolean pvid() { return (flags & BridgeConst.BRIDGE_VLAN_INFO_PVID) != 0; }
    public boolean untagged() { return (flags & BridgeConst.BRIDGE_VLAN_INFO_UNTAGGED) != 0; }

    /** The VLANs in a link message of a VLAN dump, in the kernel's order (empty without VLAN filtering). */
    public static List<BridgeVlan> of(Link l) {
        List<BridgeVlan> out = new ArrayList<>();
        for (Attr a : l.attrs().nested(LinkConst.IFLA_AF_SPEC).all(BridgeConst.IFLA_BRIDGE_VLAN_INFO)) {
            byte[] v = a.bytes();
            if (v.length < 4) continue;
            ByteBuffer b = ByteBuffer.wrap(v).order(ByteOrder.nativeOrder());
            out.add(new BridgeVlan(b.getShort(2) & 0xffff, b.getShort(0) & 0xffff));
        }
        return out;
    }
}
