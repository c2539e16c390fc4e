package io.nslab.netlink.route;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What to add or delete: {@code ip neigh add ADDR [lladdr MAC] [nud STATE]
 * [router] [proxy] dev D}. The state defaults to permanent, as in iproute2.
 * The device is an index, a name, or both; {@code Neighbours} resolves a name.
 */
public record NeighbourSpec(OptionalInt index, Optional<String> device, InetAddress dst, Optional<String> lladdr,
                            int state, int flags) {
    public NeighbourSpec {
        Objects.requireNonNull(index);
        Objects.requireNonNull(device);
        Objects.requireNonNull(dst);
        Objects.requireNonNull(lladdr);
        if (index.isEmpty() && device.isEmpty()) throw new IllegalArgumentException("neigh " + IpPrefix.text(dst) + ": no device given");
        lladdr = lladdr.map(l -> NeighbourNames.lladdr(NeighbourNames.parseLladdr(l)));
    }

    public static NeighbourSpec of(int index, InetAddress dst) {
        return new NeighbourSpec(OptionalInt.of(index), Optional.empty(), dst, Optional.empty(), RtConst.NUD_PERMANENT, 0);
    }

    public static NeighbourSpec of(String device, InetAddress dst) {
        return new NeighbourSpec(OptionalInt.empty(), Optional.of(device), dst, Optional.empty(), RtConst.NUD_PERMANENT, 0);
    }

    public NeighbourSpec withIndex(int i) { return new NeighbourSpec(OptionalInt.of(i), device, dst, lladdr, state, flags); }
    /** The link-layer address, {@code 02:00:00:00:00:02}. */
    public NeighbourSpec withLladdr(String mac) { return new NeighbourSpec(index, device, dst, Optional.of(mac), state, flags); }
    /** NUD_* state: NUD_PERMANENT (default), NUD_REACHABLE, NUD_STALE, NUD_NOARP... */
    public NeighbourSpec withState(int s) { return new NeighbourSpec(index, device, dst, lladdr, s, flags); }
    /** NTF_* flags: NTF_ROUTER, NTF_PROXY... */
    public NeighbourSpec withFlags(int f) { return new NeighbourSpec(index, device, dst, lladdr, state, f); }

    public int family() { return dst.getAddress().length == 4 ? AddressFamily.INET : AddressFamily.INET6; }

    public String describe() {
        return IpPrefix.text(dst) + lladdr.map(l -> " lladdr " + l).orElse("") + " dev "
                + device.orElseGet(() -> "#" + index.getAsInt());
    }
}
