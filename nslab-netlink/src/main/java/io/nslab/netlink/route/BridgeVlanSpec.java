package io.nslab.netlink.route;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * VLANs to add to or delete from a bridge port or a bridge ({@code bridge vlan
 * add|del vid VID[-LAST] dev DEV [pvid] [untagged] [self] [master]}).
 *
 * @param index  the port's (or bridge's) ifindex
 * @param vid    the VLAN, or the first of a range
 * @param last   the last VLAN of a range
 * @param flags  BRIDGE_VLAN_INFO_PVID / BRIDGE_VLAN_INFO_UNTAGGED ({@link BridgeConst})
 * @param target BRIDGE_FLAGS_SELF / BRIDGE_FLAGS_MASTER, 0 for the kernel's default (master)
 */
public record BridgeVlanSpec(int index, int vid, OptionalInt last, int flags, int target) {
    public BridgeVlanSpec {
        Objects.requireNonNull(last);
        if (index <= 0) throw new IllegalArgumentException("bad ifindex " + index);
        if (vid < 0 || vid > 4095) throw new IllegalArgumentException("Invalid VLAN ID \"" + vid + "\"");
        if (last.isPresent() && (last.getAsInt() > 4095 || last.getAsInt() <= vid)) {
            throw new IllegalArgumentException("Invalid VLAN range \"" + vid + "-" + last.getAsInt() + "\"");
        }
        if (last.isPresent() && (flags & BridgeConst.BRIDGE_VLAN_INFO_PVID) != 0) {
            throw new IllegalArgumentException("pvid cannot be configured for a vlan range");
        }
    }

    public static BridgeVlanSpec of(int index, int vid) { return new BridgeVlanSpec(index, vid, OptionalInt.empty(), 0, 0); }

    public String describe() { return "vid " + vid + (last.isPresent() ? "-" + last.getAsInt() : "") + " dev #" + index; }
}
