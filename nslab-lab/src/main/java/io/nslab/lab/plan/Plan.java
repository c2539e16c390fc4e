package io.nslab.lab.plan;

import java.util.List;
import java.util.Locale;

/**
 * What {@code up} would do: the steps still to run (in order), what the lab
 * created that its file no longer wants (to remove, newest first), the
 * objects in the way that nslab did not create (any one stops {@code up}
 * before it changes anything), and how many steps the kernel already satisfies.
 */
public record Plan(List<Step> steps, List<Step> removals, List<String> clashes, int satisfied) {
    public Plan {
        steps = List.copyOf(steps);
        removals = List.copyOf(removals);
        clashes = List.copyOf(clashes);
    }

    public boolean isEmpty() { return steps.isEmpty() && removals.isEmpty(); }

    /** create, change or delete: how a plan line is labelled. */
    public enum Action {
        CREATE("+"), CHANGE("~"), DELETE("-");
        public final String sign;
        Action(String sign) { this.sign = sign; }
        public String word() { return name().toLowerCase(Locale.ROOT); }
    }

    public static Action actionOf(Step s) {
        return switch (s) {
            case Step.CreateNs c -> Action.CREATE;
            case Step.AddLink l -> Action.CREATE;
            case Step.AddAddress a -> Action.CREATE;
            case Step.AddRoute r -> Action.CREATE;
            case Step.NftTable t -> Action.CREATE;
            case Step.MoveLink m -> Action.CHANGE;
            case Step.SetLink m -> Action.CHANGE;
            case Step.Sysctl m -> Action.CHANGE;
            case Step.Hairpin h -> Action.CHANGE;
            case Step.Shape q -> Action.CHANGE;
        };
    }
}
