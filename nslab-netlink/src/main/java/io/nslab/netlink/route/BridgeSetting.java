package io.nslab.netlink.route;

import io.nslab.netlink.wire.NlWriter;

import java.util.Objects;

/**
 * One bridge attribute (IFLA_BR_*, inside IFLA_INFO_DATA) or bridge-port
 * attribute (IFLA_BRPORT_*, inside IFLA_INFO_SLAVE_DATA or IFLA_PROTINFO)
 * with its value, in the width the kernel reads it (linux/if_link.h). The
 * kernel's bridge code reads each attribute at a fixed width, so the width
 * travels with the value rather than being looked up from a table here.
 */
public record BridgeSetting(int attr, Width width, long value) {
    /** How the value is written: FLAG is an attribute without payload (e.g. IFLA_BR_FDB_FLUSH). */
    public enum Width {
        FLAG(0), U8(0xffL), U16(0xffffL), U32(0xffff_ffffL), U64(-1L);

        /** The largest value that fits (U64: any). */
        public final long max;

        Width(long max) { this.max = max; }
    }

    public BridgeSetting {
        Objects.requireNonNull(width);
        if (attr <= 0 || attr > 0x3fff) throw new IllegalArgumentException("bad bridge attribute " + attr);
        if (width == Width.FLAG && value != 0) throw new IllegalArgumentException("a flag attribute has no value");
        if (width != Width.U64 && width != Width.FLAG && (value < 0 || value > width.max)) {
            throw new IllegalArgumentException("value " + value + " does not fit " + width + " (attribute " + attr + ")");
        }
    }

    public static BridgeSetting flag(int attr) { return new BridgeSetting(attr, Width.FLAG, 0); }
    public static BridgeSetting u8(int attr, long v) { return new BridgeSetting(attr, Width.U8, v); }
    public static BridgeSetting u16(int attr, long v) { return new BridgeSetting(attr, Width.U16, v); }
    public static BridgeSetting u32(int attr, long v) { return new BridgeSetting(attr, Width.U32, v); }
    public static BridgeSetting u64(int attr, long v) { return new BridgeSetting(attr, Width.U64, v); }
    /** An on/off attribute (u8 0 or 1). */
    public static BridgeSetting onOff(int attr, boolean on) { return u8(attr, on ? 1 : 0); }

    // ---- the ones programs most often want, by name ----
    /** IFLA_BR_VLAN_FILTERING: the bridge filters by VLAN (needs CONFIG_BRIDGE_VLAN_FILTERING). */
    public static BridgeSetting vlanFiltering(boolean on) { return onOff(LinkConst.IFLA_BR_VLAN_FILTERING, on); }
    /** IFLA_BR_STP_STATE (u32). */
    public static BridgeSetting stpState(boolean on) { return u32(LinkConst.IFLA_BR_STP_STATE, on ? 1 : 0); }
    /** IFLA_BRPORT_MODE: hairpin mode of a port. */
    public static BridgeSetting hairpin(boolean on) { return onOff(LinkConst.IFLA_BRPORT_MODE, on); }
    /** IFLA_BRPORT_LEARNING. */
    public static BridgeSetting learning(boolean on) { return onOff(LinkConst.IFLA_BRPORT_LEARNING, on); }
    /** IFLA_BRPORT_COST (u32). */
    public static BridgeSetting portCost(long cost) { return u32(LinkConst.IFLA_BRPORT_COST, cost); }

    /** Writes this attribute. */
    public void write(NlWriter w) {
        switch (width) {
            case FLAG -> w.attrFlag(attr);
            case U8 -> w.attrU8(attr, (int) value);
            case U16 -> w.attrU16(attr, (int) value);
            case U32 -> w.attrU32(attr, (int) value);
            case U64 -> w.attrU64(attr, value);
        }
    }
}
