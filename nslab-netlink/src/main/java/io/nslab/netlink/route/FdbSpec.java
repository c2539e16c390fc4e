package io.nslab.netlink.route;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One forwarding-database entry to add, replace or delete ({@code bridge fdb
 * add|append|replace|del}): a MAC on a device (a bridge port with NTF_MASTER,
 * or the device's own table with NTF_SELF, e.g. a VXLAN device's remote
 * {@code dst}). {@code state} holds NUD_* bits, {@code flags} NTF_* bits, as
 * the kernel reads them from struct ndmsg.
 *
 * @param mac   the entry's MAC (all zeros on a VXLAN device: the default destination, for flooding)
 * @param index the device's ifindex
 * @param dst   NDA_DST: the remote VTEP of a VXLAN entry
 * @param vlan  NDA_VLAN
 * @param port  NDA_PORT: the remote UDP port (VXLAN)
 * @param vni   NDA_VNI (VXLAN, 24 bits)
 * @param srcVni NDA_SRC_VNI (VXLAN in collect-metadata mode)
 * @param via   NDA_IFINDEX: the outgoing device to reach {@code dst}
 */
public record FdbSpec(LinkLayerAddress mac, int index, int state, int flags, Optional<InetAddress> dst, OptionalInt vlan,
                      OptionalInt port, OptionalLong vni, OptionalLong srcVni, OptionalInt via) {
    public FdbSpec {
        Objects.requireNonNull(mac);
        Objects.requireNonNull(dst);
        Objects.requireNonNull(vlan);
        Objects.requireNonNull(port);
        Objects.requireNonNull(vni);
        Objects.requireNonNull(srcVni);
        Objects.requireNonNull(via);
        if (mac.bytes().length != 6) throw new IllegalArgumentException("an fdb entry's address is 6 bytes, not " + mac.bytes().length);
        if (index <= 0) throw new IllegalArgumentException("bad ifindex " + index);
        if (vlan.isPresent() && (vlan.getAsInt() < 0 || vlan.getAsInt() > 4095)) throw new IllegalArgumentException("bad vlan " + vlan.getAsInt());
        if (port.isPresent() && (port.getAsInt() < 0 || port.getAsInt() > 0xffff)) throw new IllegalArgumentException("bad port " + port.getAsInt());
        for (OptionalLong v : new OptionalLong[] {vni, srcVni}) {
            if (v.isPresent() && (v.getAsLong() < 0 || v.getAsLong() >= 1 << 24)) throw new IllegalArgumentException("bad VNI " + v.getAsLong());
        }
    }

    /**
     * An entry as {@code bridge fdb add MAC dev DEV} makes it by default: in
     * the device's own table (NTF_SELF), permanent (NUD_NOARP|NUD_PERMANENT).
     */
    public static FdbSpec of(LinkLayerAddress mac, int index) {
        return new FdbSpec(mac, index, RtConst.NUD_NOARP | RtConst.NUD_PERMANENT, RtConst.NTF_SELF, Optional.empty(), OptionalInt.empty(),
                OptionalInt.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalInt.empty());
    }

    /** A VXLAN peer: the all-zeros MAC on the VXLAN device pointing at {@code dst} (flooding goes there). */
    public static FdbSpec vxlanPeer(int vxlanIndex, InetAddress dst) {
        return of(LinkLayerAddress.parse("00:00:00:00:00:00"), vxlanIndex).withDst(dst);
    }

    public FdbSpec withState(int s) { return new FdbSpec(mac, index, s, flags, dst, vlan, port, vni, srcVni, via); }
    public FdbSpec withFlags(int f) { return new FdbSpec(mac, index, state, f, dst, vlan, port, vni, srcVni, via); }
    public FdbSpec withDst(InetAddress a) { return new FdbSpec(mac, index, state, flags, Optional.of(a), vlan, port, vni, srcVni, via); }
    public FdbSpec withVlan(int v) { return new FdbSpec(mac, index, state, flags, dst, OptionalInt.of(v), port, vni, srcVni, via); }
    public FdbSpec withPort(int p) { return new FdbSpec(mac, index, state, flags, dst, vlan, OptionalInt.of(p), vni, srcVni, via); }
    public FdbSpec withVni(long v) { return new FdbSpec(mac, index, state, flags, dst, vlan, port, OptionalLong.of(v), srcVni, via); }
    public FdbSpec withSrcVni(long v) { return new FdbSpec(mac, index, state, flags, dst, vlan, port, vni, OptionalLong.of(v), via); }
    public FdbSpec withVia(int i) { return new FdbSpec(mac, index, state, flags, dst, vlan, port, vni, srcVni, OptionalInt.of(i)); }

    /** For error messages: {@code 00:00:00:00:00:00 dev #5 dst 10.0.0.2}. */
    public String describe() {
        return mac + " dev #" + index + dst.map(a -> " dst " + IpPrefix.text(a)).orElse("") + (vlan.isPresent() ? " vlan " + vlan.getAsInt() : "");
    }
}
