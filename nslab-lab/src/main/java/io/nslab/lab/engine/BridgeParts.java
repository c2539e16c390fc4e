package io.nslab.lab.engine;

import io.nslab.lab.model.KernelNames;
import io.nslab.lab.plan.LinkSpec;
import io.nslab.lab.plan.NsRef;
import io.nslab.lab.plan.Step;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What {@code status} says about bridges built as trees, read from the journal alone (the file may have changed):
 * one line per declared bridge, {@code LAB.NODE br0: 10 leaf bridges nsb1a2b3c4.0..9, 10 veth pairs}.
 */
final class BridgeParts {
    private BridgeParts() {}

    private record Tree(NsRef ns, String hash) {}

    static List<String> of(List<Step> live) {
        Map<Tree, String> roots = new LinkedHashMap<>();
        Map<Tree, TreeSet<Integer>> leaves = new LinkedHashMap<>();
        Map<Tree, Integer> pairs = new LinkedHashMap<>();
        for (Step s : live) {
            switch (s) {
                case Step.AddLink l when KernelNames.BRIDGE_PART.matcher(l.name()).matches() -> {
                    Tree t = new Tree(l.ns(), hash(l.name()));
                    if (l.spec() instanceof LinkSpec.Bridge) leaves.computeIfAbsent(t, k -> new TreeSet<>()).add(index(l.name()));
                    if (l.spec() instanceof LinkSpec.Veth) pairs.merge(t, 1, Integer::sum);
                }
                // a leaf's uplink end is enslaved to the declared bridge: that names the tree
                case Step.SetLink l when l.name().startsWith("nsu") && KernelNames.BRIDGE_PART.matcher(l.name()).matches()
                        && l.master().isPresent() -> roots.put(new Tree(l.ns(), hash(l.name())), l.master().get());
                default -> { }
            }
        }
        List<String> out = new ArrayList<>();
        leaves.forEach((t, ks) -> out.add(t.ns() + " " + roots.getOrDefault(t, "?") + ": " + ks.size() + " leaf bridges nsb" + t.hash()
                + "." + ks.first() + ".." + ks.last() + ", " + pairs.getOrDefault(t, 0) + " veth pairs"));
        return out;
    }

    private static String hash(String part) {
        return part.substring(3, 10);
    }

    private static int index(String part) {
        return Integer.parseInt(part.substring(11));
    }
}
