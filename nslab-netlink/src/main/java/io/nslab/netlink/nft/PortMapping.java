package io.nslab.netlink.nft;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A published port, {@code -p [HOSTIP:]HOSTPORT:PORT[/PROTO]}: traffic for
 * {@code hostPort} on {@code hostIp} (or on any address of the host when empty)
 * goes to {@code target:targetPort}.
 */
public record PortMapping(Proto proto, Optional<InetAddress> hostIp, int hostPort, InetAddress target, int targetPort) {
    public PortMapping {
        Objects.requireNonNull(proto, "proto");
        Objects.requireNonNull(hostIp, "hostIp");
        Objects.requireNonNull(target, "target");
        Names.port("host port", hostPort, 1);
        Names.port("container port", targetPort, 1);
        hostIp.ifPresent(h -> {
            if ((h instanceof Inet4Address) != (target instanceof Inet4Address))
                throw new IllegalArgumentException("host address " + h.getHostAddress()
                        + " and container address " + target.getHostAddress() + " are of different IP versions");
        });
    }

    /** Bound to every address of the host. */
    public static PortMapping any(Proto proto, int hostPort, InetAddress target, int targetPort) {
        return new PortMapping(proto, Optional.empty(), hostPort, target, targetPort);
    }

    /** Bound to one host address. */
    public static PortMapping on(InetAddress hostIp, Proto proto, int hostPort, InetAddress target, int targetPort) {
        return new PortMapping(proto, Optional.of(hostIp), hostPort, target, targetPort);
    }

    public boolean isIpv6() {
        return !(target instanceof Inet4Address);
    }
}
