package io.nslab.lab.model;

/**
 * The kernel's fixed limits a lab file can run into, in one place, so that {@code validate} and {@code plan}
 * refuse (or work around) them before anything changes instead of the kernel refusing step 10,030 of 20,000.
 * Each value is read from the kernel source named beside it.
 */
public final class KernelLimits {
    private KernelLimits() {}

    /**
     * Ports of one Linux bridge: net/bridge/br_private.h BR_MAX_PORTS = 1 << BR_PORT_BITS (10) = 1024 port
     * numbers, and br_if.c find_portno() reserves number 0, so the 1,024th port is refused with EXFULL.
     */
    public static final int BRIDGE_PORTS = 1023;

    /**
     * Ports of a declared bridge built as a tree ({@code BridgeTree}): a root bridge of {@link #BRIDGE_PORTS}
     * uplinks, each to a leaf bridge holding {@code BRIDGE_PORTS - 1} members.
     */
    public static final int BRIDGE_TREE_PORTS = BRIDGE_PORTS * (BRIDGE_PORTS - 1);

    /** Interface names: include/uapi/linux/if.h IFNAMSIZ 16 including the terminating NUL. */
    public static final int IFNAME_MAX = KernelNames.IFNAME_MAX;

    /** VXLAN network identifiers are 24 bits (include/net/vxlan.h VXLAN_N_VID = 1 << 24). */
    public static final int VNI_MAX = (1 << 24) - 1;

    /** 802.1Q tags: 12 bits, 0 and 4095 reserved (include/linux/if_vlan.h VLAN_N_VID = 4096). */
    public static final int VLAN_ID_MIN = 1, VLAN_ID_MAX = 4094;

    /** MTU: ETH_MIN_MTU 68 (include/uapi/linux/if_ether.h), and 65535 the most a veth or bridge takes (ETH_MAX_MTU). */
    public static final int MTU_MIN = 68, MTU_MAX = 65535;

    /**
     * The least MTU of an interface with IPv6 (include/linux/ipv6.h IPV6_MIN_MTU): below it net/ipv6/addrconf.c
     * ipv6_add_dev() refuses the device (EINVAL) and an IPv6 address cannot be added.
     */
    public static final int IPV6_MIN_MTU = 1280;

    /** TCP and UDP ports are 16 bits (include/uapi/linux/tcp.h, udp.h); port 0 cannot be connected to or published. */
    public static final int PORT_MIN = 1, PORT_MAX = 65535;

    /**
     * A namespace's name is a file under /run/netns: at most NAME_MAX (include/uapi/linux/limits.h) 255 bytes. A lab's
     * namespaces are {@code LAB.NODE}, at most 32 + 1 + 64 bytes ({@link KernelNames#LAB_NAME}, {@link KernelNames#NODE_NAME}),
     * so the names the loader accepts always fit.
     */
    public static final int NETNS_NAME_MAX = 255;
}
