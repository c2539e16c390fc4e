package io.nslab.cli.bridge;

import io.nslab.netlink.route.BridgeRequests.FdbOp;
import io.nslab.netlink.route.BridgeSetting;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One parsed command of iproute2's {@code bridge} tool, before anything is
 * looked up in the kernel. Devices are names, resolved where it runs.
 * {@link #text()} is the command as typed, to prefix error messages.
 */
public sealed interface BridgeCommand {
    String text();

    /** {@code link [show] [dev DEV]}. */
    record LinkShow(String text, Optional<String> dev) implements BridgeCommand {}

    /** {@code link set dev DEV ...}: IFLA_BRPORT_* settings in the order the tool sends them; {@code target} BRIDGE_FLAGS_*. */
    record LinkSet(String text, String dev, List<BridgeSetting> settings, int target) implements BridgeCommand {}

    /** {@code fdb [show] [br BR] [brport|dev DEV] [vlan VID] [state S] [dynamic]}; {@code states} NUD_* bits, 0 = all. */
    record FdbShow(String text, Optional<String> br, Optional<String> dev, OptionalInt vlan, int states, boolean dynamicOnly)
            implements BridgeCommand {}

    /** {@code fdb add|append|replace|del MAC dev DEV ...}; {@code state} NUD_*, {@code flags} NTF_* as the tool computes them. */
    record FdbChange(String text, FdbOp op, String mac, String dev, int state, int flags, Optional<InetAddress> dst, OptionalInt vlan,
                     OptionalInt port, OptionalLong vni, OptionalLong srcVni, Optional<String> via) implements BridgeCommand {}

    /** {@code vlan [show] [dev DEV] [vid VID]}. */
    record VlanShow(String text, Optional<String> dev, OptionalInt vid) implements BridgeCommand {}

    /** {@code vlan add|del vid VID[-LAST] dev DEV [pvid] [untagged] [self] [master]}. */
    record VlanChange(String text, boolean add, String dev, int vid, OptionalInt last, int flags, int target) implements BridgeCommand {}
}
