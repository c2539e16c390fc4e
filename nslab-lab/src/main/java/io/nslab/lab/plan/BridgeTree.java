package io.nslab.lab.plan;

import io.nslab.lab.model.Iface;
import io.nslab.lab.model.IfaceKind;
import io.nslab.lab.model.KernelLimits;
import io.nslab.lab.model.KernelNames;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A declared bridge with more ports than one kernel bridge takes ({@link KernelLimits#BRIDGE_PORTS}), built as
 * two levels: the declared bridge (it keeps its name, addresses and MAC) holds only uplinks, one veth pair per
 * leaf; each leaf bridge holds up to {@code BRIDGE_PORTS - 1} of the declared ports, in file order, in chunks of
 * equal size. A tree has no loop, so no spanning tree is needed for it; the parts get the declared bridge's
 * {@code stp} and MTU. Frames cross at most two extra bridges; the lab still sees one segment.
 *
 * @param node the bridge's node
 * @param bridge the declared bridge's name (the root)
 * @param leaves the leaf bridges, each with its uplink ends and its share of the ports
 */
public record BridgeTree(String node, String bridge, List<Leaf> leaves) {
    /** Leaf bridge {@code name}, joined to the root by the veth pair {@code up} (on the root) / {@code down} (on the leaf). */
    public record Leaf(String name, String up, String down, List<String> ports) {}

    /** The tree of {@code bridge}, or empty when one kernel bridge holds all its ports. */
    public static Optional<BridgeTree> of(KernelNames names, Iface bridge) {
        if (!(bridge.kind() instanceof IfaceKind.Bridge b) || b.ports().size() <= KernelLimits.BRIDGE_PORTS) return Optional.empty();
        List<String> ports = b.ports();
        int perLeaf = KernelLimits.BRIDGE_PORTS - 1;
        int leaves = (ports.size() + perLeaf - 1) / perLeaf;
        int size = (ports.size() + leaves - 1) / leaves;
        List<Leaf> out = new ArrayList<>(leaves);
        for (int k = 0; k < leaves; k++) {
            List<String> mine = ports.subList(Math.min(ports.size(), k * size), Math.min(ports.size(), (k + 1) * size));
            out.add(new Leaf(names.bridgePart(bridge.node(), bridge.name(), 'b', k), names.bridgePart(bridge.node(), bridge.name(), 'u', k),
                    names.bridgePart(bridge.node(), bridge.name(), 'd', k), List.copyOf(mine)));
        }
        return Optional.of(new BridgeTree(bridge.node(), bridge.name(), List.copyOf(out)));
    }
}
