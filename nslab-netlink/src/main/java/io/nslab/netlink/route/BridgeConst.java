package io.nslab.netlink.route;

/** Bridge constants from linux/if_bridge.h (AF_SPEC of AF_BRIDGE link messages) and linux/socket.h. */
public final class BridgeConst {
    private BridgeConst() {}

    /** AF_BRIDGE (PF_BRIDGE): the family of bridge link, fdb and vlan messages. */
    public static final int AF_BRIDGE = 7;

    // enum { IFLA_BRIDGE_FLAGS, IFLA_BRIDGE_MODE, IFLA_BRIDGE_VLAN_INFO, ... } inside IFLA_AF_SPEC
    public static final int IFLA_BRIDGE_FLAGS = 0;
    public static final int IFLA_BRIDGE_MODE = 1;
    public static final int IFLA_BRIDGE_VLAN_INFO = 2;

    /** IFLA_BRIDGE_FLAGS: the command is for the bridge (master) / the port device itself (self). */
    public static final int BRIDGE_FLAGS_MASTER = 1;
    public static final int BRIDGE_FLAGS_SELF = 2;

    // struct bridge_vlan_info { __u16 flags; __u16 vid; }
    public static final int BRIDGE_VLAN_INFO_MASTER = 1;
    public static final int BRIDGE_VLAN_INFO_PVID = 1 << 1;
    public static final int BRIDGE_VLAN_INFO_UNTAGGED = 1 << 2;
    public static final int BRIDGE_VLAN_INFO_RANGE_BEGIN = 1 << 3;
    public static final int BRIDGE_VLAN_INFO_RANGE_END = 1 << 4;
    public static final int BRIDGE_VLAN_INFO_BRENTRY = 1 << 5;
}
